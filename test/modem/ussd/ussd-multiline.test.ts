import { afterEach, describe, expect, it, vi } from 'vitest';
import { AtEngine } from '../../../src/at/engine.js';
import { MAX_OPEN_CLAIM_LINES, UrcRouter } from '../../../src/at/urc-router.js';
import { generateIdentity } from '../../../src/emulator/identity.js';
import { EmulatedModem } from '../../../src/emulator/modem.js';
import type { UssdBehaviour } from '../../../src/emulator/subscriber.js';
import { silentLogger } from '../../../src/log.js';
import { cusdContinues, parseCusd } from '../../../src/modem/ussd/parse-cusd.js';
import { UssdSession } from '../../../src/modem/ussd/ussd-session.js';
import { ScriptChannel } from '../../at/script-channel.js';
import { EmulatorChannel } from '../emulated-harness.js';

/**
 * Operators answer menus and balances over several lines: the modem prints the text with its
 * line breaks, so `+CUSD: 0,"first` comes on one line and `last",15` on another. Through the
 * real AT engine on an emulated modem, the answer must come back whole.
 */

let dispose: (() => Promise<void>) | null = null;
afterEach(async () => {
  await dispose?.();
  dispose = null;
  vi.useRealTimers();
});

async function answer(ussd: Record<string, UssdBehaviour>, code: string) {
  vi.useFakeTimers();
  const modem = new EmulatedModem({
    name: 'emu-ussd',
    profile: 'generic',
    identity: generateIdentity(7, 1),
    baudRate: 0,
    bootTimeScale: 0,
    now: () => Date.now(),
    subscriber: { ussd, ussdDelayMs: 20 },
  });
  const channel = new EmulatorChannel(modem);
  const at = new AtEngine({ channel, log: silentLogger(), timeouts: { defaultMs: 1_000 } });
  const unhandled: string[] = [];
  at.onUnhandledLine((line) => unhandled.push(line));
  dispose = async () => {
    await at.close();
    modem.dispose();
  };
  await vi.advanceTimersByTimeAsync(100);
  const session = new UssdSession();
  session.listen(at);
  const reply = session.request(at, code, { timeoutMs: 2_000 });
  await vi.advanceTimersByTimeAsync(200);
  // A command after the answer still gets its own answer: the claim ended at the closing quote.
  const after = at.send('AT+CNUM');
  await vi.advanceTimersByTimeAsync(50);
  return { reply: await reply, after: await after, unhandled };
}

describe('a +CUSD answer over several lines', () => {
  it('joins a two-line answer', async () => {
    const { reply, after, unhandled } = await answer(
      { '*100#': { kind: 'text', text: 'Balance: 100.00 rub\nTariff: Smart' } },
      '*100#',
    );
    expect(reply).toMatchObject({ status: 'done', text: 'Balance: 100.00 rub\nTariff: Smart', dcs: 15 });
    expect(after.final.kind).toBe('ok');
    expect(after.lines).toEqual([expect.stringMatching(/^\+CNUM:/)]);
    expect(unhandled).toEqual([]);
  });

  it('joins a three-line answer, a comma in its text', async () => {
    const { reply, after, unhandled } = await answer(
      { '*111#': { kind: 'text', text: 'Menu:\n1 Balance\n2 Number, tariff' } },
      '*111#',
    );
    expect(reply).toMatchObject({ status: 'done', text: 'Menu:\n1 Balance\n2 Number, tariff', dcs: 15 });
    expect(after.final.kind).toBe('ok');
    expect(unhandled).toEqual([]);
  });

  it('leaves a one-line answer as it was', async () => {
    const { reply, after, unhandled } = await answer(
      { '*100#': { kind: 'text', text: 'Balance: 100.00 rub' } },
      '*100#',
    );
    expect(reply).toEqual({
      status: 'done',
      text: 'Balance: 100.00 rub',
      dcs: 15,
      raw: '+CUSD: 0,"Balance: 100.00 rub",15',
    });
    expect(after.final.kind).toBe('ok');
    expect(unhandled).toEqual([]);
  });
});

