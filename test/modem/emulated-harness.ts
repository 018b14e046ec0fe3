import { vi } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { generateIdentity } from '../../src/emulator/identity.js';
import { EmulatedModem } from '../../src/emulator/modem.js';
import type { EmulatedModemOptions, ModemProfileName } from '../../src/emulator/types.js';
import { silentLogger } from '../../src/log.js';
import { ModemDriver, type ModemDriverOptions } from '../../src/modem/modem-driver.js';
import { DEFAULT_MODEM_TIMINGS, type ModemTimings } from '../../src/modem/options.js';
import type { ReceivedSms } from '../../src/modem/types.js';
import type { ByteChannel } from '../../src/transport/byte-channel.js';
import { FAST } from './driver-harness.js';

/**
 * A {@link ByteChannel} straight onto an emulated modem, in-process: the real AT engine and
 * the real emulator, no pty, so tests run on fake clocks. Output reaches the host on a
 * microtask (never inside the write that caused it), like bytes from a real line.
 */
export class EmulatorChannel implements ByteChannel {
  readonly name: string;
  #open = true;
  readonly #data = new Set<(chunk: Uint8Array) => void>();
  readonly #close = new Set<(error: Error | null) => void>();
  readonly #detach: () => void;

  constructor(readonly modem: EmulatedModem) {
    this.name = modem.name;
    const forward = (bytes: Uint8Array): void => {
      const copy = Uint8Array.from(bytes);
      queueMicrotask(() => {
        if (!this.#open) return;
        for (const listener of this.#data) listener(copy);
      });
    };
    const unplugged = (): void => this.#closeWith(new Error(`${modem.name} unplugged`));
    modem.on('output', forward);
    modem.on('unplugged', unplugged);
    this.#detach = () => {
      modem.off('output', forward);
      modem.off('unplugged', unplugged);
    };
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.#open) throw new Error(`${this.name} is closed`);
    this.modem.hostWrite(data);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  onClose(listener: (error: Error | null) => void): () => void {
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }

  async close(): Promise<void> {
    this.#closeWith(null);
  }

  #closeWith(error: Error | null): void {
    if (!this.#open) return;
    this.#open = false;
    this.#detach();
    for (const listener of this.#close) listener(error);
  }
}

/** Records what the driver handed up, in order. */
/** Makes `sink` refuse every message (a store that is down) until `allow()` is called. */
export function refuseUntilAllowed(sink: RecordingSink): { allow(): void } {
  const accept = sink.accept.bind(sink);
  let refusing = true;
  sink.accept = async (sms) => {
    if (refusing) throw new Error('store unavailable');
    return accept(sms);
  };
  return {
    allow: () => {
      refusing = false;
    },
  };
}

export class RecordingSink {
  readonly accepted: ReceivedSms[] = [];
  async accept(sms: ReceivedSms): Promise<void> {
    this.accepted.push(sms);
  }
  pdus(): string[] {
    return this.accepted.map((sms) => sms.pdu ?? '');
  }
}

/**
 * The default modem timings with only the watchdog and the command deadlines made quick: what
 * the fake-clock tests of recovery and of an idle modem's commands run on.
 */
export const QUICK_DEADLINE_TIMINGS: Partial<ModemTimings> = {
  ...DEFAULT_MODEM_TIMINGS,
  watchdogTimeoutMs: 500,
  watchdogMisses: 2,
  storageCheckTimeoutMs: 500,
  commandTimeoutMs: 1_000,
};

/**
 * One driver on one emulated modem at unlimited line speed, on the test's (fake) clock. The
 * modem's storage, deletes and faults are the emulator's own.
 */
export function emulatedSetup(
  profile: ModemProfileName,
  timings: Partial<ModemTimings> = {},
  modemOptions: EmulatedModemOptions = {},
  driverOptions: Pick<ModemDriverOptions, 'storageTicker'> = {},
) {
  const modem = new EmulatedModem({
    name: 'emu-01',
    profile,
    identity: generateIdentity(3, 1),
    baudRate: 0,
    bootTimeScale: 0,
    now: () => Date.now(),
    ...modemOptions,
  });
  const sink = new RecordingSink();
  const deleted: Array<{ index: number; pdu: string }> = [];
  modem.on('deleted', (info) => deleted.push({ index: info.index, pdu: info.pdu }));
  const driver = new ModemDriver({
    port: '/dev/gsm/emu01',
    sink,
    log: silentLogger(),
    openChannel: async () => {
      if (!modem.isPlugged) throw new Error('ENOENT');
      return new EmulatorChannel(modem);
    },
    createCommander: (channel, log) =>
      new AtEngine({
        channel,
        log,
        timeouts: { defaultMs: 1_000, syncMs: 300, resyncQuietMs: 50, resyncMaxMs: 300 },
      }),
    timings: { ...FAST, ...timings },
    goneRetryMs: 500,
    ...driverOptions,
  });
  return { modem, sink, driver, deleted };
}

/** Advances fake time in small steps until `condition` holds; returns the fake ms it took. */
export async function advanceUntil(condition: () => boolean, limitMs = 30_000, stepMs = 10): Promise<number> {
  const started = Date.now();
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    if (condition()) return Date.now() - started;
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  throw new Error(`condition not met within ${limitMs} ms of fake time`);
}
