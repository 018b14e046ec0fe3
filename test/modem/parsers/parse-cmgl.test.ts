import { describe, expect, it } from 'vitest';
import { parseCmglPdu } from '../../../src/modem/parsers/parse-cmgl.js';

const PDU_A = '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07';
const PDU_B = '0791448720003023240DD0E474D81C0EBB010000111011315214000BE474D81C0EBB5DE3771B';

describe('parseCmglPdu', () => {
  it.each([
    [
      'two messages',
      ['+CMGL: 1,0,,39', PDU_A, '+CMGL: 2,1,,40', PDU_B],
      {
        entries: [
          { index: 1, status: 0, alpha: null, length: 39, pdu: PDU_A },
          { index: 2, status: 1, alpha: null, length: 40, pdu: PDU_B },
        ],
        skipped: [],
      },
    ],
    [
      'alpha present, lowercase hex is normalised',
      ['+CMGL: 0,1,"Mum",39', PDU_A.toLowerCase()],
      { entries: [{ index: 0, status: 1, alpha: 'Mum', length: 39, pdu: PDU_A }], skipped: [] },
    ],
    [
      'Huawei E3531: EMPTY part between valid neighbours (gammu #522)',
      ['+CMGL: 0,1,,80', PDU_A, '+CMGL: 1,1,,160', 'EMPTY', '+CMGL: 2,1,,40', PDU_B],
      {
        entries: [
          { index: 0, status: 1, alpha: null, length: 80, pdu: PDU_A },
          { index: 2, status: 1, alpha: null, length: 40, pdu: PDU_B },
        ],
        skipped: [{ index: 1, reason: 'empty', line: 'EMPTY' }],
      },
    ],
    [
      'header without PDU line, followed by another header',
      ['+CMGL: 4,0,,39', '+CMGL: 5,0,,39', PDU_A],
      {
        entries: [{ index: 5, status: 0, alpha: null, length: 39, pdu: PDU_A }],
        skipped: [{ index: 4, reason: 'missing-pdu', line: null }],
      },
    ],
    [
      'header without PDU line at the end',
      ['+CMGL: 1,0,,39', PDU_A, '+CMGL: 7,0,,39'],
      {
        entries: [{ index: 1, status: 0, alpha: null, length: 39, pdu: PDU_A }],
        skipped: [{ index: 7, reason: 'missing-pdu', line: null }],
      },
    ],
    [
      'garbage PDU line',
      ['+CMGL: 3,0,,39', 'zz%%'],
      { entries: [], skipped: [{ index: 3, reason: 'not-hex', line: 'zz%%' }] },
    ],
    ['empty listing', [], { entries: [], skipped: [] }],
  ])('%s', (_name, lines, expected) => {
    expect(parseCmglPdu(lines)).toEqual(expected);
  });
});
