import type { AtCommander } from '../at/types.js';
import type { Logger } from '../log.js';
import { call, describeFinal, isOk } from './at-call.js';
import { parseCmtHeader } from './parsers/parse-cmt.js';
import type { CmtiIndication } from './parsers/parse-cmti.js';
import { isSimBusy } from './profiles/profile.js';
import { SlotLedger } from './slot-ledger.js';
import type { SmsSettings } from './sms-setup.js';
import { deleteStored, listStored, readStored, type StoredMessage } from './sms-storage.js';
import { parseCmtTextMode } from './text-mode.js';
import type { ModemIdentity, ReceivedSms, SmsSink } from './types.js';

export interface ReceiverOptions {
  at: AtCommander;
  sink: SmsSink;
  log: Logger;
  port: string;
  settings: SmsSettings;
  identity: ModemIdentity;
  commandTimeoutMs: number | undefined;
  /** Wait before reading again an index (or listing again) refused with SIM busy. */
  simBusyRetryMs: number;
  /** Called once the sink accepted a message (before it is deleted or acknowledged). */
  onAccepted(sms: ReceivedSms): void;
  /** Called once a stored message was deleted after its ack. */
  onDeleted(index: number): void;
}

/** What one sweep did, for logs and tests. */
export interface SweepReport {
  listed: number;
  accepted: number;
  rejected: number;
  skipped: number;
  /** The listing command was refused outright (not SIM busy): settings may be lost. */
  refused: boolean;
  /** The listing was refused with SIM busy; another is already scheduled. */
  busy: boolean;
}

/** SIM-busy retries of one read before it is left to the sweeps. */
const MAX_BUSY_RETRIES = 30;

/**
 * `+CMTI` reads of one modem under way at once (read, accept, delete); later ones wait as an
 * index and a resolver. A few keep the serial line busy while earlier messages commit. A
 * flood of 20 +CMTI on each of 64 modems otherwise started 1280 reads at once, each with its
 * queued AT commands, promises and closures (a heap snapshot in the flood: 1280 pending reads,
 * 2496 queued sends), for work that the modem's one serial line does one command at a time.
 * With 4, the flood's peak RSS was 3.5 MB lower (90.0-90.1 -> 86.4-86.5 MB) and its duration
 * the same within the runs' noise (1.3-1.8 s both ways).
 */
export const MAX_CONCURRENT_INDICATION_READS = 4;

/**
 * Receiving, with one rule above all (quirks.md §0 "read, store durably, then delete"): a
 * message leaves the modem (`AT+CMGD`, or `AT+CNMA` for direct delivery) only after
 * `sink.accept` resolved. A rejected accept leaves it in storage for the next sweep.
 *
 * Sources: the sweep (`AT+CMGL`, at ready, on a timer and when storage fills), `+CMTI`
 * (`AT+CMGR` of one index) and `+CMT` (direct). An index is never handed up twice at the same
 * time, and a sweep never acts on an index whose delete was queued after its listing: that slot
 * may already hold a newer message (see `SlotLedger`). A slot emptied before the listing and
 * filled again is listed like any other and read.
 */
export class SmsReceiver {
  #options: ReceiverOptions;
  readonly #inFlight = new Set<number>();
  readonly #slots = new SlotLedger();
  #running: Promise<SweepReport> | null = null;
  #again = false;
  /** +CMTI that arrived while their index was in flight, re-read once it is released. */
  readonly #deferred = new Map<number, CmtiIndication>();
  /** Reads and listings refused with SIM busy, waiting for their retry. */
  readonly #retries = new Set<ReturnType<typeof setTimeout>>();
  readonly #busyReads = new Map<number, number>();
  #busyListings = 0;
  #closed = false;
  /** Indication reads holding a slot, and those waiting for one (FIFO). */
  #activeReads = 0;
  readonly #readWaiters: Array<() => void> = [];

  constructor(options: ReceiverOptions) {
    this.#options = options;
  }

  /**
   * Stops handing up new work while the modem is not ready; in-flight accepts finish but their
   * delete is skipped (the message is offered again later, never concurrently).
   */
  pause(): void {
    this.#closed = true;
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    this.#busyReads.clear();
    this.#busyListings = 0;
  }

  /**
   * Resumes on a (re)initialised modem. One receiver lives as long as its driver, so the
   * in-flight set and the deletion record survive resets and reopened ports.
   */
  resume(binding: Pick<ReceiverOptions, 'at' | 'settings' | 'identity'>): void {
    this.#options = { ...this.#options, ...binding };
    this.#closed = false;
  }

