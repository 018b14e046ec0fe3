import type { ModemSnapshot, ModemState } from '../modem/types.js';
import { Counter, Gauge, type Registry } from './prometheus/index.js';

/**
 * Per-modem series of the bridge metrics: state, signal, registration and storage gauges, and
 * the reset and reconnect counters, all read from `ModemSnapshot`s at scrape.
 *
 * Resets and reconnects have two possible feeds: events (`countEvent`, when the composition
 * root forwards them) and the cumulative counts every snapshot carries. Each port's counter
 * follows the larger of the two, so wiring both, either or only the snapshots never counts one
 * reset twice. A driver replaced by a new one (its count back to 0) adds on top of the old count.
 */

/** Every state, each with a series; the record makes the compiler name a state added later. */
const MODEM_STATES = Object.keys({
  opening: true,
  initializing: true,
  ready: true,
  recovering: true,
  gone: true,
} satisfies Record<ModemState, true>) as ModemState[];

/** A counter per port fed by events and by cumulative snapshot counts, whichever is ahead. */
export class PortCounter {
  readonly #counter: Counter<'port'>;
  readonly #events = new Map<string, number>();
  /** Per port: the last cumulative count seen, and what earlier driver lives had counted. */
  readonly #snapshots = new Map<string, { last: number; before: number }>();
  readonly #exposed = new Map<string, number>();

  constructor(counter: Counter<'port'>) {
    this.#counter = counter;
  }

  countEvent(port: string): void {
    this.#events.set(port, (this.#events.get(port) ?? 0) + 1);
    this.#catchUp(port);
  }

  observeSnapshot(port: string, cumulative: number): void {
    const seen = this.#snapshots.get(port) ?? { last: 0, before: 0 };
    // A count going down is a new driver starting from 0: keep what the old one had counted.
    if (cumulative < seen.last) seen.before += seen.last;
    seen.last = cumulative;
    this.#snapshots.set(port, seen);
    this.#catchUp(port);
  }

  #catchUp(port: string): void {
    const snapshot = this.#snapshots.get(port);
    const target = Math.max(this.#events.get(port) ?? 0, snapshot ? snapshot.before + snapshot.last : 0);
    const exposed = this.#exposed.get(port) ?? 0;
    if (target > exposed) {
      this.#counter.inc({ port }, target - exposed);
      this.#exposed.set(port, target);
    }
  }
}

export interface ModemMetrics {
  resets: PortCounter;
  reconnects: PortCounter;
}

/** Registers the per-modem series; one read of `modems()` per scrape fills them all. */
export function registerModemMetrics(
  registers: Registry[],
  modems: () => readonly ModemSnapshot[],
  onError: (err: unknown) => void,
): ModemMetrics {
  // The first gauge's collect fills every series: the registry collects each metric in
  // registration order, synchronously up to its first await, so the others read this scrape's.
  const fill = (): void => {
    for (const gauge of gauges) gauge.reset();
    let snapshots: readonly ModemSnapshot[];
    try {
      snapshots = modems();
    } catch (err) {
      onError(err);
      return;
    }
    for (const modem of snapshots) {
      const port = { port: modem.port };
      for (const candidate of MODEM_STATES) {
        state.set({ port: modem.port, state: candidate }, candidate === modem.state ? 1 : 0);
      }
      if (modem.signal !== null) signal.set(port, modem.signal);
      registered.set(port, modem.registered ? 1 : 0);
      if (modem.storageUsed !== null) storageUsed.set(port, modem.storageUsed);
      if (modem.storageTotal !== null) storageCapacity.set(port, modem.storageTotal);
      const lastSmsMs = modem.lastSmsAt === null ? Number.NaN : Date.parse(modem.lastSmsAt);
      if (Number.isFinite(lastSmsMs)) {
        lastSms.set(port, lastSmsMs / 1000);
        // Kept across scrapes: a modem unplugged after its SMS does not make the farm look silent.
        latestSmsMs = Math.max(latestSmsMs, lastSmsMs);
      }
      result.resets.observeSnapshot(modem.port, modem.resets);
      result.reconnects.observeSnapshot(modem.port, modem.reconnects);
    }
  };
  const state = new Gauge({
    name: 'simbridge_modem_state',
    help: 'Modem lifecycle state: 1 for the current state of the port, 0 for the others.',
    labelNames: ['port', 'state'],
    registers,
    collect: fill,
  });
  const signal = new Gauge({
    name: 'simbridge_modem_signal_rssi',
    help: 'Signal as +CSQ RSSI 0-31 (TS 27.007 §8.5; -113 + 2*n dBm); absent when unknown (99).',
    labelNames: ['port'],
    registers,
  });
  const registered = new Gauge({
    name: 'simbridge_modem_registered',
    help: '1 when registered to a network, home or roaming (+CREG/+CEREG stat 1 or 5).',
    labelNames: ['port'],
    registers,
  });
  const storageUsed = new Gauge({
    name: 'simbridge_modem_storage_used',
    help: 'Messages held in the modem storage receiving SMS (+CPMS used).',
    labelNames: ['port'],
    registers,
  });
  const storageCapacity = new Gauge({
    name: 'simbridge_modem_storage_capacity',
    help: 'Capacity of the modem storage receiving SMS (+CPMS total).',
    labelNames: ['port'],
    registers,
  });
  const lastSms = new Gauge({
    name: 'simbridge_modem_last_sms_timestamp_seconds',
    help: 'When the modem last received an SMS, Unix seconds; absent before the first.',
    labelNames: ['port'],
    registers,
  });
  let latestSmsMs = 0;
  const latestSms: Gauge = new Gauge({
    name: 'simbridge_last_sms_timestamp_seconds',
    help: 'When any modem last received an SMS, Unix seconds; 0 before the first.',
    registers,
    collect: () => latestSms.set(latestSmsMs / 1000),
  });
  const gauges = [state, signal, registered, storageUsed, storageCapacity, lastSms];
  const result: ModemMetrics = {
    resets: new PortCounter(
      new Counter({
        name: 'simbridge_modem_resets_total',
        help: 'Modem resets (reinit or vendor reset) by the recovery ladder.',
        labelNames: ['port'],
        registers,
      }),
    ),
    reconnects: new PortCounter(
      new Counter({
        name: 'simbridge_modem_reconnects_total',
        help: 'Modem ports reopened after a failure or a USB replug.',
        labelNames: ['port'],
        registers,
      }),
    ),
  };
  return result;
}
