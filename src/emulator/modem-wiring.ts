import type { EventEmitter } from 'node:events';
import { type CommandContext, defaultSettings, type ModemSettings } from './commands/context.js';
import type { LineWriter } from './line-writer.js';
import type { DeliveryHost, NetworkDelivery } from './network-delivery.js';
import type { SmsStorage, StorageName } from './sms-storage.js';
import type { SubscriberServices } from './subscriber.js';
import { renderDirectDelivery, renderTextModeMessage } from './text-mode.js';
import type { EmulatedModemEvents, EmulatedSimIdentity, ModemProfile, StoredMessage } from './types.js';

/** Counters for tests and benchmarks. */
export interface ModemCounters {
  cmtiSent: number;
  cmtSent: number;
  stored: number;
  deleted: number;
  acked: number;
  commands: number;
  reboots: number;
}

export function zeroCounters(): ModemCounters {
  return { cmtiSent: 0, cmtSent: 0, stored: 0, deleted: 0, acked: 0, commands: 0, reboots: 0 };
}

/** The parts of an emulated modem that its network side and its command handlers reach. */
export interface ModemInternals {
  readonly profile: ModemProfile;
  readonly identity: EmulatedSimIdentity;
  readonly storage: SmsStorage;
  readonly subscriber: SubscriberServices;
  readonly counters: ModemCounters;
  readonly out: LineWriter;
  readonly simPin: string | null;
  now(): number;
  settings(): ModemSettings;
  setSettings(settings: ModemSettings): void;
  delivery(): NetworkDelivery;
  /** Plugged, not hung, SMS ready, not disposed. */
  canReceive(): boolean;
  reboot(reason: string): void;
  emit: EventEmitter<EmulatedModemEvents>['emit'];
}

/** The modem as the network model sees it: where messages go and which URCs announce them. */
export function createDeliveryHost(modem: ModemInternals, context: () => CommandContext): DeliveryHost {
  return {
    canDeliver: () => modem.canReceive() && context().functionality === 1,
    settings: () => modem.settings(),
    storage: modem.storage,
    now: () => modem.now(),
    sendIndication: (storage, index) => {
      modem.counters.cmtiSent += 1;
      modem.out.line(`+CMTI: "${storage}",${index}`, (atMs) =>
        modem.emit('cmtiSent', { storage, index, atMs }),
      );
    },
    sendDirect: (pdu) => {
      modem.counters.cmtSent += 1;
      const text = renderDirectDelivery(modem.settings(), pdu);
      modem.out.bytes(Buffer.from(text, 'utf8'), (atMs) => modem.emit('cmtSent', { pdu, atMs }));
    },
    stored: (message) => {
      modem.counters.stored += 1;
      modem.emit('stored', message);
    },
    acked: (pdu) => {
      modem.counters.acked += 1;
      modem.emit('acked', { pdu, atMs: modem.now() });
    },
    memoryFull: () => {
      if (modem.profile.memFullUrc) modem.out.line(modem.profile.memFullUrc);
    },
  };
}

/** The modem as its command handlers see it. */
export function createCommandContext(modem: ModemInternals): CommandContext {
  return {
    profile: modem.profile,
    identity: modem.identity,
    get settings() {
      return modem.settings();
    },
    storage: modem.storage,
    subscriber: modem.subscriber,
    sendUrc: (line) => modem.out.line(line),
    now: () => modem.now(),
    pinUnlocked: modem.simPin === null,
    simPin: modem.simPin,
    signal: 20,
    registered: true,
    functionality: 1,
    readCount: 0,
    reboot: (reason) => modem.reboot(reason),
    resetSettings: () => {
      modem.setSettings(defaultSettings(modem.profile));
    },
    acknowledgeDirect: () => modem.delivery().acknowledge(),
    messageDeleted: (memory: StorageName, message: StoredMessage) => {
      modem.counters.deleted += 1;
      modem.emit('deleted', { storage: memory, index: message.index, pdu: message.pdu, atMs: modem.now() });
      modem.delivery().spaceFreed();
    },
    textModeHeader: (message, listIndex) => renderTextModeMessage(modem.settings(), message, listIndex),
  };
}
