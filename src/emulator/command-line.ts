/**
 * Splits one AT command line (V.250 §5.2, TS 27.007 §4) into single commands:
 * `ATE0+CMEE=1;+CMGF=0` → E0, +CMEE=1, +CMGF=0. Pure; no modem state.
 */

/** TS 27.007 §4.1 command forms: `+X` exec, `+X?` read, `+X=?` test, `+X=...` set. */
export type AtRequestKind = 'exec' | 'read' | 'test' | 'set';

export interface AtRequest {
  /** Upper-case name: `+CMGL`, `^ICCID`, or a basic command letter such as `E`, `Z`, `&F`. */
  name: string;
  kind: AtRequestKind;
  /** Set arguments, quotes removed; for basic commands the numeric value (`E0` → ['0']). */
  args: string[];
  /** The command as written, for logs. */
  raw: string;
}

const EXTENDED_PREFIXES = '+^$#*%';

/** Splits `a,"b,c",d` on commas outside quotes and unquotes each value. */
export function splitArguments(text: string): string[] {
  if (text.trim() === '') return [];
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  out.push(current.trim());
  return out;
}

/** Parses the text after `AT`; returns null when the line is malformed (answer ERROR). */
export function parseCommandLine(body: string): AtRequest[] | null {
  const requests: AtRequest[] = [];
  let pos = 0;
  while (pos < body.length) {
    const char = body[pos] as string;
    if (char === ';' || char === ' ') {
      pos++;
      continue;
    }
    if (EXTENDED_PREFIXES.includes(char)) {
      let end = pos + 1;
      while (end < body.length && /[A-Za-z0-9_]/.test(body[end] as string)) end++;
      const name = body.slice(pos, end).toUpperCase();
      if (name.length < 2) return null;
      let kind: AtRequestKind = 'exec';
      let args: string[] = [];
      if (body.startsWith('=?', end)) {
        kind = 'test';
        end += 2;
      } else if (body[end] === '?') {
        kind = 'read';
        end += 1;
      } else if (body[end] === '=') {
        kind = 'set';
        let argEnd = end + 1;
        let quoted = false;
        while (argEnd < body.length && (quoted || body[argEnd] !== ';')) {
          if (body[argEnd] === '"') quoted = !quoted;
          argEnd++;
        }
        args = splitArguments(body.slice(end + 1, argEnd));
        end = argEnd;
      }
      requests.push({ name, kind, args, raw: body.slice(pos, end) });
      pos = end;
      continue;
    }
    // Basic command: a letter or &letter, then an optional number (V.250 §5.3.1).
    const basic = /^(&?[A-Za-z])(\d*)(\?)?/.exec(body.slice(pos));
    if (!basic) return null;
    const letter = (basic[1] as string).toUpperCase();
    if (letter === 'S') {
      const register = /^S(\d+)(=(\d*)|\?)?/i.exec(body.slice(pos));
      if (!register) return null;
      requests.push({
        name: `S${register[1]}`,
        kind: register[2] === '?' ? 'read' : register[2] ? 'set' : 'exec',
        args: register[3] !== undefined ? [register[3]] : [],
        raw: register[0],
      });
      pos += register[0].length;
      continue;
    }
    requests.push({
      name: letter,
      kind: basic[3] ? 'read' : 'exec',
      args: basic[2] ? [basic[2]] : [],
      raw: basic[0],
    });
    pos += basic[0].length;
  }
  return requests;
}
