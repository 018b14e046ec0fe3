import { describe, expect, it } from 'vitest';
import { parseCmgrPdu } from '../../../src/modem/parsers/parse-cmgr.js';

const PDU = '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07';

describe('parseCmgrPdu', () => {
  it.each([
    ['standard', ['+CMGR: 0,,39', PDU], { status: 0, alpha: null, length: 39, pdu: PDU }],
    ['with alpha', ['+CMGR: 1,"Bob",39', PDU], { status: 1, alpha: 'Bob', length: 39, pdu: PDU }],
    ['ZTE: no status field', ['+CMGR: 39', PDU], { status: null, alpha: null, length: 39, pdu: PDU }],
    ['ZTE: empty status field', ['+CMGR: ,,39', PDU], { status: null, alpha: null, length: 39, pdu: PDU }],
    ['empty slot, zero length', ['+CMGR: 0,,0'], null],
    ['EMPTY PDU line', ['+CMGR: 1,,80', 'EMPTY'], null],
    ['no header', [], null],
  ])('%s', (_name, lines, expected) => {
    expect(parseCmgrPdu(lines)).toEqual(expected);
  });
});
