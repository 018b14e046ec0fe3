/**
 * Splits the parameter list of a TS 27.005 text-mode response line: comma separated, strings in
 * double quotes may hold commas (`"Shop, Inc"`), empty parameters stay as empty fields.
 * TS 27.005 strings have no escape for `"`; a quote closes the string.
 */
import { TextModeError } from './text-mode-error.js';

export interface TextField {
  /** Value without the quotes. */
  value: string;
  quoted: boolean;
  /** Character offset of the field in the line it came from. */
  offset: number;
}

export function splitTextFields(parameters: string, baseOffset = 0): TextField[] {
  const fields: TextField[] = [];
  let i = 0;
  for (;;) {
    while (parameters.charAt(i) === ' ') i += 1;
    const start = i;
    if (parameters.charAt(i) === '"') {
      const close = parameters.indexOf('"', i + 1);
      if (close < 0)
        throw new TextModeError('SMS_TEXT_INVALID', 'unterminated quoted string', baseOffset + start);
      fields.push({ value: parameters.slice(i + 1, close), quoted: true, offset: baseOffset + start });
      i = close + 1;
      while (parameters.charAt(i) === ' ') i += 1;
      if (i < parameters.length && parameters.charAt(i) !== ',') {
        throw new TextModeError('SMS_TEXT_INVALID', 'text after a quoted string', baseOffset + i);
      }
    } else {
      const comma = parameters.indexOf(',', i);
      const end = comma < 0 ? parameters.length : comma;
      fields.push({ value: parameters.slice(i, end).trim(), quoted: false, offset: baseOffset + start });
      i = end;
    }
    if (i >= parameters.length) return fields;
    i += 1; // the comma
  }
}
