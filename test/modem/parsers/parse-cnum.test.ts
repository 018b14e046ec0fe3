import { describe, expect, it } from 'vitest';
import { parseCnum } from '../../../src/modem/parsers/parse-identity.js';

describe('parseCnum (TS 27.007 §7.1)', () => {
  it('reads the number, international or national, with or without an alpha tag', () => {
    expect(parseCnum(['+CNUM: "","+79161234567",145'])).toBe('79161234567');
    expect(parseCnum(['+CNUM: "Own number","89161234567",129'])).toBe('89161234567');
    expect(parseCnum(['+CNUM: ,"+79161234567",145,7,4'])).toBe('79161234567');
  });

  it('is null for a SIM that stores no number (prepaid: OK and no line, or an empty one)', () => {
    expect(parseCnum([])).toBeNull();
    expect(parseCnum(['+CNUM: "","",129'])).toBeNull();
  });
});