  /** Number of stored indexes being handed up right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** True while a sweep or a read is under way (the storage count is then in motion). */
  get busy(): boolean {
    return this.#running !== null || this.#inFlight.size > 0;
  }

  /** Runs a sweep, or joins the running one and asks for another pass after it. */
  sweep(): Promise<SweepReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async (): Promise<SweepReport> => {
      const total: SweepReport = {
        listed: 0,
        accepted: 0,
        rejected: 0,
        skipped: 0,
        refused: false,
        busy: false,
      };
      do {
        this.#again = false;
        const report = await this.#sweepOnce();
        total.listed += report.listed;
        total.accepted += report.accepted;
        total.rejected += report.rejected;
        total.skipped += report.skipped;
        total.refused ||= report.refused;
        total.busy ||= report.busy;
      } while (this.#again && !this.#closed);
      this.#busyListings = total.busy ? this.#busyListings + 1 : 0;
      if (total.busy && this.#busyListings <= MAX_BUSY_RETRIES) {
        // SIM busy (just after a boot): list again shortly, not at the next timed sweep.
        this.#later(() => void this.sweep());
      }
      return total;
    };
    this.#running = run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** `+CMTI`: read that index and hand it up (TS 27.005 §3.4.1, mt=1). */
  async onIndication(indication: CmtiIndication): Promise<void> {
    const { index } = indication;
    if (this.#closed) return;
    if (this.#inFlight.has(index)) {
      // A new message landing in a slot just freed: the modem sends its +CMTI right after the
      // OK of our AT+CMGD, often before that index is released here. Read it as soon as it is
      // released, not at the next timed sweep (up to `pollIntervalMs` later).
      this.#again = true;
      this.#deferred.set(index, indication);
      return;
    }
    // Claimed before waiting for a slot: a sweep or a repeated +CMTI leaves the index alone.
    this.#inFlight.add(index);
    let slot = false;
    try {
      await this.#readSlot();
      slot = true;
      if (this.#closed) return;
      const read = await readStored(
        this.#options.at,
        index,
        this.#options.settings,
        this.#options.commandTimeoutMs,
      );
      if (read.kind === 'busy') {
        this.#readAgainLater(indication);
        return;
      }
      this.#busyReads.delete(index);
      if (read.kind === 'empty') {
        this.#options.log.debug({ index }, '+CMTI slot empty on read; the sweep will look again');
        return;
      }
      await this.#handOver(read.message);
    } finally {
      if (slot) this.#freeReadSlot();
      this.#release(index);
    }
  }

  /** Resolves once this read may start (see `MAX_CONCURRENT_INDICATION_READS`). */
  #readSlot(): Promise<void> {
    if (this.#activeReads < MAX_CONCURRENT_INDICATION_READS) {
      this.#activeReads += 1;
      return Promise.resolve();
    }
    // The slot is handed over by `#freeReadSlot`, so the count stays as it is.
    return new Promise((resolve) => this.#readWaiters.push(resolve));
  }

  #freeReadSlot(): void {
    const next = this.#readWaiters.shift();
    if (next) next();
    else this.#activeReads -= 1;
  }

  /** `+CMT` (two lines: header and PDU, or header and text): direct delivery (mt=2). */
  async onDirect(lines: readonly string[]): Promise<void> {
    const { settings, log } = this.#options;
    let sms: ReceivedSms;
    if (settings.mode === 'pdu') {
      const header = parseCmtHeader(lines[0] ?? '');
      const pdu = (lines[1] ?? '').trim().toUpperCase();
      if (header === null || !/^[0-9A-F]+$/.test(pdu)) {
        log.warn({ lines }, 'malformed +CMT; not acknowledged so the network retries');
        return;
      }
      sms = this.#build({ kind: 'direct' }, pdu, null, null);
    } else {
      const text = parseCmtTextMode(lines, { charset: settings.charset ?? 'GSM', csdh: settings.csdh });
      if (text === null) return;
      sms = this.#build({ kind: 'direct' }, null, text, null);
    }
    try {
      await this.#options.sink.accept(sms);
    } catch (err) {
      log.warn({ err }, 'sink refused a direct message; not acknowledged, the network will retry');
      return;
    }
    this.#options.onAccepted(sms);
    if (settings.ackWithCnma && !this.#closed) {
      const ack = await call(this.#options.at, 'AT+CNMA', { timeoutMs: this.#options.commandTimeoutMs });
      if (!isOk(ack)) log.warn({ final: describeFinal(ack.final) }, 'AT+CNMA refused');
    }
  }

  /** A read refused with SIM busy: read that index again shortly, a bounded number of times. */
  #readAgainLater(indication: CmtiIndication): void {
    const tries = (this.#busyReads.get(indication.index) ?? 0) + 1;
    if (tries > MAX_BUSY_RETRIES) {
      this.#busyReads.delete(indication.index);
      this.#options.log.warn(
        { index: indication.index },
        'SIM still busy; leaving the message to the sweeps',
      );
      return;
    }
    this.#busyReads.set(indication.index, tries);
    this.#options.log.debug({ index: indication.index, tries }, 'read refused with SIM busy; retrying');
    this.#later(() => {
      this.onIndication(indication).catch((err: unknown) => {
        this.#options.log.warn({ err, index: indication.index }, 'reading a message again failed');
      });
    });
  }

