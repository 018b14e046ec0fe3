import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeUssdText } from '../../src/modem/ussd/decode-ussd.js';
import { parseCusd } from '../../src/modem/ussd/parse-cusd.js';
import { createHarness, type ModemHarness } from './helpers.js';

afterEach(() => vi.useRealTimers());

let harness: ModemHarness | null = null;
afterEach(() => {
  harness?.modem.dispose();
  harness = null;
});

function modem(options: Parameters<typeof createHarness>[0] = {}): ModemHarness {
  harness = createHarness({ identity: { phoneNumber: '+79161234567' }, ...options });
  return harness;
}

/** The +CUSD line the modem sends after `delayMs`, decoded as the bridge would. */
async function ussdAnswer(h: ModemHarness, code: string, delayMs = 50): Promise<string[]> {
  expect(h.at(`AT+CUSD=1,"${code}",15`)).toEqual(['OK']);
  await vi.advanceTimersByTimeAsync(delayMs);
  return h
    .take()
    .split(/\r+\n/)
    .filter((line) => line !== '');
}

describe('emulated AT+CNUM', () => {
  it('answers the stored number by default', () => {
    expect(modem().at('AT+CNUM')).toEqual(['+CNUM: "","+79161234567",145', 'OK']);
  });

  it('answers OK alone for a SIM that stores no number, also after configure()', () => {
    const h = modem({ subscriber: { storesNumber: false } });
    expect(h.at('AT+CNUM')).toEqual(['OK']);
    h.modem.subscriber.configure({ storesNumber: true });
    expect(h.at('AT+CNUM')).toEqual(['+CNUM: "","+79161234567",145', 'OK']);
  });
});

describe('emulated AT+CUSD', () => {
  it('answers OK, then the number in UCS-2 (DCS 72) after the delay', async () => {
    vi.useFakeTimers();
    const h = modem();
    const [line, ...rest] = await ussdAnswer(h, '*111*0887#');
    expect(rest).toEqual([]);
    expect(line).toMatch(/^\+CUSD: 0,"[0-9A-F]+",72$/);
    expect(parseCusd(line ?? '')?.text).toBe('Ваш номер +79161234567');
  });

  it('sends GSM 7-bit text as text on generic firmware and packed hex on Huawei', async () => {
    vi.useFakeTimers();
    const text = { kind: 'text', text: 'Balance 12.50 rub' } as const;
    const generic = modem({ subscriber: { ussd: { '*100#': text } } });
    expect(await ussdAnswer(generic, '*100#')).toEqual(['+CUSD: 0,"Balance 12.50 rub",15']);
    generic.modem.dispose();
    const huawei = modem({ profile: 'huawei-e3372', subscriber: { ussd: { '*100#': text } } });
    const [line] = await ussdAnswer(huawei, '*100#');
    const packed = /^\+CUSD: 0,"([0-9A-F]+)",15$/.exec(line ?? '')?.[1];
    expect(packed).toBeDefined();
    expect(decodeUssdText(packed ?? '', 15)).toBe('Balance 12.50 rub');
  });

  it('ends the session (+CUSD: 2), answers unknown codes with +CUSD: 4, and can stay silent', async () => {
    vi.useFakeTimers();
    const h = modem({ subscriber: { ussd: { '*102#': { kind: 'ended' }, '*105#': { kind: 'silent' } } } });
    expect(await ussdAnswer(h, '*102#')).toEqual(['+CUSD: 2']);
    expect(await ussdAnswer(h, '*999#')).toEqual(['+CUSD: 4']);
    expect(await ussdAnswer(h, '*105#', 60_000)).toEqual([]);
  });

  it('takes the code as packed GSM-7 hex too (AT+CUSD=1,"AA180C3602",15 is *100#)', async () => {
    vi.useFakeTimers();
    const h = modem({ subscriber: { ussd: { '*100#': { kind: 'text', text: 'Balance 3 rub' } } } });
    expect(h.at('AT+CUSD=1,"AA180C3602",15')).toEqual(['OK']);
    await vi.advanceTimersByTimeAsync(50);
    expect(h.take()).toContain('+CUSD: 0,"Balance 3 rub",15');
  });

  it('forgets a pending answer on AT+CUSD=2', async () => {
    vi.useFakeTimers();
    const h = modem({ subscriber: { ussdDelayMs: 1_000 } });
    expect(h.at('AT+CUSD=1,"*100#",15')).toEqual(['OK']);
    expect(h.at('AT+CUSD=2')).toEqual(['OK']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(h.take()).toBe('');
  });

  it('refuses a USSD off the network (CME 30)', () => {
    const h = modem();
    h.at('AT+CMEE=1');
    h.modem.setRadio({ registered: false });
    expect(h.at('AT+CUSD=1,"*100#",15')).toEqual(['+CME ERROR: 30']);
  });
});
