import { describe, expect, it } from 'vitest';
import { isStorageFull, parseCpmsFill, parseCpmsSupport } from '../../../src/modem/parsers/parse-cpms.js';

describe('parseCpmsFill', () => {
  it.each([
    [
      'query form, three named storages',
      ['+CPMS: "SM",3,30,"SM",3,30,"SM",3,30'],
      [
        { storage: 'SM', used: 3, total: 30 },
        { storage: 'SM', used: 3, total: 30 },
        { storage: 'SM', used: 3, total: 30 },
      ],
    ],
    [
      'query form, mixed ME/SM',
      ['+CPMS: "ME",0,23,"ME",0,23,"SM",1,25'],
      [
        { storage: 'ME', used: 0, total: 23 },
        { storage: 'ME', used: 0, total: 23 },
        { storage: 'SM', used: 1, total: 25 },
      ],
    ],
    [
      'set form without names (quirks §8)',
      ['+CPMS: 0,23,0,23,1,25'],
      [
        { storage: null, used: 0, total: 23 },
        { storage: null, used: 0, total: 23 },
        { storage: null, used: 1, total: 25 },
      ],
    ],
    ['set form with one storage', ['+CPMS: 5,10'], [{ storage: null, used: 5, total: 10 }]],
    ['no +CPMS line', ['OK'], null],
    ['test form is not a fill', ['+CPMS: ("SM","ME"),("SM"),("SM")'], null],
  ])('%s', (_name, lines, expected) => {
    expect(parseCpmsFill(lines)).toEqual(expected);
  });
});

describe('parseCpmsSupport', () => {
  it.each([
    ['three groups', ['+CPMS: ("SM","ME"),("SM","ME"),("SM")'], [['SM', 'ME'], ['SM', 'ME'], ['SM']]],
    [
      'MT/SR storages',
      ['+CPMS: ("ME","MT","SM","SR"),("ME","MT","SM"),("ME","SM")'],
      [
        ['ME', 'MT', 'SM', 'SR'],
        ['ME', 'MT', 'SM'],
        ['ME', 'SM'],
      ],
    ],
    ['query answer is not support', ['+CPMS: "SM",3,30,"SM",3,30,"SM",3,30'], null],
  ])('%s', (_name, lines, expected) => {
    expect(parseCpmsSupport(lines)).toEqual(expected);
  });
});

describe('isStorageFull', () => {
  it.each([
    [{ storage: 'SM', used: 30, total: 30 }, true],
    [{ storage: 'SM', used: 29, total: 30 }, false],
    [{ storage: 'SM', used: 0, total: 0 }, false],
    [undefined, false],
  ])('%j -> %s', (fill, expected) => {
    expect(isStorageFull(fill)).toBe(expected);
  });
});