  /** Runs `task` after the SIM-busy retry delay, unless paused meanwhile. */
  #later(task: () => void): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      if (!this.#closed) task();
    }, this.#options.simBusyRetryMs);
    this.#retries.add(timer);
  }

  /** Ends the hand-over of `index` and reads it again if a +CMTI for it came meanwhile. */
  #release(index: number): void {
    this.#inFlight.delete(index);
    const deferred = this.#deferred.get(index);
    if (deferred === undefined) return;
    this.#deferred.delete(index);
    if (this.#closed) return;
    this.onIndication(deferred).catch((err: unknown) => {
      this.#options.log.warn({ err, index }, 'reading a deferred indicated message failed');
    });
  }

  async #sweepOnce(): Promise<SweepReport> {
    const { at, settings, log, commandTimeoutMs } = this.#options;
    const listedAt = this.#slots.listing();
    const listing = await listStored(at, settings, commandTimeoutMs);
    if (!isOk(listing.response)) {
      log.warn({ final: describeFinal(listing.response.final) }, 'message listing refused');
    }
    for (const skipped of listing.skipped) {
      log.warn({ index: skipped.index, reason: skipped.reason }, 'listed message without a usable PDU; kept');
    }
    const report: SweepReport = {
      listed: listing.messages.length,
      accepted: 0,
      rejected: 0,
      skipped: listing.skipped.length,
      refused: !isOk(listing.response) && !isSimBusy(listing.response.final),
      busy: isSimBusy(listing.response.final),
    };
    for (const message of listing.messages) {
      if (this.#closed) break;
      if (this.#slots.changedSince(message.index, listedAt) || this.#inFlight.has(message.index)) continue;
      this.#inFlight.add(message.index);
      try {
        if (await this.#handOver(message)) report.accepted += 1;
        else report.rejected += 1;
      } finally {
        this.#release(message.index);
      }
    }
    return report;
  }

  /** Hands one stored message to the sink and deletes it only once accepted. */
  async #handOver(message: StoredMessage): Promise<boolean> {
    const { sink, log, settings } = this.#options;
    const origin = { kind: 'stored', storage: settings.storage, index: message.index } as const;
    const sms = this.#build(origin, message.pdu, message.textMode, message.status);
    try {
      await sink.accept(sms);
    } catch (err) {
      log.warn({ err, index: message.index }, 'sink refused a message; kept on the modem for the next sweep');
      return false;
    }
    this.#options.onAccepted(sms);
    if (this.#closed) return true;
    // Read after the await: a reopened port has a new commander.
    this.#slots.deleting(message.index);
    const deleted = await deleteStored(this.#options.at, message.index, this.#options.commandTimeoutMs);
    if (isOk(deleted)) {
      this.#options.onDeleted(message.index);
    } else {
      // Offered again by the next sweep; the sink deduplicates.
      log.warn({ index: message.index, final: describeFinal(deleted.final) }, 'delete refused after ack');
    }
    return true;
  }

  #build(
    origin: ReceivedSms['origin'],
    pdu: string | null,
    textMode: ReceivedSms['textMode'],
    status: number | null,
  ): ReceivedSms {
    const { port, identity } = this.#options;
    return {
      port,
      iccid: identity.iccid,
      imsi: identity.imsi,
      origin,
      pdu,
      textMode,
      status,
      receivedAtMs: Date.now(),
    };
  }
}
