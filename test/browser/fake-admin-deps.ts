import type { AdminDeps, AdminMessage, AdminOperation, HealthFacts } from '../../src/http/admin-deps.js';
import type { ModemSnapshot } from '../../src/modem/types.js';

/** A small farm for status page and CLI tests: three modems, two SIMs mapped, mutable lists. */

export const MODEMS: ModemSnapshot[] = [
  snapshot(
    '/dev/gsm/usb-1.2',
    'ready',
    '89701012345678901234',
    '250011234567890',
    'MTS',
    21,
    '2026-11-24T12:00:00.000Z',
  ),
  snapshot('/dev/gsm/usb-1.3', 'ready', '89701019876543210987', '250029876543210', 'MegaFon', 12, null),
  { ...snapshot('/dev/gsm/usb-1.4', 'recovering', null, null, null, null, null), identity: null },
];

export const PHONES: Record<string, string> = {
  '89701012345678901234': '79088081050',
  '89701019876543210987': '79161234567',
};

function snapshot(
  port: string,
  state: ModemSnapshot['state'],
  iccid: string | null,
  imsi: string | null,
  operator: string | null,
  signal: number | null,
  lastSmsAt: string | null,
): ModemSnapshot {
  return {
    port,
    state,
    identity: {
      manufacturer: 'huawei',
      model: 'E3372',
      revision: '22.200',
      imei: '861234567890123',
      imsi,
      iccid,
      vendor: 'huawei',
    },
    operator,
    signal,
    registered: state === 'ready',
    lastSmsAt,
    storageUsed: 0,
    storageTotal: 20,
    resets: 0,
    reconnects: 0,
  };
}

export function message(id: number, fields: Record<string, unknown> = {}): AdminMessage {
  return {
    id,
    status: 'delivered',
    port: '/dev/gsm/usb-1.2',
    phone: '79088081050',
    sender: 'Instagram',
    text: `Your code is ${800100 + id}`,
    receivedAtMs: Date.parse('2026-11-24T12:00:00Z') + id * 1000,
    operationId: 355,
    rawPdu: '07919761989901F0040B919701119905F80000',
    push: { id, state: 'delivered', attempts: 1, finalReason: null },
    multipart: null,
    ...fields,
  } as AdminMessage;
}

export interface FakeAdmin extends AdminDeps {
  operationsList: AdminOperation[];
  messagesList: AdminMessage[];
  facts: HealthFacts;
}

export function fakeAdminDeps(overrides: Partial<AdminDeps> = {}): FakeAdmin {
  const operationsList: AdminOperation[] = [
    { id: 355, phone: '79088081050', service: 'instagram', status: 'active' },
    { id: 300, phone: '79161234567', service: 'vk', status: 'finished' },
  ];
  const messagesList: AdminMessage[] = [
    message(2),
    message(1, { status: 'pending', push: { id: 1, state: 'pending', attempts: 3 } }),
  ];
  const facts: HealthFacts = {
    storeWritable: true,
    modemsOnline: 2,
    outboxOldestPendingAgeMs: 42_000,
    outboxDepth: 1,
  };
  const deps: FakeAdmin = {
    operationsList,
    messagesList,
    facts,
    modems: () => MODEMS,
    phoneFor: ({ iccid }) => (iccid === null ? null : (PHONES[iccid] ?? null)),
    isKnownPhone: (phone) => Object.values(PHONES).includes(phone),
    operations: {
      async create(input) {
        if (operationsList.some((o) => o.id === input.operationId)) {
          const { GatewayError } = await import('../../src/errors.js');
          throw new GatewayError(
            'STORE_OPERATION_ID_USED',
            `operation id ${input.operationId} is already used`,
          );
        }
        for (const o of operationsList) if (o.phone === input.phone) o.status = 'finished';
        const op = { id: input.operationId, phone: input.phone, service: input.service, status: 'active' };
        operationsList.unshift(op);
        return op;
      },
      async end(id) {
        const op = operationsList.find((o) => o.id === id && o.status === 'active');
        if (!op) return null;
        op.status = 'finished';
        return op;
      },
      async list({ activeOnly, limit }) {
        return operationsList.filter((o) => !activeOnly || o.status === 'active').slice(0, limit);
      },
    },
    messages: {
      async list({ status, limit }) {
        return messagesList.filter((m) => status === undefined || m.status === status).slice(0, limit);
      },
    },
    health: async () => facts,
    ...overrides,
  };
  return deps;
}
