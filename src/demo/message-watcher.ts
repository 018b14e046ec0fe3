import type { BridgeRepository, MessageView } from '../store/repository.js';
import { type Narrator, preview } from './narrator.js';

/**
 * Narrates what the store decided for each message: stored (and why it is or is not pushed),
 * then delivered, rejected or expired. It reads the store the way the admin API does
 * (`listMessages`), every `intervalMs`, and reports changes only.
 */

export interface MessageCounts {
  stored: number;
  delivered: number;
}

export class MessageWatcher {
  readonly #repo: BridgeRepository;
  readonly #narrator: Narrator;
  readonly #intervalMs: number;
  /** Message id -> the last state reported (status and attempts). */
  readonly #seen = new Map<number, string>();
  readonly counts: MessageCounts = { stored: 0, delivered: 0 };
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;

  constructor(options: { repo: BridgeRepository; narrator: Narrator; intervalMs: number }) {
    this.#repo = options.repo;
    this.#narrator = options.narrator;
    this.#intervalMs = options.intervalMs;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.#polling ??= this.poll().finally(() => {
        this.#polling = null;
      });
    }, this.#intervalMs);
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#polling;
  }

  /** One look at the store; reports every new message and every change of state. */
  async poll(): Promise<void> {
    let messages: MessageView[];
    try {
      messages = await this.#repo.listMessages({ limit: 200 });
    } catch {
      return; // the store is closing; nothing to narrate
    }
    for (const message of [...messages].reverse()) {
      const state = `${message.status}/${message.push?.attempts ?? 0}`;
      const previous = this.#seen.get(message.id);
      if (previous === state) continue;
      this.#seen.set(message.id, state);
      if (previous === undefined) {
        this.counts.stored += 1;
        this.#narrator.say('store', `stored #${message.id} ${describe(message)}: ${verdict(message)}`);
      }
      if (message.status === 'delivered' && !previous?.startsWith('delivered')) {
        this.counts.delivered += 1;
        const attempts = message.push?.attempts ?? 1;
        this.#narrator.say(
          'push',
          `#${message.id} delivered to operation ${message.operationId} after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
        );
      } else if (previous !== undefined && message.status !== 'pending') {
        // rejected, expired, or no_operation when its operation ended before a 200
        this.#narrator.say('push', `#${message.id} ${message.status}: ${message.push?.finalReason ?? ''}`);
      }
    }
  }
}

function describe(message: MessageView): string {
  const parts = message.multipart
    ? ` (${message.multipart.partsReceived}/${message.multipart.total} parts, ${message.multipart.state})`
    : '';
  return `from ${message.sender ?? '?'} to ${message.phone ?? 'an unknown SIM'} ${preview(message.text, 40)}${parts}`;
}

function verdict(message: MessageView): string {
  switch (message.status) {
    case 'pending':
      return `PUSH_SMS queued for operation ${message.operationId}`;
    case 'delivered':
      return `pushed to operation ${message.operationId}`;
    case 'no_operation':
      return 'this SIM has no active operation: kept, not pushed';
    case 'filtered':
      return 'sender on the deny-list: kept, never pushed';
    case 'invalid':
      return `undecodable, kept raw (${message.error?.code ?? 'error'})`;
    default:
      return message.status;
  }
}
