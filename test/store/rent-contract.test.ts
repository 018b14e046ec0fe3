import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenedStore, openStore } from '../../src/store/open-store.js';
import type { IngestInput } from '../../src/store/repository.js';
import type { ClaimRequest, ResellerStore } from '../../src/store/reseller-store.js';
import { BACKENDS, type StoreHandle, sharedCluster } from './support/backends.js';
import { noticePgSkip, PG_BIN_DIR } from './support/pg-cluster.js';
import { fakeClock } from './support/temp-db.js';

/*
 * Rent (onlinesim-reseller.md §7) in both stores: a rent is an operation with service `rent`,
 * so a rented SIM is busy for activations and the other way round, with the same atomic claim.
 */

noticePgSkip();

const T0 = 1_700_000_000_000;
const DAY_MS = 86_400_000;
const PHONES = ['79000000001', '79000000002', '79000000003', '79000000004', '79000000005'];

function claim(reseller: ResellerStore, kind: 'rent' | 'vk', nowMs = T0, phones = PHONES) {
  const request: ClaimRequest = {
    candidatePhones: phones,
    service: kind,
    country: 'russia',
    operator: 'mts',
    offeredSum: kind === 'rent' ? 870 : 10,
    nowMs,
    ...(kind === 'rent' ? { rent: { days: 2, expiresAtMs: nowMs + 2 * DAY_MS } } : {}),
  };
  return reseller.claimNumber(request);
}

function sms(n: number, phone: string, sender: string): IngestInput {
  return {
    kind: 'single',
    message: {
      simKey: `sim-${phone}`,
      iccid: null,
      imsi: null,
      port: '/dev/ttyUSB0',
      phone,
      storage: 'SM',
      storageIndex: n,
      rawPdu: `0791${n}`,
      rawText: null,
      dedupeKey: `rent-${n}`,
      sender,
      senderType: 'alphanumeric',
      text: `code ${n}`,
      encoding: 'gsm7',
      scTimestamp: null,
      receivedAtMs: T0,
    },
    route: { kind: 'push', phone },
  };
}

