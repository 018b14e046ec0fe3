/**
 * Partner-endpoint session benchmark: the scripted Onlinesim of
 * test/integration/onlinesim-session.test.ts at farm scale, against `simbridge run` (its own
 * process) over N emulated modems on ptys.
 *
 *   node --import tsx test/bench/reseller-session.ts [--modems 64] [--rounds 6]
 *
 * Each round: GET_SERVICES; one burst of concurrent GET_NUMBER calls (1.5 per SIM, mixed
 * countries, operators and services, so about a third are refused); an SMS on every sold SIM and
 * the time until its PUSH_SMS reaches the mock; concurrent FINISH_ACTIVATION (mostly 4, some 3);
 * GET_SERVICES again. Every GET_SERVICES answer is compared with the model of what is free.
 * Prints answer latency per action (client side, over real sockets; target
 * p99 < 50 ms, Onlinesim's limit 10 s), SMS-to-push latency and any count mismatch.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  type NumberOrder,
  percentile,
  ScriptedResellerClient,
} from '../integration/support/onlinesim-script-client.js';
import { FarmModel, flattenServices } from '../integration/support/onlinesim-script-model.js';
import {
  SESSION_API_KEY,
  SessionRig,
  type SimPlanEntry,
} from '../integration/support/onlinesim-script-rig.js';
import { waitUntil } from '../integration/support/wait.js';

const { values } = parseArgs({
  options: { modems: { type: 'string', default: '64' }, rounds: { type: 'string', default: '6' } },
});
const MODEMS = Number(values.modems);
const ROUNDS = Number(values.rounds);
const SERVICES = ['instagram', 'vk', 'telegram', 'whatsapp', 'facebook'];
const PLAN: readonly SimPlanEntry[] = [
  { country: 'russia', operator: 'mts' },
  { country: 'russia', operator: 'beeline' },
  { country: 'russia', operator: 'megafon', services: ['telegram', 'vk'] },
  { country: 'kazakhstan', operator: 'beeline' },
];

function ordersFor(round: number, count: number): NumberOrder[] {
  return Array.from({ length: count }, (_, i) => {
    const plan = PLAN[i % PLAN.length] ?? { country: 'russia', operator: 'mts' };
    const services = plan.services ?? SERVICES;
    return {
      country: plan.country,
      operator: i % 3 === 0 ? 'any' : plan.operator,
      service: services[(i + round) % services.length] ?? 'vk',
    };
  });
}

function stats(list: readonly number[]): string {
  const sorted = [...list].sort((a, b) => a - b);
  const f = (v: number): string => v.toFixed(1).padStart(7);
  return `n=${String(sorted.length).padStart(4)} p50=${f(percentile(sorted, 50))} p90=${f(percentile(sorted, 90))} p99=${f(percentile(sorted, 99))} max=${f(sorted.at(-1) ?? Number.NaN)} ms`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const rig = await SessionRig.start({
    modems: MODEMS,
    services: SERVICES,
    plan: (slot) => PLAN[slot % PLAN.length] ?? { country: 'russia', operator: 'mts' },
    retryDelayMs: 1_000,
  });
  process.stdout.write(`${MODEMS} modems ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const client = new ScriptedResellerClient(rig.resellerUrl, SESSION_API_KEY);
  const model = new FarmModel(rig.sims);
  for (const sim of rig.sims) model.setLive(sim.phone, true);
  const pushLatency: number[] = [];
  let mismatches = 0;
  let sold = 0;
  let refused = 0;

  const checkServices = async (): Promise<void> => {
    const counts = flattenServices(await client.getServices());
    const expected = model.expectedCounts();
    const keys = new Set([...counts.keys(), ...expected.keys()]);
    for (const key of keys) {
      if ((counts.get(key) ?? 0) !== (expected.get(key) ?? 0)) {
        mismatches += 1;
        process.stdout.write(
          `  count mismatch ${key}: got ${counts.get(key)}, expected ${expected.get(key)}\n`,
        );
      }
    }
  };

  try {
    for (let round = 0; round < ROUNDS; round++) {
      await checkServices();
      const orders = ordersFor(round, Math.ceil(MODEMS * 1.5));
      const answers = await Promise.all(orders.map((order) => client.getNumber(order)));
      const sales: { id: number; phone: string; service: string }[] = [];
      answers.forEach((answer, i) => {
        if (answer.status !== 'SUCCESS') {
          refused += 1;
          return;
        }
        const phone = String(answer.number);
        const service = orders[i]?.service ?? '';
        model.open(answer.activationId, phone, service);
        sales.push({ id: answer.activationId, phone, service });
      });
      sold += sales.length;
      await checkServices();

      const injectedAt = new Map<number, number>();
      await Promise.all(
        sales.map(async (sale) => {
          injectedAt.set(sale.id, Date.now());
          await rig.modemOf(sale.phone).injectSms({ sender: 'Service', text: `code ${sale.id}` });
        }),
      );
      await waitUntil(
        () => sales.every((sale) => rig.onlinesim.deliveredFor(sale.id).length > 0),
        `round ${round}: every push`,
        60_000,
        20,
      );
      for (const sale of sales) {
        const push = rig.onlinesim.deliveredFor(sale.id)[0];
        if (push) pushLatency.push(push.request.atMs - (injectedAt.get(sale.id) ?? push.request.atMs));
      }

      const verdicts = sales.map((_, i) => (i % 5 === 0 ? 3 : 4) as 3 | 4);
      await Promise.all(sales.map((sale, i) => client.finish(sale.id, verdicts[i] ?? 4, 10)));
      sales.forEach((sale, i) => {
        model.finish(sale.id, verdicts[i] ?? 4);
      });
      await checkServices();
      process.stdout.write(
        `round ${round + 1}/${ROUNDS}: ${sales.length} sold, ${orders.length - sales.length} refused\n`,
      );
    }
  } finally {
    await client.close();
    await rig.close();
  }

  const summary = (action: string): number[] =>
    client.timings.filter((t) => t.action === action).map((t) => t.ms);
  process.stdout.write(
    `\nreseller session, ${MODEMS} modems, ${ROUNDS} rounds: ${sold} sold, ${refused} refused\n`,
  );
  for (const action of ['GET_SERVICES', 'GET_NUMBER', 'FINISH_ACTIVATION']) {
    process.stdout.write(`${action.padEnd(18)} ${stats(summary(action))}\n`);
  }
  process.stdout.write(`${'ALL'.padEnd(18)} ${stats(client.timings.map((t) => t.ms))}\n`);
  process.stdout.write(`${'SMS -> PUSH_SMS'.padEnd(18)} ${stats(pushLatency)}\n`);
  const slow = client.timings.filter((t) => t.ms >= 10_000).length;
  process.stdout.write(`answers >= 10 s: ${slow}; GET_SERVICES count mismatches: ${mismatches}\n`);
  process.exitCode = slow > 0 || mismatches > 0 ? 1 : 0;
}

await main();
