import type { Logger } from '../log.js';
import type { ByteChannel } from '../transport/byte-channel.js';
import type { AtTokenizerOptions } from './framing/tokenizer.js';

/** Every timing of the engine, in milliseconds. */
export interface AtEngineTimeouts {
  /** Deadline of a command sent without `timeoutMs`. Default 10 000. */
  defaultMs: number;
  /** Deadline of the `AT` probe of a resync. Default 2 000. */
  syncMs: number;
  /** Silence that ends a resync drain. Default 300. */
  resyncQuietMs: number;
  /** Longest a resync drain waits for silence (a chatty port cannot stall the queue). Default 3 000. */
  resyncMaxMs: number;
}

export const DEFAULT_AT_TIMEOUTS: Readonly<AtEngineTimeouts> = Object.freeze({
  defaultMs: 10_000,
  syncMs: 2_000,
  resyncQuietMs: 300,
  resyncMaxMs: 3_000,
});

/** Constructor options of `AtEngine`. */
export interface AtEngineOptions {
  /** The port; the engine subscribes at once and closes it in `close()`. */
  channel: ByteChannel;
  /** Parent logger; the engine logs under `{ layer: 'at', port }`, raw traffic at trace. */
  log: Logger;
  /** Overrides of {@link DEFAULT_AT_TIMEOUTS}. */
  timeouts?: Partial<AtEngineTimeouts>;
  /** Line-length bound and other framing options. */
  tokenizer?: AtTokenizerOptions;
  /**
   * Capture the caller's stack in every `send()`, so a timeout's stack points at the caller
   * rather than at a timer. An `Error` per command is a measurable part of an idle farm's CPU
   * (a storage check every 2 s per modem), so the default is on only while the logger is at
   * `debug` or finer, which is when someone reads those stacks.
   */
  callerStacks?: boolean;
}

/** Counters an engine keeps since construction (`AtEngine.stats`). */
export interface AtEngineStats {
  /** Commands written (sync probes of a resync not included). */
  commands: number;
  timeouts: number;
  /** Resyncs run after an unanswered or cancelled command. */
  resyncs: number;
  /** Lines given to `onUnhandledLine` listeners. */
  unhandledLines: number;
  /** Lines dropped by the tokenizer for exceeding the length bound. */
  overflowedLines: number;
  droppedNulBytes: number;
}
