import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPty } from '../support/describe-with.js';
import {
  formatLatencySummary,
  type NumberOrder,
  ScriptedResellerClient,
} from './support/onlinesim-script-client.js';
import { type FarmModel, type ModelSim, sortedObject } from './support/onlinesim-script-model.js';
import { SESSION_API_KEY, type SessionRig } from './support/onlinesim-script-rig.js';
import {
  hundredMixedOrders,
  longText,
  numeric,
  SENDERS,
  simInSlot,
  smsText,
  staleText,
  startingModel,
  startSessionRig,
  UNREGISTERED_SLOT,
  uniquePrefix,
} from './support/onlinesim-session-plan.js';
import { SessionSales } from './support/onlinesim-session-sales.js';
import { delay, waitUntil } from './support/wait.js';

/**
 * A scripted Onlinesim against `simbridge run` (the partner protocol end to end, as README describes it):
 * GET_SERVICES -> GET_NUMBER -> an SMS arrives on the emulated modem -> PUSH_SMS ->
 * FINISH_ACTIVATION, for eight SIMs in two countries, four operators and three services at once,
 * with a restart of the bridge in the middle. Every GET_SERVICES answer is compared with a model
 * of what is free (shared/protocol/onlinesim-reseller.md §3-§5); every answer must come within
 * Onlinesim's 10 s.
 */

const RETRY_DELAY_MS = 400;
const ONLINESIM_ANSWER_LIMIT_MS = 10_000;

