import { describe, expect, it } from 'vitest';
import { listTextMode, parseCmtTextMode, readTextMode } from '../../src/modem/text-mode.js';

const UCS2 = { charset: 'UCS2' as const, csdh: true };
const GSM = { charset: 'GSM' as const, csdh: false };

describe('text-mode glue', () => {
  it('lists entries and keeps a malformed one out without losing its neighbours', () => {
    const listing = listTextMode(
      [
        '+CMGL: 1,"REC UNREAD","+31628870634",,"24/11/25,10:26:26+08"',
        'Hello',
        '+CMGL: 2,"REC READ"',
        'broken',
        '+CMGL: 3,"REC READ","+31628870634",,"24/11/25,10:27:00+08"',
        'World',
      ],
      GSM,
    );
    expect(listing.entries.map((e) => [e.index, e.status, e.sms.text])).toEqual([
      [1, 0, 'Hello'],
      [3, 1, 'World'],
    ]);
    expect(listing.invalid.map((bad) => bad.index)).toEqual([2]);
  });

  it('reads a +CMGR answer in UCS2 and returns null for an empty slot', () => {
    const read = readTextMode(
      [
        '+CMGR: "REC UNREAD","002B00330031","","24/11/25,10:26:26+08",145,4,0,8,"002B0033",145,5',
        '00480065006C006C006F',
      ],
      UCS2,
    );
    expect(read).toMatchObject({ status: 0, sms: { sender: '+31', text: 'Hello' } });
    expect(readTextMode([], UCS2)).toBeNull();
  });

  it('reads a text-mode +CMT as a +CMGR header without status', () => {
    expect(parseCmtTextMode(['+CMT: "+31628870634",,"24/11/25,10:26:26+08"', 'Hi there'], GSM)).toMatchObject(
      {
        sender: '+31628870634',
        senderType: 'international',
        text: 'Hi there',
        timestamp: '2024-11-25T10:26:26+02:00',
      },
    );
    expect(parseCmtTextMode(['+CMTI: "SM",1'], GSM)).toBeNull();
  });
});