describe.each(BACKENDS)('rent on the $name store', (backend) => {
  let store: StoreHandle | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });
  const open = async () => {
    store = await backend.open(fakeClock(T0));
    return store;
  };

  describe.skipIf(!backend.available)('', () => {
    it('opens a rent as an operation with service rent that activations cannot take, and vice versa', async () => {
      const { reseller, repo } = await open();
      const one = [PHONES[0] as string];
      const rent = await claim(reseller, 'rent', T0, one);
      expect(rent).toMatchObject({ phone: PHONES[0] });
      expect(await claim(reseller, 'vk', T0 + 1, one)).toBeNull();
      expect(await claim(reseller, 'rent', T0 + 1, one)).toBeNull();
      const op = await repo.activeOperationForPhone(PHONES[0] as string);
      expect(op).toMatchObject({ id: rent?.operationId, service: 'rent', source: 'reseller' });
      expect(await reseller.rents({ activeOnly: true })).toEqual([
        {
          operationId: rent?.operationId,
          phone: PHONES[0],
          status: 'active',
          days: 2,
          rentedAtMs: T0,
          expiresAtMs: T0 + 2 * DAY_MS,
          smsCount: 0,
          sum: null,
          finishStatus: null,
          endedAtMs: null,
          endReason: null,
        },
      ]);
      const two = [PHONES[1] as string];
      expect(await claim(reseller, 'vk', T0, two)).toMatchObject({ phone: PHONES[1] });
      expect(await claim(reseller, 'rent', T0 + 1, two)).toBeNull();
      expect(await reseller.rentTotals()).toEqual({ open: 1, earnedByKind: { activation: 0, rent: 0 } });
    });

    it('routes every SMS of a rented SIM to the rent, marked for the rent push URL, and counts them', async () => {
      const { reseller, repo } = await open();
      const rent = await claim(reseller, 'rent', T0, [PHONES[0] as string]);
      const act = await claim(reseller, 'vk', T0, [PHONES[1] as string]);
      for (const [n, sender] of ['Instagram', '+79161234567', 'Bank'].entries()) {
        expect(await repo.ingest(sms(n, PHONES[0] as string, sender), T0 + n)).toMatchObject({
          status: 'pending',
        });
      }
      await repo.ingest(sms(9, PHONES[1] as string, 'VK'), T0 + 9);
      const pushes = await repo.claimDue(T0 + 100, 10, T0 + 1_000);
      const rentPushes = pushes.filter((p) => p.operationId === rent?.operationId);
      expect(rentPushes.map((p) => [p.body.smsId, p.body.phoneFrom, p.body.target])).toEqual([
        [rent?.operationId, 'Instagram', 'rent'],
        [rent?.operationId, '+79161234567', 'rent'],
        [rent?.operationId, 'Bank', 'rent'],
      ]);
      const activation = pushes.find((p) => p.operationId === act?.operationId);
      expect(activation?.body.target).toBeUndefined();
      expect((await reseller.rents())[0]?.smsCount).toBe(3);
    });

    it('ends a rent once on FINISH (twice is one end), records its sum, and may rent the SIM again', async () => {
      const { reseller } = await open();
      const rent = await claim(reseller, 'rent', T0, [PHONES[0] as string]);
      const id = rent?.operationId ?? 0;
      const finish = (sum: number, nowMs: number) =>
        reseller.finishActivation({ activationId: id, status: 3, sum, nowMs });
      expect(await finish(870, T0 + DAY_MS)).toMatchObject({ kind: 'closed', service: 'rent' });
      expect(await finish(999, T0 + DAY_MS + 5)).toMatchObject({ kind: 'repeated', previousStatus: 3 });
      expect((await reseller.rents())[0]).toMatchObject({
        status: 'finished',
        sum: 870,
        finishStatus: 3,
        endedAtMs: T0 + DAY_MS,
        endReason: 'finish',
      });
      // A rent verdict does not retire the number for any service.
      expect(await reseller.simServices()).toEqual([]);
      expect(await reseller.rentTotals()).toEqual({ open: 0, earnedByKind: { activation: 0, rent: 870 } });
      expect(await claim(reseller, 'rent', T0 + DAY_MS + 10, [PHONES[0] as string])).toMatchObject({
        phone: PHONES[0],
      });
    });

    it('ends rents past their end and grace locally; a later FINISH still records the sum', async () => {
      const { reseller } = await open();
      const rent = await claim(reseller, 'rent', T0, [PHONES[0] as string]);
      const id = rent?.operationId ?? 0;
      const end = T0 + 2 * DAY_MS;
      expect(await reseller.expireRents(end + 999, 1_000)).toEqual([]);
      expect(await reseller.expireRents(end + 1_000, 1_000)).toEqual([id]);
      expect(await reseller.expireRents(end + 2_000, 1_000)).toEqual([]);
      expect((await reseller.rents())[0]).toMatchObject({
        status: 'finished',
        endedAtMs: end + 1_000,
        endReason: 'expired',
      });
      expect(await claim(reseller, 'vk', end + 3_000, [PHONES[0] as string])).not.toBeNull();
      expect(
        await reseller.finishActivation({ activationId: id, status: 3, sum: 500, nowMs: end + 9_000 }),
      ).toMatchObject({ kind: 'recorded' });
      expect((await reseller.rents({ operationIds: [id] }))[0]).toMatchObject({
        sum: 500,
        finishStatus: 3,
        endReason: 'expired',
      });
    });

    it('never gives one SIM twice among 50 parallel claims mixing rent and activation on 5 SIMs', async () => {
      const { reseller, repo } = await open();
      const claims = await Promise.all(
        Array.from({ length: 50 }, (_, i) => claim(reseller, i % 2 === 0 ? 'rent' : 'vk', T0 + i)),
      );
      const won = claims.filter((c) => c !== null);
      expect(won).toHaveLength(5);
      expect(new Set(won.map((c) => c?.phone)).size).toBe(5);
      const active = await repo.listOperations({ activeOnly: true, limit: 100 });
      expect(active).toHaveLength(5);
      const rents = await reseller.rents({ activeOnly: true });
      expect(rents.map((r) => r.operationId).sort()).toEqual(
        active
          .filter((op) => op.service === 'rent')
          .map((op) => op.id)
          .sort(),
      );
    });
  });
});

describe('rent across restarts and hosts', () => {
  const opened: OpenedStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const NODE = { staleAfterMs: 30_000, heartbeatIntervalMs: 5_000 };

  it('keeps a rent in the SQLite file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-rent-'));
    const config = { storage: { sqlite: join(dir, 'store.db') }, node: { name: 'a', ...NODE } };
    try {
      const first = await openStore(config);
      const rent = await claim(first.reseller, 'rent', T0, [PHONES[0] as string]);
      await first.close();
      const again = await openStore(config);
      opened.push(again);
      expect((await again.reseller.rents({ activeOnly: true })).map((r) => r.operationId)).toEqual([
        rent?.operationId,
      ]);
      expect(await claim(again.reseller, 'vk', T0 + 1, [PHONES[0] as string])).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(PG_BIN_DIR === null)(
    'shares a rent farm-wide on PostgreSQL: the SIM moved to host B keeps its rent and its SMS',
    async () => {
      const url = await (await sharedCluster()).createDatabase();
      const [a, b] = await Promise.all(
        ['host-a', 'host-b'].map((name) =>
          openStore({ storage: { sqlite: '', postgres: url }, node: { name, ...NODE } }),
        ),
      );
      if (!a || !b) throw new Error('two hosts expected');
      opened.push(a, b);
      const rent = await claim(a.reseller, 'rent', T0, [PHONES[0] as string]);
      expect(await claim(b.reseller, 'vk', T0 + 1, [PHONES[0] as string])).toBeNull();
      // The SIM now sits in a modem of host B: what it receives goes to the same rent.
      await b.repository.ingest(sms(1, PHONES[0] as string, 'Instagram'), T0 + 2);
      const [push] = await b.repository.claimDue(T0 + 10, 10, T0 + 1_000);
      expect(push).toMatchObject({ operationId: rent?.operationId, body: { target: 'rent' } });
      expect((await a.reseller.rents())[0]).toMatchObject({ smsCount: 1, status: 'active' });
    },
  );
});