describeWithPty('scripted Onlinesim session against simbridge run', () => {
  let rig: SessionRig;
  let client: ScriptedResellerClient;
  let model: FarmModel;
  let sales: SessionSales;
  /** Texts sent to an operation's SIM when more than the one `smsText(id)`. */
  const expected = new Map<number, string[]>();
  const textsFor = (id: number): string[] => expected.get(id) ?? [smsText(id)];

  beforeAll(async () => {
    rig = await startSessionRig(RETRY_DELAY_MS);
    client = new ScriptedResellerClient(rig.resellerUrl, SESSION_API_KEY);
    model = startingModel(rig);
    sales = new SessionSales(client, model);
  }, 40_000);

  afterAll(async () => {
    await client?.close();
    await rig?.close();
  });

  const slotSim = (slot: number): ModelSim => simInSlot(rig.sims, slot);

  it('GET_SERVICES counts only SIMs in a live, registered modem, with any = the sum', async () => {
    const modems = await rig.modems();
    const unregistered = modems.filter((m) => !m.registered).map((m) => m.iccid);
    expect(unregistered).toEqual([slotSim(UNREGISTERED_SLOT).iccid]);

    const counts = await sales.expectServicesMatchModel();
    expect(counts.get('russia/mts/instagram')).toBe(3); // the bank SIM is not counted
    expect(counts.get('russia/megafon/vk')).toBeUndefined(); // megafon offers telegram only
    expect(counts.get('russia/any/telegram')).toBe(6);
    expect(counts.get('germany/any/vk')).toBe(1); // telekom's SIM is off the network
    expect(counts.get('germany/telekom/vk')).toBeUndefined();
  });

  it('drops a SIM whose modem is unplugged, and counts it again once it is back', async () => {
    const sim = slotSim(6);
    const modem = rig.farm.modem(6);
    const stateOf = async (): Promise<string[]> =>
      (await rig.modems()).filter((m) => m.iccid === sim.iccid).map((m) => m.state);
    modem.unplug();
    await waitUntil(async () => !(await stateOf()).includes('ready'), 'the unplugged modem no longer ready');
    model.setLive(sim.phone, false);
    const counts = await sales.expectServicesMatchModel();
    expect([...counts.keys()].filter((key) => key.startsWith('germany/'))).toEqual([]);
    expect(await client.getNumber({ country: 'germany', operator: 'any', service: 'vk' })).toEqual({
      status: 'NO_NUMBERS',
    });

    modem.replug();
    await waitUntil(async () => (await stateOf()).includes('ready'), 'the modem back on a new path', 15_000);
    model.setLive(sim.phone, true);
    expect((await sales.expectServicesMatchModel()).get('germany/vodafone/vk')).toBe(1);
  });

  it('GET_NUMBER leaves out numbers by exceptionPhoneSet prefix (integers and strings)', async () => {
    const mts = [0, 1, 2].map(slotSim);
    const order = { country: 'russia', operator: 'mts', service: 'vk' };
    // Every emulated number starts 7900: an integer entry that rules out the whole farm.
    expect(await client.getNumber({ ...order, exceptionPhoneSet: [7900] })).toEqual({ status: 'NO_NUMBERS' });

    const [first, second] = mts.map((sim) => uniquePrefix(sim.phone, rig.sims));
    if (!first || !second) throw new Error('no unique prefix for the first two mts numbers');
    const sold = await sales.sell({ ...order, exceptionPhoneSet: [Number(first), `+${second}`] });
    expect(sold.phone).toBe(mts[2]?.phone);

    // The third is busy now, and the same prefixes (types swapped) still rule out the others.
    const none = await client.getNumber({ ...order, exceptionPhoneSet: [first, Number(second)] });
    expect(none).toEqual({ status: 'NO_NUMBERS' });
    await sales.expectServicesMatchModel();
  });

  it('keeps an SMS that came before any operation, and never hands it to a later buyer', async () => {
    const free = rig.sims.filter((sim) => sim.slot !== null && !model.isBusy(sim.phone));
    for (const sim of free)
      await rig.modemOf(sim.phone).injectSms({ sender: 'Bank', text: staleText(sim.phone) });
    const stored = await waitUntil(async () => {
      const messages = await rig.messages('no_operation');
      const stale = messages.filter((m) => m.text?.startsWith('stale SMS'));
      return stale.length === free.length && stale;
    }, 'every stale SMS stored as no_operation');
    expect(stored.every((m) => m.operationId === null && m.push === null)).toBe(true);
    expect(rig.onlinesim.records).toEqual([]);
  });

  it('concurrent GET_NUMBER calls for mixed services never share a SIM and exhaust the farm', async () => {
    const before = new Set(sales.issued);
    const orders = hundredMixedOrders(slotSim(0).phone);
    expect(orders).toHaveLength(100);
    const eligible = orders.map((order) => model.eligible(order));
    const answers = await Promise.all(orders.map((order) => client.getNumber(order)));

    const sold = answers.flatMap((answer, i) =>
      answer.status === 'SUCCESS' ? [sales.accept(orders[i] as NumberOrder, answer, eligible[i] ?? [])] : [],
    );
    const refused = answers.filter((a) => a.status === 'NO_NUMBERS').length;
    // Every live SIM was free except slot 2, and each is wanted by more orders than SIMs exist.
    expect(sold).toHaveLength(6);
    expect(refused).toBe(orders.length - 6);
    expect(new Set(sold.map((s) => s.phone)).size).toBe(6);
    expect(sold.map((s) => s.phone)).not.toContain(slotSim(2).phone);
    expect(Math.min(...sold.map((s) => s.activationId))).toBeGreaterThan(Math.max(...before));
    // A refused order had nothing left: every SIM it could take is busy now.
    orders.forEach((order, i) => {
      if (answers[i]?.status === 'NO_NUMBERS') expect(model.eligible(order)).toEqual([]);
    });
    const counts = await sales.expectServicesMatchModel();
    expect(counts.size).toBe(0);
  });

  it('pushes an SMS to every sold number with smsId = activationId, exactly once', async () => {
    const open = model.openOperations();
    expect(open).toHaveLength(7);
    // One SIM's pushes are refused (500) until its operation is finished.
    const stubborn = open[0]?.id ?? 0;
    rig.onlinesim.script(
      stubborn,
      Array.from({ length: 500 }, () => ({ status: 500 })),
    );
    for (const op of open) {
      await rig.modemOf(op.phone).injectSms({ sender: SENDERS[op.service] ?? 'X', text: smsText(op.id) });
    }
    // One operation gets a second SMS, a multipart one: pushed reassembled, same smsId (§1, §6).
    const twice = open[1];
    if (!twice) throw new Error('fewer operations than planned');
    const parts = await rig
      .modemOf(twice.phone)
      .injectSms({ sender: SENDERS[twice.service] ?? 'X', text: longText(twice.id), order: 'reversed' });
    expect(parts.length).toBeGreaterThan(1);
    expected.set(twice.id, [smsText(twice.id), longText(twice.id)]);
    await waitUntil(
      () =>
        open.every((op) =>
          op.id === stubborn
            ? rig.onlinesim.pushesFor(op.id).length >= 2
            : rig.onlinesim.deliveredFor(op.id).length >= textsFor(op.id).length,
        ),
      'a push for every SMS to a sold number',
      15_000,
    );
    for (const op of open) {
      const pushes = rig.onlinesim.pushesFor(op.id);
      if (op.id !== stubborn) expect(pushes.map((p) => p.text).sort()).toEqual([...textsFor(op.id)].sort());
      for (const push of pushes) {
        expect(push.request.body).toEqual({
          smsId: op.id,
          phone: op.phone,
          phoneFrom: SENDERS[op.service],
          text: push.text,
          action: 'PUSH_SMS',
          key: SESSION_API_KEY,
        });
      }
    }
  });

  it('keeps operations and ids across a restart, and sees a SIM that came back on the network', async () => {
    const stubborn = model.openOperations()[0]?.id ?? 0;
    const attemptsBefore = rig.onlinesim.pushesFor(stubborn).length;
    const idsBefore = Math.max(...sales.issued);
    rig.farm.modem(UNREGISTERED_SLOT).setRadio({ registered: true });

    await rig.restart();
    client.url = rig.resellerUrl;
    model.setLive(slotSim(UNREGISTERED_SLOT).phone, true);

    const active = (await rig.operations(true)).map((op) => op.id).sort(numeric);
    const expectedActive = model.openOperations();
    expect(active).toEqual(expectedActive.map((op) => op.id).sort(numeric));
    const counts = await sales.expectServicesMatchModel();
    expect(sortedObject(counts)).toEqual({
      'germany/any/instagram': 1,
      'germany/any/telegram': 1,
      'germany/any/vk': 1,
      'germany/telekom/instagram': 1,
      'germany/telekom/telegram': 1,
      'germany/telekom/vk': 1,
    });

    const sold = await sales.sell({ country: 'germany', operator: 'telekom', service: 'vk', sum: 7 });
    expect(sold.phone).toBe(slotSim(UNREGISTERED_SLOT).phone);
    expect(sold.activationId).toBeGreaterThan(idsBefore);
    // The refused push goes on being retried by the new process.
    await waitUntil(
      () => rig.onlinesim.pushesFor(stubborn).length > attemptsBefore,
      'the refused push retried after the restart',
    );
    await rig.modemOf(sold.phone).injectSms({ sender: 'VK', text: smsText(sold.activationId) });
    // An operation opened before the restart still takes its SMS.
    const older = model.openOperations()[2];
    if (!older) throw new Error('fewer operations than planned');
    const afterRestart = `after the restart: ${smsText(older.id)}`;
    expected.set(older.id, [...textsFor(older.id), afterRestart]);
    await rig.modemOf(older.phone).injectSms({ sender: SENDERS[older.service] ?? 'X', text: afterRestart });
    await waitUntil(
      () =>
        rig.onlinesim.deliveredFor(sold.activationId).length === 1 &&
        rig.onlinesim.deliveredFor(older.id).length === textsFor(older.id).length,
      'the pushes after restart',
    );
    expect(rig.onlinesim.deliveredFor(older.id).at(-1)?.request.body).toMatchObject({
      smsId: older.id,
      phone: older.phone,
      text: afterRestart,
    });
    expect(rig.onlinesim.deliveredFor(sold.activationId)[0]?.request.body).toMatchObject({
      smsId: sold.activationId,
      phone: sold.phone,
      text: smsText(sold.activationId),
    });
  });

  it('FINISH_ACTIVATION 3/4/1/5 answers SUCCESS (also repeated and unknown) and stops pending pushes', async () => {
    const open = model.openOperations();
    expect(open).toHaveLength(8);
    const stubborn = open[0]?.id ?? 0;
    // The stubborn one is cancelled (4); the rest cycle through sold, refunded and refused.
    const verdicts: (1 | 3 | 4 | 5)[] = [4, 3, 4, 1, 3, 5, 4, 3];
    const finishedAt = Date.now();
    const answers = await Promise.all(
      open.map((op, i) => client.finish(op.id, verdicts[i] ?? 3, verdicts[i] === 3 ? 12.5 : undefined)),
    );
    expect(answers).toEqual(open.map(() => ({ status: 'SUCCESS' })));
    for (const [i, op] of open.entries()) {
      model.finish(op.id, verdicts[i] ?? 3, verdicts[i] === 3 ? 12.5 : undefined);
    }

    // Onlinesim resends FINISH after a timeout: same answer, nothing changes.
    expect(await client.finish(open[1]?.id ?? 0, 4)).toEqual({ status: 'SUCCESS' });
    expect(await client.finish(stubborn, 3, 99)).toEqual({ status: 'SUCCESS' });
    expect(await client.finish(Math.max(...sales.issued) + 1_000, 3)).toEqual({ status: 'SUCCESS' });

    const operations = await rig.operations(false);
    for (const [i, op] of open.entries()) {
      const row = operations.find((o) => o.id === op.id);
      expect(row).toMatchObject({ status: 'finished', finishStatus: verdicts[i], service: op.service });
      if (verdicts[i] === 3) expect(row?.sum).toBe(12.5);
    }
    await sales.expectServicesMatchModel();

    // The refused push is not tried again once its operation is closed.
    await delay(3 * RETRY_DELAY_MS + 300);
    const late = rig.onlinesim.pushesFor(stubborn).filter((p) => p.request.atMs > finishedAt + 250);
    expect(late).toEqual([]);
    // Seconds later, every other SMS of the session has still been pushed exactly once.
    for (const op of open.filter((o) => o.id !== stubborn)) {
      expect(rig.onlinesim.pushesFor(op.id).map((p) => p.status)).toEqual(textsFor(op.id).map(() => 200));
    }
    const message = (await rig.messages()).find((m) => m.text === smsText(stubborn));
    expect(message?.push).toMatchObject({ state: 'stopped' });
    expect(message?.push?.attempts).toBe(rig.onlinesim.pushesFor(stubborn).length);
  });

  it('does not push an SMS to a SIM whose operation is finished', async () => {
    const sold = [...model.operations.values()].find((op) => op.finishStatus === 3);
    if (!sold) throw new Error('no sold operation');
    const text = `late SMS after operation ${sold.id}`;
    await rig.modemOf(sold.phone).injectSms({ sender: SENDERS[sold.service] ?? 'X', text });
    const message = await waitUntil(
      async () => (await rig.messages()).find((m) => m.text === text),
      'the late SMS stored',
    );
    expect(message).toMatchObject({ status: 'no_operation', operationId: null, push: null });
    await delay(RETRY_DELAY_MS);
    expect(rig.onlinesim.records.filter((r) => r.text === text)).toEqual([]);
  });

  it('never offers a number again for a service it was sold, refunded or refused for; re-offers after cancels until the fourth', async () => {
    const finished = [...model.operations.values()].filter((op) => op.finishStatus !== null);
    for (const op of finished) {
      const sim = model.sim(op.phone);
      const onlyThisSim: NumberOrder = {
        country: sim.country,
        operator: sim.operator,
        service: op.service,
        exceptionPhoneSet: rig.sims.filter((s) => s.phone !== op.phone).map((s) => s.phone),
      };
      if (op.finishStatus === 4) {
        const again = await sales.sell(onlyThisSim);
        expect(again.phone).toBe(op.phone);
        expect(await client.finish(again.activationId, 4)).toEqual({ status: 'SUCCESS' });
        model.finish(again.activationId, 4);
      } else {
        expect(await client.getNumber(onlyThisSim)).toEqual({ status: 'NO_NUMBERS' });
      }
    }
    await sales.expectServicesMatchModel();

    // The first cancelled pair has two cancels now: two more sales, and then never again.
    const cancelled = finished.find((op) => op.finishStatus === 4);
    if (!cancelled) throw new Error('no cancelled operation');
    const sim = model.sim(cancelled.phone);
    const onlyThisSim: NumberOrder = {
      country: sim.country,
      operator: 'any',
      service: cancelled.service,
      exceptionPhoneSet: rig.sims.filter((s) => s.phone !== cancelled.phone).map((s) => s.phone),
    };
    for (let cancel = 3; cancel <= 4; cancel++) {
      const again = await sales.sell(onlyThisSim);
      expect(await client.finish(again.activationId, 4)).toEqual({ status: 'SUCCESS' });
      model.finish(again.activationId, 4);
    }
    expect(await client.getNumber(onlyThisSim)).toEqual({ status: 'NO_NUMBERS' });
    await sales.expectServicesMatchModel();
  });

  it('an operation opened through the admin API makes the SIM busy; GET_NUMBER ids stay above it', async () => {
    const order: NumberOrder = { country: 'russia', operator: 'any', service: 'telegram' };
    const sim = model.eligible(order)[0];
    if (!sim) throw new Error('no SIM free for telegram');
    const adminId = Math.max(...sales.issued) + 100;
    const created = await fetch(`${rig.adminUrl}/api/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: sim.phone, operationId: adminId, service: 'telegram' }),
    });
    expect(created.status).toBe(201);
    model.open(adminId, sim.phone, 'telegram');
    sales.issued.push(adminId);
    await sales.expectServicesMatchModel();
    const others = rig.sims.filter((s) => s.phone !== sim.phone).map((s) => s.phone);
    expect(await client.getNumber({ ...order, exceptionPhoneSet: others })).toEqual({ status: 'NO_NUMBERS' });

    const next = await sales.sell({ country: 'russia', operator: 'any', service: 'vk' });
    expect(next.activationId).toBeGreaterThan(adminId);
    expect(await client.finish(next.activationId, 4)).toEqual({ status: 'SUCCESS' });
    model.finish(next.activationId, 4);

    // Ended locally first: the SIM is free again; Onlinesim's later verdict still applies.
    const ended = await fetch(`${rig.adminUrl}/api/operations/${adminId}`, { method: 'DELETE' });
    expect(ended.status).toBe(204);
    model.end(adminId);
    await sales.expectServicesMatchModel();
    expect(await client.finish(adminId, 3, 20)).toEqual({ status: 'SUCCESS' });
    model.finish(adminId, 3, 20);
    await sales.expectServicesMatchModel();
    expect(await client.getNumber({ ...order, exceptionPhoneSet: others })).toEqual({ status: 'NO_NUMBERS' });
  });

  it('shows the operator earnings per service and in total that match every verdict', async () => {
    await sales.expectEarningsMatchModel(rig.adminUrl);
    expect(model.earnings().total.earned).toBe(3 * 12.5 + 20);
  });

  it('answered every call well within Onlinesim’s 10 s (p99 printed)', () => {
    const summary = client.summary();
    process.stdout.write(
      `\nreseller answer latency (client side, real sockets, loaded machine):\n${formatLatencySummary(summary)}\n`,
    );
    // Every call the session made was timed (a lost timing would hide a slow answer).
    expect(summary.ALL.count).toBeGreaterThanOrEqual(70);
    expect(client.timings.every((t) => t.httpStatus === 200)).toBe(true);
    expect(client.timings.filter((t) => t.ms >= ONLINESIM_ANSWER_LIMIT_MS)).toEqual([]);
  });
});
