import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeSmsDeliver } from '../../src/sms/encode-deliver.js';
import { VERSION } from '../../src/version.js';
import { describeWithPty } from '../support/describe-with.js';
import { E2E_API_KEY, E2E_TIMINGS, E2eRig } from './support/e2e-rig.js';
import { delay, waitUntil } from './support/wait.js';

/**
 * Emulated modems on real ptys -> `simbridge run` (child process) -> scripted mock Onlinesim.
 * The promise of README "How an SMS travels": every SMS pushed exactly once with the right smsId,
 * phone, phoneFrom and full text, and the retry rules of CONTRACT.md §4.
 */

const LONG_GSM7 = `Your Instagram code is 424242. ${'Do not share it with anyone. '.repeat(12)}End.`;
const LONG_UCS2 = `Код подтверждения 🔐 777-123. ${'Никому не сообщайте этот код 🙂 '.repeat(6)}Конец.`;

const SINGLES = [
  { sender: '900', text: 'Balance: 100 RUB' },
  { sender: '+79161234567', text: 'Ваш код: 5821 🎉 не сообщайте его' },
  { sender: 'Instagram', text: 'Use 318 224 to verify your Instagram account.' },
];

describeWithPty('end to end: modems -> simbridge run -> Onlinesim', () => {
  let rig: E2eRig;

  beforeAll(async () => {
    rig = await E2eRig.start({ modems: 3, unmappedSlots: [], denySenders: ['/^sber/i', 'VTB-Bank'] });
  }, 30_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('pushes every single and multipart SMS exactly once, with the right fields, and deletes each SIM copy only after its commit', async () => {
    const sim = rig.sim(0);
    await rig.openOperation(0, 355);
    for (const sms of SINGLES) await sim.modem.injectSms(sms);
    const inOrder = await sim.modem.injectSms({ sender: 'Instagram', text: LONG_GSM7 });
    const shuffled = await sim.modem.injectSms({
      sender: '+79030001122',
      text: LONG_UCS2,
      order: 'reversed',
    });
    expect(inOrder.length).toBeGreaterThanOrEqual(3);
    expect(shuffled.length).toBeGreaterThanOrEqual(3);

    const expected = [
      ...SINGLES,
      { sender: 'Instagram', text: LONG_GSM7 },
      { sender: '+79030001122', text: LONG_UCS2 },
    ];
    await waitUntil(() => rig.onlinesim.deliveredFor(355).length >= expected.length, 'every push', 10_000);
    await rig.drained(0);
    // Give a wrongly repeated push the time to show up before counting.
    await delay(E2E_TIMINGS.retryDelayMs + 200);

    const pushes = rig.onlinesim.pushesFor(355);
    expect(pushes.map((p) => ({ phoneFrom: p.phoneFrom, text: p.text })).sort(byText)).toEqual(
      expected.map((e) => ({ phoneFrom: e.sender, text: e.text })).sort(byText),
    );
    for (const push of pushes) {
      expect(push.request.body).toEqual({
        smsId: 355,
        phone: sim.phone,
        phoneFrom: push.phoneFrom,
        text: push.text,
        action: 'PUSH_SMS',
        key: E2E_API_KEY,
      });
      expect(push.request.method).toBe('POST');
      expect(push.request.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(push.request.headers['user-agent']).toBe(`simbridge/${VERSION}`);
    }

    const messages = await rig.messagesOf(0);
    expect(messages).toHaveLength(expected.length);
    for (const message of messages) {
      expect(message).toMatchObject({ status: 'delivered', operationId: 355 });
      expect(message.push).toMatchObject({ state: 'delivered', attempts: 1 });
    }
    const multiparts = messages.filter((m) => m.multipart !== null);
    expect(multiparts.map((m) => m.multipart?.complete)).toEqual([true, true]);

    // Every PDU (each part too) was deleted once, and only after its row was committed.
    const deletions = rig.deletionsOf(0);
    expect(deletions).toHaveLength(SINGLES.length + inOrder.length + shuffled.length);
    expect(new Set(deletions.map((d) => d.pdu)).size).toBe(deletions.length);
    for (const part of [...inOrder, ...shuffled]) expect(deletions.map((d) => d.pdu)).toContain(part);
    expect(deletions.filter((d) => !d.committedBefore)).toEqual([]);
  });

  it('sends a push answered 500 three times again every retryDelayMs, four attempts in all, then delivers it', async () => {
    const retryDelay = E2E_TIMINGS.retryDelayMs;
    await rig.openOperation(1, 356);
    rig.onlinesim.script(356, [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    await rig.sim(1).modem.injectSms({ sender: 'VK', text: 'VK: 55123 is your code' });

    await waitUntil(() => rig.onlinesim.deliveredFor(356).length === 1, 'the fourth attempt', 10_000);
    await delay(retryDelay + 200);
    const attempts = rig.onlinesim.pushesFor(356);
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(attempts.map((a) => a.request.rawBody)).size).toBe(1);
    const gaps = attempts.slice(1).map((a, i) => a.request.atMs - (attempts[i]?.request.atMs ?? 0));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(retryDelay);
      expect(gap).toBeLessThan(retryDelay + 400);
    }
    const [message] = await rig.messagesOf(1);
    expect(message).toMatchObject({ status: 'delivered', push: { state: 'delivered', attempts: 4 } });
  });

  it('ends a push answered 404 (NO_OPERATION) or naming BAD_SERVICE after one attempt, as rejected', async () => {
    await rig.openOperation(1, 357);
    rig.onlinesim.script(357, [{ status: 404, body: { status: 'NO_OPERATION' } }]);
    await rig.sim(1).modem.injectSms({ sender: 'Telegram', text: 'Telegram code 11111' });
    await waitUntil(() => rig.onlinesim.pushesFor(357).length === 1, 'the NO_OPERATION attempt');

    await rig.openOperation(1, 358);
    rig.onlinesim.script(358, [{ status: 400, body: { response: 'BAD_SERVICE' } }]);
    await rig.sim(1).modem.injectSms({ sender: 'Telegram', text: 'Telegram code 22222' });
    await waitUntil(() => rig.onlinesim.pushesFor(358).length === 1, 'the BAD_SERVICE attempt');

    await delay(2 * E2E_TIMINGS.retryDelayMs + 200);
    expect(rig.onlinesim.pushesFor(357)).toHaveLength(1);
    expect(rig.onlinesim.pushesFor(358)).toHaveLength(1);
    const rejected = await rig.messages('rejected');
    expect(rejected.map((m) => [m.operationId, m.text, m.push?.attempts]).sort()).toEqual([
      [357, 'Telegram code 11111', 1],
      [358, 'Telegram code 22222', 1],
    ]);
  });

  it('stores a malformed PDU raw as invalid, deletes it from the SIM, never pushes it, and keeps running', async () => {
    await rig.openOperation(2, 359);
    const [valid] = encodeSmsDeliver({
      sender: '+79001112233',
      text: 'truncated soon',
      smsc: '+79000000000',
    });
    // The user data length promises more septets than follow: a decoder error, not a crash.
    const malformed = (valid ?? '').slice(0, -8);
    rig.sim(2).modem.injectPdu(malformed);
    await waitUntil(async () => (await rig.messages('invalid')).length === 1, 'the invalid message');
    await rig.drained(2);

    const [invalid] = await rig.messages('invalid');
    expect(invalid?.rawPdu?.toUpperCase()).toBe(malformed.toUpperCase());
    expect(invalid?.error?.code).toMatch(/^SMS_/);
    expect(invalid?.push).toBeNull();
    expect(rig.deletionsOf(2).find((d) => d.pdu === malformed)?.committedBefore).toBe(true);

    await rig.sim(2).modem.injectSms({ sender: 'Uber', text: 'Uber code 9090' });
    await waitUntil(() => rig.onlinesim.deliveredFor(359).length === 1, 'the next SMS pushed');
    expect(rig.onlinesim.pushesFor(359).map((p) => p.text)).toEqual(['Uber code 9090']);
    expect(rig.bridge.exitInfo).toBeNull();
  });

  it('stores an SMS without an active operation as no_operation and a deny-listed sender as filtered, pushing neither', async () => {
    await rig.openOperation(2, 360);
    const ended = await fetch(`${rig.adminUrl}/api/operations/360`, { method: 'DELETE' });
    expect(ended.status).toBe(204);
    await rig.sim(2).modem.injectSms({ sender: 'Yandex', text: 'Nobody ordered this 1' });
    // Stored before the next operation opens, or it would be routed to that one.
    await waitUntil(async () => (await rig.messages('no_operation')).length === 1, 'no_operation stored');
    await rig.openOperation(2, 361);
    await rig.sim(2).modem.injectSms({ sender: 'SBERBANK', text: 'Perevod 5000 RUB' });
    await rig.sim(2).modem.injectSms({ sender: 'Avito', text: 'Avito code 4321' });

    await waitUntil(() => rig.onlinesim.deliveredFor(361).length === 1, 'the allowed SMS pushed');
    await rig.drained(2);
    await delay(E2E_TIMINGS.retryDelayMs);
    expect(rig.onlinesim.pushesFor(360)).toEqual([]);
    expect(rig.onlinesim.pushesFor(361).map((p) => p.text)).toEqual(['Avito code 4321']);
    expect(rig.onlinesim.records.filter((r) => r.text === 'Perevod 5000 RUB')).toEqual([]);
    expect((await rig.messages('no_operation')).map((m) => m.text)).toEqual(['Nobody ordered this 1']);
    expect((await rig.messages('filtered')).map((m) => [m.sender, m.text])).toEqual([
      ['SBERBANK', 'Perevod 5000 RUB'],
    ]);
  });

  it('pushes the parts of an incomplete multipart SMS as one text after multipart.timeoutMs, then a late part on its own', async () => {
    await rig.openOperation(0, 362);
    const text = `${'A'.repeat(153)}${'B'.repeat(153)}${'C'.repeat(100)}`;
    const parts = encodeSmsDeliver({ sender: 'Google', text, reference: 77, smsc: '+79000000000' });
    expect(parts).toHaveLength(3);
    const [first, second, third] = parts as [string, string, string];
    const sentAt = Date.now();
    rig.sim(0).modem.injectPduParts([third, first]);

    await waitUntil(() => rig.onlinesim.deliveredFor(362).length === 1, 'the incomplete message', 8_000);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(E2E_TIMINGS.multipartTimeoutMs);
    expect(rig.onlinesim.pushesFor(362)[0]?.text).toBe(`${'A'.repeat(153)}${'C'.repeat(100)}`);
    const [incomplete] = (await rig.messagesOf(0)).filter((m) => m.operationId === 362);
    expect(incomplete?.multipart).toMatchObject({ complete: false, state: 'incomplete', partsReceived: 2 });

    rig.sim(0).modem.injectPdu(second);
    await waitUntil(() => rig.onlinesim.deliveredFor(362).length === 2, 'the late part');
    expect(rig.onlinesim.pushesFor(362).map((p) => p.text)).toEqual([
      `${'A'.repeat(153)}${'C'.repeat(100)}`,
      'B'.repeat(153),
    ]);
    await rig.drained(0);
    const late = (await rig.messagesOf(0)).find((m) => m.text === 'B'.repeat(153));
    expect(late?.multipart?.latePart).toBe(true);
  });
});

function byText(a: { text: string | null }, b: { text: string | null }): number {
  return (a.text ?? '').localeCompare(b.text ?? '');
}
