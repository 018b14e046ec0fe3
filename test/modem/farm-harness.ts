import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AtEngineTimeouts } from '../../src/at/engine-options.js';
import { generateIdentity } from '../../src/emulator/identity.js';
import { EmulatedModem } from '../../src/emulator/modem.js';
import { PtyModemPort } from '../../src/emulator/pty-port.js';
import type { EmulatedModemOptions, ModemProfileName } from '../../src/emulator/types.js';
import { createLogger, type Logger, silentLogger } from '../../src/log.js';
import { ModemManager } from '../../src/modem/modem-manager.js';
import type { ModemTimings } from '../../src/modem/options.js';
import type { ReceivedSms } from '../../src/modem/types.js';
import { encodeSmsDeliver } from '../../src/sms/encode-deliver.js';

export const PROFILE_MIX: readonly ModemProfileName[] = [
  'generic',
  'huawei-e3372',
  'zte-mf190',
  'simcom-sim800',
  'simcom-sim7600',
  'quectel-ec25',
];

/** Short intervals so faults resolve in well under a second or two. */
export const TEST_TIMINGS = {
  pollIntervalMs: 300,
  watchdogIntervalMs: 500,
  watchdogTimeoutMs: 400,
  watchdogMisses: 2,
  simBusyRetryMs: 50,
  simBusyMaxDelayMs: 200,
  simBusyGiveUpMs: 10_000,
  recoveryBackoffBaseMs: 100,
  recoveryBackoffMaxMs: 800,
  resetSettleMs: 200,
  radioIntervalMs: 5_000,
  commandTimeoutMs: 1_500,
};

/** One global order of events, so "accept resolved before delete" is a plain comparison. */
let sequence = 0;
const nextSeq = (): number => {
  sequence += 1;
  return sequence;
};

export interface AcceptRecord {
  seq: number;
  /** `performance.now()` when the accept resolved. */
  atMs: number;
  sms: ReceivedSms;
}

/** What a farm's manager runs with; the short test settings unless a test says otherwise. */
export interface FarmManagerSettings {
  timings?: Partial<ModemTimings>;
  rescanIntervalMs?: number;
  /** The engine's own defaults when null. */
  engineTimeouts?: Partial<AtEngineTimeouts> | null;
}

export interface DeleteRecord {
  seq: number;
  iccid: string;
  index: number;
  pdu: string;
}

/** A farm of emulated modems on real ptys, with a ModemManager and a recording sink. */
export class PtyFarm {
  readonly dir = mkdtempSync(join(tmpdir(), 'simbridge-farm-'));
  readonly modems: EmulatedModem[] = [];
  readonly relays: PtyModemPort[] = [];
  readonly accepted: AcceptRecord[] = [];
  readonly deleted: DeleteRecord[] = [];
  manager: ModemManager | null = null;
  /** Accepts to refuse next (the store is "down"). */
  rejectNext = 0;
  readonly log: Logger =
    process.env.SIMBRIDGE_TEST_LOG === '1' ? createLogger({ level: 'debug' }) : silentLogger();

  async addModem(
    slot: number,
    profile: ModemProfileName,
    options: EmulatedModemOptions = {},
  ): Promise<EmulatedModem> {
    const modem = new EmulatedModem({
      name: `modem-${String(slot).padStart(2, '0')}`,
      profile,
      identity: generateIdentity(7, slot),
      bootTimeScale: 0,
      ...options,
    });
    modem.on('deleted', (info) => {
      this.deleted.push({ seq: nextSeq(), iccid: modem.identity.iccid, index: info.index, pdu: info.pdu });
    });
    const relay = new PtyModemPort({ modem, linkPath: join(this.dir, modem.name) });
    await relay.start();
    this.modems.push(modem);
    this.relays.push(relay);
    return modem;
  }

  async startManager(settings: FarmManagerSettings = {}): Promise<ModemManager> {
    const engineTimeouts =
      settings.engineTimeouts === undefined
        ? { defaultMs: TEST_TIMINGS.commandTimeoutMs, syncMs: 400, resyncQuietMs: 100, resyncMaxMs: 600 }
        : settings.engineTimeouts;
    this.manager = new ModemManager({
      ports: [join(this.dir, 'modem-*')],
      baudRate: 115_200,
      log: this.log,
      rescanIntervalMs: settings.rescanIntervalMs ?? 200,
      timings: settings.timings ?? TEST_TIMINGS,
      ...(engineTimeouts === null ? {} : { engineTimeouts }),
      sink: {
        accept: async (sms) => {
          await new Promise((resolve) => setImmediate(resolve));
          if (this.rejectNext > 0) {
            this.rejectNext -= 1;
            throw new Error('store unavailable');
          }
          this.accepted.push({ seq: nextSeq(), atMs: performance.now(), sms });
        },
      },
    });
    await this.manager.start();
    return this.manager;
  }

  /** PDUs accepted for one modem (by ICCID). */
  acceptedPdus(modem: EmulatedModem): string[] {
    return this.accepted.filter((r) => r.sms.iccid === modem.identity.iccid).map((r) => r.sms.pdu ?? '');
  }

  /** Every deletion must follow an accept of the same PDU from the same SIM. */
  deletionsWithoutPriorAccept(): DeleteRecord[] {
    return this.deleted.filter(
      (d) => !this.accepted.some((a) => a.seq < d.seq && a.sms.iccid === d.iccid && a.sms.pdu === d.pdu),
    );
  }

  async stop(): Promise<void> {
    await this.manager?.stop();
    for (const relay of this.relays) await relay.stop();
    for (const modem of this.modems) modem.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The PDUs of a message for modem `slot`: `kind` picks GSM 7-bit or UCS-2, short or long. */
export function messagePdus(
  slot: number,
  kind: 'gsm7' | 'ucs2' | 'gsm7-long' | 'ucs2-long',
  tag = 0,
): string[] {
  const base = {
    gsm7: `Code ${slot}-${tag}: 4711`,
    ucs2: `Код ${slot}-${tag}: 4711 ✓`,
    'gsm7-long': `Long ${slot}-${tag} `.padEnd(300, 'abcdefghij'),
    'ucs2-long': `Длинное ${slot}-${tag} `.padEnd(150, 'абвгдежзий'),
  }[kind];
  return encodeSmsDeliver({
    sender: '+79001234567',
    text: base,
    encoding: kind.startsWith('ucs2') ? 'ucs2' : 'gsm7',
    reference: (slot * 16 + tag) % 256,
    smsc: '+79168999100',
  });
}

/** Polls `condition` every 20 ms (real time). */
export async function waitFor(condition: () => boolean, limitMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > limitMs) throw new Error(`timed out after ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}