/** A USSD request on a scripted modem: the `OK` of `AT+CUSD` comes at once, the answer later. */
function scripted() {
  vi.useFakeTimers();
  const script = new ScriptChannel();
  const at = new AtEngine({ channel: script, log: silentLogger(), timeouts: { defaultMs: 1_000 } });
  const unhandled: string[] = [];
  at.onUnhandledLine((line) => unhandled.push(line));
  const session = new UssdSession();
  session.listen(at);
  dispose = () => at.close();
  script.expect('AT+CUSD=1,"*100#",15\r').reply('OK');
  const reply = session.request(at, '*100#', { timeoutMs: 2_000 });
  // Settled either way, so a lost answer fails the assertion instead of hanging the test.
  const settled = reply.then(
    (value) => value,
    (error: unknown) => error,
  );
  return { script, at, unhandled, settled };
}

describe('a +CUSD text with an empty line', () => {
  it('keeps the empty line, and ordinary answers around it get no empty lines', async () => {
    const { script, at, unhandled, settled } = scripted();
    script.expect('AT+CSQ\r').reply('+CSQ: 17,99', 'OK');
    await vi.advanceTimersByTimeAsync(10);
    script.emitRaw('\r\n+CUSD: 0,"Balance:\r\n\r\n12.50 RUB",15\r\n');
    const csq = at.send('AT+CSQ');
    // Past the USSD deadline and the AT+CUSD=2 that follows one, so a lost answer fails fast.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await settled).toMatchObject({ status: 'done', text: 'Balance:\n\n12.50 RUB', dcs: 15 });
    expect(await csq).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 17,99'], final: { kind: 'ok' } });
    expect(unhandled).toEqual([]);
    script.assertDone();
  });

  it('keeps it through the emulated modem too', async () => {
    const { reply, after, unhandled } = await answer(
      { '*100#': { kind: 'text', text: 'Balance:\n\n12.50 RUB' } },
      '*100#',
    );
    expect(reply).toMatchObject({ status: 'done', text: 'Balance:\n\n12.50 RUB', dcs: 15 });
    expect(after.lines).toEqual([expect.stringMatching(/^\+CNUM:/)]);
    expect(unhandled).toEqual([]);
  });
});

describe('a +CUSD text with a line that reads like a final result', () => {
  it('takes OK and ERROR inside the open quote as text, then the real OK ends the command in flight', async () => {
    const { script, at, unhandled, settled } = scripted();
    await vi.advanceTimersByTimeAsync(10);
    script
      .expect('AT+CSQ\r')
      .replyRaw('\r\n+CUSD: 0,"Menu:\r\nOK\r\nERROR\r\n2 Balance",15\r\n\r\n+CSQ: 17,99\r\n\r\nOK\r\n');
    const csq = at.send('AT+CSQ');
    // Past the USSD deadline and the AT+CUSD=2 that follows one, so a lost answer fails fast.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await settled).toMatchObject({ status: 'done', text: 'Menu:\nOK\nERROR\n2 Balance', dcs: 15 });
    expect(await csq).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 17,99'], final: { kind: 'ok' } });
    expect(unhandled).toEqual([]);
    script.assertDone();
  });
});

describe('an open-ended URC claim', () => {
  it('ends at MAX_OPEN_CLAIM_LINES when the closing quote never comes, so later URCs get through', () => {
    const router = new UrcRouter(silentLogger());
    const got: string[][] = [];
    router.add({
      name: 'cusd',
      match: (l) => l.startsWith('+CUSD:'),
      continues: cusdContinues,
      handle: (l) => got.push([...l]),
    });
    router.add({ name: 'cmti', match: (l) => l.startsWith('+CMTI:'), handle: (l) => got.push([...l]) });
    router.route('+CUSD: 0,"never closed');
    for (let i = 1; i < MAX_OPEN_CLAIM_LINES; i++) {
      expect(router.isClaiming).toBe(true);
      router.continueClaim(`line ${i}`);
    }
    expect(router.isClaiming).toBe(false);
    expect(router.route('+CMTI: "SM",3')).toBe(true);
    expect(got.map((lines) => lines.length)).toEqual([MAX_OPEN_CLAIM_LINES, 1]);
    expect(parseCusd(got[0] ?? [])?.text).toMatch(/^"never closed\nline 1\n/);
  });

  it('claims nothing after a whole answer, with or without a DCS or a text', () => {
    expect(cusdContinues(['+CUSD: 0,"Balance 1 rub",15'])).toBe(false);
    expect(cusdContinues(['+CUSD: 0,"Balance 1 rub"'])).toBe(false);
    expect(cusdContinues(['+CUSD: 2'])).toBe(false);
    expect(cusdContinues(['+CUSD: 0,"'])).toBe(true);
    expect(cusdContinues(['+CUSD: 0,"Balance', '1 rub", 15'])).toBe(false);
  });
});
