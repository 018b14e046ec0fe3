import { describe, expect, it } from 'vitest';
import { createHarness, VECTORS } from './helpers.js';

describe('EmulatedModem commands (TS 27.007 / 27.005)', () => {
  it('echoes commands by default, like real modems, until ATE0', () => {
    const { modem, take } = createHarness({}, false);
    modem.hostWrite(Buffer.from('AT\r'));
    expect(take()).toBe('AT\r\r\nOK\r\n');
    modem.hostWrite(Buffer.from('ATE0\r'));
    expect(take()).toBe('ATE0\r\r\nOK\r\n');
    modem.hostWrite(Buffer.from('AT\r'));
    expect(take()).toBe('\r\nOK\r\n');
  });

  it('assembles a command split over several writes and ignores LF', () => {
    const { modem, take } = createHarness();
    modem.hostWrite(Buffer.from('AT+C'));
    modem.hostWrite(Buffer.from('SQ\r\n'));
    expect(take()).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
  });

  it.each([
    ['AT+CGMI', ['SIMBRIDGE', 'OK']],
    ['AT+CGMM', ['EMU-GSM', 'OK']],
    ['AT+CGSN', ['356938035643809', 'OK']],
    ['AT+CIMI', ['250011234567890', 'OK']],
    ['AT+CCID', ['+CCID: 8970101123456789012', 'OK']],
    ['AT+CPIN?', ['+CPIN: READY', 'OK']],
    ['AT+COPS?', ['+COPS: 0,0,"EMU Mobile",7', 'OK']],
    ['AT+CREG?', ['+CREG: 0,1', 'OK']],
    ['AT+CEREG?', ['+CEREG: 0,1', 'OK']],
    ['AT+CMGF?', ['+CMGF: 0', 'OK']],
    ['AT+CPMS?', ['+CPMS: "SM",0,30,"SM",0,30,"SM",0,30', 'OK']],
    ['AT+CNMI=?', ['+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)', 'OK']],
    ['AT+CFUN?', ['+CFUN: 1', 'OK']],
    ['AT+QCCID', ['ERROR']],
    ['AT+FOO', ['ERROR']],
  ])('%s answers %j', (command, expected) => {
    const { at } = createHarness();
    expect(at(command)).toEqual(expected);
  });

  it('switches +COPS format with AT+COPS=3,<format>', () => {
    const { at } = createHarness();
    expect(at('AT+COPS=3,2')).toEqual(['OK']);
    expect(at('AT+COPS?')).toEqual(['+COPS: 0,2,"25001",7', 'OK']);
  });

  it('runs several commands of one line and stops at the first error', () => {
    const { at } = createHarness();
    expect(at('AT+CMEE=1;+CMGF=1;+CSQ')).toEqual(['+CSQ: 20,99', 'OK']);
    expect(at('AT+CMGF?')).toEqual(['+CMGF: 1', 'OK']);
    expect(at('AT+CMGF=0;+CMGR=99;+CSQ')).toEqual(['+CMS ERROR: 321']);
  });

  it('formats errors per AT+CMEE', () => {
    const { modem, at } = createHarness();
    modem.simBusy(10);
    expect(at('AT+CPMS?')).toEqual(['ERROR']);
    at('AT+CMEE=1');
    expect(at('AT+CPMS?')).toEqual(['+CMS ERROR: 314']);
    expect(at('AT+CIMI')).toEqual(['+CME ERROR: 14']);
    at('AT+CMEE=2');
    expect(at('AT+CIMI')).toEqual(['+CME ERROR: SIM busy']);
  });

  it('answers SIM PIN until the right PIN is given', () => {
    const { at } = createHarness({ simPin: '1234' });
    at('AT+CMEE=1');
    expect(at('AT+CPIN?')).toEqual(['+CPIN: SIM PIN', 'OK']);
    expect(at('AT+CMGL=4')).toEqual(['+CMS ERROR: 311']);
    expect(at('AT+CPIN="0000"')).toEqual(['+CME ERROR: 16']);
    expect(at('AT+CPIN="1234"')).toEqual(['OK']);
    expect(at('AT+CPIN?')).toEqual(['+CPIN: READY', 'OK']);
  });

  it('lists, reads (marking read) and deletes stored messages in PDU mode', () => {
    const { modem, at } = createHarness();
    modem.injectPdu(VECTORS.howAreYou);
    modem.injectPdu(VECTORS.meetAt7);
    expect(at('AT+CMGL=0')).toEqual([
      '+CMGL: 1,0,,30',
      VECTORS.howAreYou,
      '+CMGL: 2,0,,30',
      VECTORS.meetAt7,
      'OK',
    ]);
    expect(at('AT+CMGL=0')).toEqual(['OK']);
    expect(at('AT+CMGR=2')).toEqual(['+CMGR: 1,,30', VECTORS.meetAt7, 'OK']);
    expect(at('AT+CPMS?')).toEqual(['+CPMS: "SM",2,30,"SM",2,30,"SM",2,30', 'OK']);
    const deleted: number[] = [];
    modem.on('deleted', (info) => deleted.push(info.index));
    expect(at('AT+CMGD=1')).toEqual(['OK']);
    expect(at('AT+CMGD=1')).toEqual(['OK']);
    expect(at('AT+CMGL=4')).toEqual(['+CMGL: 2,1,,30', VECTORS.meetAt7, 'OK']);
    expect(at('AT+CMGD=1,4')).toEqual(['OK']);
    expect(deleted).toEqual([1, 2]);
    expect(modem.counters.deleted).toBe(2);
    expect(at('AT+CMGR=31')).toEqual(['ERROR']);
  });

  it('shows text mode lists and reads with header values', () => {
    const { modem, at } = createHarness();
    modem.injectPdu(VECTORS.howAreYou);
    modem.injectPdu(VECTORS.ucs2);
    at('AT+CMGF=1');
    expect(at('AT+CMGL="REC UNREAD"')).toEqual([
      '+CMGL: 1,"REC UNREAD","+31641600986",,"02/08/26,19:37:41+00"',
      'How are you?',
      '+CMGL: 2,"REC UNREAD","0069377657",,"23/12/05,19:16:30-32"',
      'Добрый вечер!',
      'OK',
    ]);
    at('AT+CSDH=1');
    expect(at('AT+CMGR=1')).toEqual([
      '+CMGR: "REC READ","+31641600986",,"02/08/26,19:37:41+00",145,12',
      'How are you?',
      'OK',
    ]);
  });

  it('announces stored messages with +CMTI only when CNMI mt=1', () => {
    const { modem, take, at } = createHarness();
    modem.injectPdu(VECTORS.howAreYou);
    expect(take()).toBe('');
    at('AT+CNMI=2,1,0,0,0');
    const sent: number[] = [];
    modem.on('cmtiSent', (info) => sent.push(info.index));
    modem.injectPdu(VECTORS.meetAt7);
    expect(take()).toBe('\r\n+CMTI: "SM",2\r\n');
    expect(sent).toEqual([2]);
    expect(modem.counters.cmtiSent).toBe(1);
  });

  it('delivers directly with CNMI mt=2 without storing, and needs +CNMA under CSMS=1', () => {
    const { modem, take, at } = createHarness({ cnmaTimeoutMs: 60_000 });
    at('AT+CMEE=1');
    at('AT+CNMI=2,2,0,0,0');
    modem.injectPdu(VECTORS.howAreYou);
    expect(take()).toBe(`\r\n+CMT: ,30\r\n${VECTORS.howAreYou}\r\n`);
    expect(modem.storedMessages()).toEqual([]);
    expect(at('AT+CNMA')).toEqual(['+CMS ERROR: 340']);
    at('AT+CSMS=1');
    modem.injectPdu(VECTORS.meetAt7);
    modem.injectPdu(VECTORS.hellohello);
    // Only one un-acked +CMT at a time: the second waits in the network.
    expect(take()).toBe(`\r\n+CMT: ,30\r\n${VECTORS.meetAt7}\r\n`);
    expect(modem.networkQueueLength).toBe(2);
    expect(at('AT+CNMA')).toEqual(['OK', '+CMT: ,28', VECTORS.hellohello]);
    expect(modem.counters.acked).toBe(1);
    modem.dispose();
  });

  it('reboots on AT+CFUN=1,1: defaults back, storage kept', () => {
    const { modem, at } = createHarness();
    modem.injectPdu(VECTORS.howAreYou);
    at('AT+CMGF=1;+CNMI=2,1,0,0,0');
    expect(at('AT+CFUN=1,1')).toEqual(['OK']);
    expect(modem.settings.echo).toBe(true);
    expect(modem.settings.cnmi).toEqual([0, 0, 0, 0, 0]);
    expect(modem.settings.messageFormat).toBe(0);
    expect(modem.storedMessages()).toHaveLength(1);
    expect(modem.counters.reboots).toBe(1);
  });

  it('ATZ restores the defaults (echo on, PDU mode, no indications) without a reboot', () => {
    const { modem, at } = createHarness();
    at('AT+CMGF=1;+CNMI=2,1,0,0,0');
    expect(at('ATZ')).toEqual(['OK']);
    expect(modem.settings).toMatchObject({ echo: true, messageFormat: 0, cnmi: [0, 0, 0, 0, 0] });
    expect(modem.counters.reboots).toBe(0);
  });

  it('prints text-mode bodies as UCS2 hex when AT+CSCS="UCS2"', () => {
    const { modem, at } = createHarness();
    modem.injectPdu(VECTORS.ucs2);
    at('AT+CMGF=1;+CSCS="UCS2"');
    expect(at('AT+CMGR=1')[1]).toBe('0414043E04310440044B04390020043204350447043504400021');
  });

  it('reports radio state set by setRadio', () => {
    const { modem, at } = createHarness();
    modem.setRadio({ signal: 7, registered: false });
    expect(at('AT+CSQ')).toEqual(['+CSQ: 99,99', 'OK']);
    expect(at('AT+CREG?')).toEqual(['+CREG: 0,0', 'OK']);
    expect(at('AT+COPS?')).toEqual(['+COPS: 0', 'OK']);
    modem.setRadio({ registered: true });
    expect(at('AT+CSQ')).toEqual(['+CSQ: 7,99', 'OK']);
  });

  it('delivers parts in a deterministic shuffled order for a given seed', () => {
    const parts = [VECTORS.howAreYou, VECTORS.meetAt7, VECTORS.hellohello, VECTORS.ucs2];
    const first = createHarness({ seed: 42 }).modem.injectPduParts(parts, { order: 'shuffled' });
    const second = createHarness({ seed: 42 }).modem.injectPduParts(parts, { order: 'shuffled' });
    expect(first).toEqual(second);
    expect([...first].sort()).toEqual([...parts].sort());
  });
});
