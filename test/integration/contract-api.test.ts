import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES } from '../../src/store/repository.js';
import { type InProcessRig, startInProcessRig } from './support/in-process-bridge.js';
import { waitUntil } from './support/wait.js';

/**
 * CONTRACT.md §3 against the real wiring, after rent, SIM discovery and SIM health were merged:
 * `GET /api/modems` keeps every field the contract lists (with its types), and
 * `GET /api/messages` shows only the contract's states or the ones README documents as additions.
 */

const MODEM_FIELDS = [
  'port',
  'state',
  'imei',
  'imsi',
  'iccid',
  'phone',
  'operator',
  'signal',
  'registered',
  'lastSmsAt',
] as const;
const MODEM_STATES = ['opening', 'initializing', 'ready', 'recovering', 'gone'];
/**
 * CONTRACT.md §3 (`GET /api/messages?status=...`), as the contract spells them. Stated here, not
 * imported from src/store/repository.ts: the test must fail when the code's list drifts from it.
 */
const CONTRACT_STATUSES: readonly string[] =
  'pending, delivered, rejected, no_operation, filtered, expired, invalid'.split(', ');
/** README "Interfaces beyond the contract": `not_deliver`; part rows only with `?status=part`. */
const DOCUMENTED_ADDITIONS = ['not_deliver', 'part'];

describe('CONTRACT.md §3 on the emulator', () => {
  let rig: InProcessRig;

  beforeAll(async () => {
    rig = await startInProcessRig(2, { filter: { denySenders: ['Bank'] } });
  }, 20_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('GET /api/modems has every field of §3, with the contract types', async () => {
    const modems = await waitUntil(
      async () => {
        const list = (await (await rig.admin('/api/modems')).json()) as Record<string, unknown>[];
        return list.length === 2 && list.every((m) => m.state === 'ready') ? list : undefined;
      },
      'both modems ready',
      10_000,
    );
    for (const modem of modems) {
      for (const field of MODEM_FIELDS) expect(modem, field).toHaveProperty(field);
      expect(MODEM_STATES).toContain(modem.state);
      expect(typeof modem.port).toBe('string');
      expect(modem.registered).toBe(true);
      for (const field of ['imei', 'imsi', 'iccid', 'phone', 'operator'] as const) {
        expect(typeof modem[field], field).toBe('string');
      }
      expect(typeof modem.signal).toBe('number');
      expect(modem.lastSmsAt === null || typeof modem.lastSmsAt === 'string').toBe(true);
    }
    expect(modems.map((m) => m.phone).sort()).toEqual([...rig.phones].sort());
  });

  it('GET /api/messages lists only the contract states or documented additions', async () => {
    const open = await fetch(`${rig.bridge.adminUrl}/api/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: rig.phones[0], operationId: 355, service: 'vk' }),
    });
    expect(open.status).toBe(201);
    await rig.modems[0]?.injectSms({ sender: 'VK', text: 'VK: 1234' });
    await rig.modems[1]?.injectSms({ sender: 'VK', text: 'VK: 5678' });
    await rig.modems[0]?.injectSms({ sender: 'Bank', text: 'your card' });
    await rig.modems[0]?.injectSms({ sender: 'VK', text: `VK: 4321 ${'long text '.repeat(30)}` });
    const messages = await waitUntil(
      async () => {
        const list = (await (await rig.admin('/api/messages')).json()) as { status: string }[];
        return list.length >= 4 ? list : undefined;
      },
      'four messages stored',
      10_000,
    );
    const statuses = new Set(messages.map((m) => m.status));
    expect(statuses).toEqual(new Set(['pending', 'no_operation', 'filtered']));
    for (const status of statuses) expect(CONTRACT_STATUSES).toContain(status);
    // Every state the store can give is either in the contract or a documented addition.
    expect([...MESSAGE_STATUSES].filter((s) => !CONTRACT_STATUSES.includes(s))).toEqual(DOCUMENTED_ADDITIONS);
    for (const status of CONTRACT_STATUSES) {
      const res = await rig.admin(`/api/messages?status=${status}`);
      expect(res.status, status).toBe(200);
    }
  });
});
