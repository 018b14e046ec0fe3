/**
 * The subscriber's own number out of an operator's USSD answer, as E.164 digits without `+`
 * ("Ваш номер +79161234567", "Vash nomer 89161234567", "8 916 123-45-67", "+7 (916) 123-45-67").
 * Pure. Russian national forms are read as such: 11 digits from 8 or 7, or 10 from 9, all +7.
 * Other countries need the `+` form (an operator's own answer carries it).
 */

/** Digit groups joined by at most one separator (space, dash, dot, parentheses). */
const CANDIDATE = /\+?\(?\d+(?:[\s\-.()]{1,2}\d+)*/g;

function normaliseNational(digits: string): string | null {
  if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7')) && digits[1] === '9') {
    return `7${digits.slice(1)}`;
  }
  if (digits.length === 10 && digits.startsWith('9')) return `7${digits}`;
  return null;
}

/** The first phone number in `text`, or null when it holds none. */
export function parsePhoneNumber(text: string): string | null {
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = match[0];
    const plus = raw.startsWith('+');
    const groups = raw.split(/[^\d]+/).filter((g) => g !== '');
    // A number may run into the next figure ("79161234567 100 р"): try the groups from the
    // left, shortest first, and take the first prefix that is a whole number.
    // Other countries' numbers vary in length: the whole `+` figure is taken when it fits E.164.
    const whole = groups.join('');
    if (plus && !whole.startsWith('7')) {
      if (whole.length >= 8 && whole.length <= 15) return whole;
      continue;
    }
    let digits = '';
    for (const group of groups) {
      digits += group;
      const phone = plus ? (digits.length === 11 ? digits : null) : normaliseNational(digits);
      if (phone !== null) return phone;
      if (digits.length > 11) break;
    }
  }
  return null;
}
