import type { ModemSettings } from './commands/context.js';
import type { SmsStorage } from './sms-storage.js';
import type { StoredMessage } from './types.js';

/** What the delivery model needs from its modem. */
export interface DeliveryHost {
  /** False while hung, unplugged, booting (SMS not ready) or with the radio off. */
  canDeliver(): boolean;
  settings(): ModemSettings;
  readonly storage: SmsStorage;
  now(): number;
  /** Sends `+CMTI: "<storage>",<index>`. */
  sendIndication(storage: string, index: number): void;
  /** Sends `+CMT: ...` with the message. */
  sendDirect(pdu: string): void;
  stored(message: StoredMessage): void;
  acked(pdu: string): void;
  /** Storage is full and a message is waiting (Huawei announces `^SMMEMFULL`). */
  memoryFull(): void;
}

/**
 * The network side of SMS reception (TS 23.040 §10 / TS 24.011 in miniature). Messages wait
 * in a queue, like an SMSC holding them for a subscriber, until the modem can take them:
 *
 * - CNMI mt=1 (or mode 0): stored in <mem3>, then `+CMTI` (unless dropped on purpose).
 * - CNMI mt=0: stored silently.
 * - CNMI mt=2/3 with mode > 0: routed directly as `+CMT`, never stored. With `AT+CSMS=1` the
 *   host must answer `AT+CNMA` within `cnmaTimeoutMs`; only one un-acked +CMT is outstanding.
 *   On timeout the modem sets <mt> and <ds> to 0 (TS 27.005 §3.4.1) and the network retries,
 *   so the message is then stored silently: nothing is lost, the host finds it with +CMGL.
 * - Storage full: the message stays queued (the network sees RP-ERROR 322 and retries) and is
 *   delivered as soon as a delete frees a slot. Nothing is ever dropped.
 * - A reboot puts an un-acked +CMT back at the head of the queue.
 */
export class NetworkDelivery {
  readonly #host: DeliveryHost;
  readonly #cnmaTimeoutMs: number;
  readonly #queue: string[] = [];
  #awaitingAck: { pdu: string; timer: NodeJS.Timeout } | null = null;
  #dropIndications = 0;
  #dropAllIndications = false;
  #memoryFullAnnounced = false;
  #pumping = false;

  constructor(host: DeliveryHost, cnmaTimeoutMs: number) {
    this.#host = host;
    this.#cnmaTimeoutMs = cnmaTimeoutMs;
  }

  get queueLength(): number {
    return this.#queue.length + (this.#awaitingAck ? 1 : 0);
  }

  enqueue(pdu: string): void {
    this.#queue.push(pdu);
    this.pump();
  }

  dropNextIndications(count: number): void {
    this.#dropIndications += count;
  }

  dropAllIndications(dropped: boolean): void {
    this.#dropAllIndications = dropped;
  }

  /** Hands queued messages to the modem while it can take them. */
  pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0 && this.#host.canDeliver()) {
        if (!this.#deliver(this.#queue[0] as string)) return;
        this.#queue.shift();
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** `AT+CNMA`: true when a direct delivery was waiting for it. */
  acknowledge(): boolean {
    const pending = this.#awaitingAck;
    if (!pending) return false;
    clearTimeout(pending.timer);
    this.#awaitingAck = null;
    this.#host.acked(pending.pdu);
    return true;
  }

  spaceFreed(): void {
    this.#memoryFullAnnounced = false;
  }

  /** On reboot: an un-acked direct delivery goes back to the network. */
  reset(): void {
    const pending = this.#awaitingAck;
    if (pending) {
      clearTimeout(pending.timer);
      this.#queue.unshift(pending.pdu);
      this.#awaitingAck = null;
    }
  }

  dispose(): void {
    if (this.#awaitingAck) clearTimeout(this.#awaitingAck.timer);
    this.#awaitingAck = null;
  }

  /** Delivers one message; false when it must stay queued. */
  #deliver(pdu: string): boolean {
    const settings = this.#host.settings();
    const [mode, mt] = settings.cnmi;
    if (mode !== 0 && (mt === 2 || mt === 3)) {
      if (settings.smsService === 1) {
        if (this.#awaitingAck) return false;
        const timer = setTimeout(() => this.#ackTimedOut(), this.#cnmaTimeoutMs);
        timer.unref?.();
        this.#awaitingAck = { pdu, timer };
      }
      this.#host.sendDirect(pdu);
      return true;
    }
    const receiveMemory = settings.storages[2];
    const stored = this.#host.storage.store(receiveMemory, pdu, 0, this.#host.now());
    if (!stored) {
      if (!this.#memoryFullAnnounced) {
        this.#memoryFullAnnounced = true;
        this.#host.memoryFull();
      }
      return false;
    }
    this.#host.stored(stored);
    if (mode !== 0 && mt === 1) {
      if (this.#dropAllIndications) return true;
      if (this.#dropIndications > 0) this.#dropIndications -= 1;
      else this.#host.sendIndication(receiveMemory, this.#host.storage.indexIn(receiveMemory, stored));
    }
    return true;
  }

  #ackTimedOut(): void {
    const pending = this.#awaitingAck;
    if (!pending) return;
    this.#awaitingAck = null;
    const settings = this.#host.settings();
    settings.cnmi = [settings.cnmi[0], 0, settings.cnmi[2], 0, settings.cnmi[4]];
    this.#queue.unshift(pending.pdu);
    this.pump();
  }
}
