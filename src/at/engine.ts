/**
 * The AT command engine (layer 3): one command in flight, a FIFO queue, a fixed deadline per
 * command, cancellation, and URC routing by pattern.
 *
 * ```
 *  send() ──▶ CommandQueue ──▶ in flight ──write "<command>\r"──────────────▶ ByteChannel
 *                                  ▲     ──write "<body>^Z" after "> "──────▶
 *                                  │ info lines, final result
 *  ByteChannel ──chunks──▶ AtTokenizer ──tokens──▶ #onLine ──▶ UrcRouter ──▶ UrcHandler.handle
 *                                                          └─▶ onUnhandledLine listeners
 * ```
 *
 * Routing of one line is decided by the pure `routeLine` (framing/route-line.ts), in order: a
 * URC still claiming lines takes it (an open claim, a quoted text, even an `OK`); the echo of the command is dropped; a final result ends the
 * command; a line starting with one of the command's `expect` prefixes is an information line;
 * a line a URC handler matches goes to it; any other line is an information line while a
 * command waits, or "unhandled" when none does. An empty line is only V.250 framing, and is
 * dropped, unless an open URC claim (a quoted `+CUSD` text) takes it as part of its text.
 *
 * Desynchronisation after a timeout (the late answer of command N taken as the answer of
 * command N+1) is prevented by a resync step before the next command is written:
 *  1. drain: lines that arrive with no command in flight are stale; wait until the port has
 *     been quiet for `resyncQuietMs` (capped by `resyncMaxMs`). A final result seen while
 *     draining is the late answer completing, and ends the resync at once;
 *  2. otherwise probe with a bare `AT` and accept any final result as its answer;
 *  3. drain again for `resyncQuietMs`, so that if the late answer and the probe's `OK` both
 *     arrive, the second one is discarded rather than given to the next command.
 * With `ATE0` and untagged answers no scheme is certain; this one fails only if the modem holds
 * the late answer back for longer than the whole resync.
 */
import { GatewayError, toError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ByteChannel } from '../transport/byte-channel.js';
import { type InFlight, type Job, type Outcome, syncProbeJob } from './command-state.js';
import {
  type AtEngineOptions,
  type AtEngineStats,
  type AtEngineTimeouts,
  DEFAULT_AT_TIMEOUTS,
} from './engine-options.js';
import { AtCommandError, AtTimeoutError, abortedError, portClosedError } from './errors.js';
import { CTRL_Z, ESC } from './framing/echo.js';
import { routeLine } from './framing/route-line.js';
import { type AtToken, AtTokenizer } from './framing/tokenizer.js';
import { GuardedListeners } from './guarded-listeners.js';
import { CommandQueue } from './queue.js';
import { QuietWindow } from './quiet-window.js';
import type { AtCommander, AtResponse, AtSendOptions, FinalResult, UrcHandler } from './types.js';
import { UrcRouter } from './urc-router.js';

// Re-exported so callers can take the engine and its options from one module.
export type { AtEngineOptions, AtEngineStats, AtEngineTimeouts } from './engine-options.js';
export { DEFAULT_AT_TIMEOUTS } from './engine-options.js';

/** The AT command engine over one {@link ByteChannel}; see the file header for the rules. */
export class AtEngine implements AtCommander {
  readonly #channel: ByteChannel;
  readonly #log: Logger;
  readonly #timeouts: AtEngineTimeouts;
  readonly #tokenizer: AtTokenizer;
  readonly #urcs: UrcRouter;
  readonly #queue = new CommandQueue<Job>((job) => job.options.priority === 'background');
  readonly #unhandledListeners = new GuardedListeners<string>('unhandled-line');
  readonly #closedListeners = new GuardedListeners<Error | null>('closed');
  readonly #unsubscribe: Array<() => void>;
  #inFlight: InFlight | null = null;
  #pumping = false;
  #closed = false;
  /** The command whose late answer may still arrive, or null when in sync. */
  #staleCommand: string | null = null;
  readonly #quiet: QuietWindow;
  readonly #counters = { commands: 0, timeouts: 0, resyncs: 0, unhandledLines: 0 };
  readonly #callerStacks: boolean;
  /** Asked once (a logger's level is fixed): no log object is built per command to be dropped. */
  readonly #debug: boolean;
  readonly #trace: boolean;

  constructor(options: AtEngineOptions) {
    this.#channel = options.channel;
    this.#log = options.log.child({ layer: 'at', port: options.channel.name });
    this.#timeouts = { ...DEFAULT_AT_TIMEOUTS, ...options.timeouts };
    // Empty lines reach the engine only so an open URC claim can keep them (urc-router.ts).
    this.#tokenizer = new AtTokenizer({ ...options.tokenizer, blankLines: true });
    this.#urcs = new UrcRouter(this.#log);
    this.#quiet = new QuietWindow(this.#timeouts.resyncQuietMs, this.#timeouts.resyncMaxMs);
    this.#debug = this.#log.isLevelEnabled('debug');
    this.#trace = this.#log.isLevelEnabled('trace');
    this.#callerStacks = options.callerStacks ?? this.#debug;
    this.#unsubscribe = [
      this.#channel.onData((chunk) => this.#onData(chunk)),
      this.#channel.onClose((error) => this.#shutdown(error)),
    ];
    if (!this.#channel.isOpen) this.#shutdown(null);
  }

  /** True once closed (by `close()` or because the channel closed). */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Counters since construction, for metrics and diagnostics. */
  get stats(): AtEngineStats {
    return {
      ...this.#counters,
      overflowedLines: this.#tokenizer.overflowedLines,
      droppedNulBytes: this.#tokenizer.droppedNulBytes,
    };
  }

  /**
   * Queues `command` (without CR) and resolves with its information lines and final result.
   * Rejects with `AtCommandError` (`AT_COMMAND_FAILED`) on an error result unless `allowError`,
   * `AtTimeoutError` (`AT_TIMEOUT`), `AT_ABORTED`, `AT_PORT_CLOSED`, `AT_WRITE_FAILED` or
   * `AT_INVALID_COMMAND` (a CR/LF inside the command, or Ctrl-Z/ESC inside the body).
   */
  send(command: string, options: AtSendOptions = {}): Promise<AtResponse> {
    if (/[\r\n]/.test(command) || /[\x1a\x1b]/.test(options.promptBody ?? '')) {
      return Promise.reject(
        new GatewayError('AT_INVALID_COMMAND', 'command contains a line end or body contains Ctrl-Z/ESC', {
          context: { command },
        }),
      );
    }
    if (this.#closed) return Promise.reject(portClosedError(command));
    if (options.signal?.aborted) return Promise.reject(abortedError(command, options.signal.reason));
    return new Promise<AtResponse>((resolve, reject) => {
      const signal = options.signal;
      const onAbort = (): void => this.#abort(job);
      const job: Job = {
        command,
        options,
        resolve,
        reject,
        detachSignal: () => signal?.removeEventListener('abort', onAbort),
        ...(this.#callerStacks ? { origin: new Error('send() called here') } : {}),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(job);
      void this.#pump();
    });
  }

  addUrcHandler(handler: UrcHandler): () => void {
    return this.#urcs.add(handler);
  }

  onUnhandledLine(listener: (line: string) => void): () => void {
    return this.#unhandledListeners.add(listener);
  }

  /** Called once when the engine stops: `null` after `close()`, the channel's error on unplug. */
  onClosed(listener: (error: Error | null) => void): () => void {
    return this.#closedListeners.add(listener);
  }

  async close(): Promise<void> {
    this.#shutdown(null);
    try {
      await this.#channel.close();
    } catch (err) {
      this.#log.warn({ err }, 'closing the channel failed');
    }
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed && this.#queue.length > 0) {
        // The job stays queued during a resync, so aborting it or closing still reaches it.
        if (this.#staleCommand !== null) await this.#resynchronise();
        const job = this.#closed ? undefined : this.#queue.shift();
        if (job === undefined) break;
        this.#staleCommand = null;
        this.#counters.commands++;
        await this.#execute(job);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #execute(job: Job): Promise<Outcome> {
    return new Promise<Outcome>((settle) => {
      const timeoutMs = job.options.timeoutMs ?? this.#timeouts.defaultMs;
      const inFlight: InFlight = {
        job,
        lines: [],
        timeoutMs,
        startedAt: Date.now(),
        timer: undefined,
        echoSeen: false,
        promptSeen: false,
        bodyWritten: false,
        bodyEchoSeen: false,
        settle,
      };
      this.#inFlight = inFlight;
      // The deadline is armed once; nothing that arrives later can move it.
      inFlight.timer = setTimeout(() => this.#onDeadline(inFlight), timeoutMs);
      this.#write(`${job.command}\r`).catch((err: unknown) => this.#fail(inFlight, err));
    });
  }

  #onDeadline(inFlight: InFlight): void {
    this.#counters.timeouts++;
    const error = new AtTimeoutError(inFlight.job.command, [...inFlight.lines], inFlight.timeoutMs);
    const callerFrames = inFlight.job.origin?.stack?.split('\n').slice(1).join('\n');
    if (callerFrames) error.stack = `${error.name}: ${error.message}\n${callerFrames}`;
    this.#log.warn({ err: error, partialLines: inFlight.lines }, 'AT command timed out');
    this.#finish(inFlight, 'timeout', error);
  }

  #abort(job: Job): void {
    if (this.#queue.remove(job)) {
      this.#settleJob(job, abortedError(job.command, job.options.signal?.reason));
      return;
    }
    const inFlight = this.#inFlight;
    if (inFlight?.job === job)
      this.#finish(inFlight, 'aborted', abortedError(job.command, job.options.signal?.reason));
  }

  #fail(inFlight: InFlight, err: unknown): void {
    const error =
      err instanceof GatewayError
        ? err
        : new GatewayError('AT_WRITE_FAILED', `writing ${inFlight.job.command} failed`, {
            cause: toError(err),
          });
    this.#finish(inFlight, 'failed', error);
  }

  #complete(inFlight: InFlight, final: FinalResult): void {
    const { job } = inFlight;
    const response: AtResponse = { command: job.command, lines: inFlight.lines, final };
    if (final.kind === 'ok' || job.options.allowError === true) {
      this.#finish(inFlight, 'ok', response);
    } else {
      this.#finish(inFlight, 'failed', new AtCommandError(job.command, final, inFlight.lines));
    }
  }

  /** Ends the in-flight command exactly once and lets the pump move on. */
  #finish(inFlight: InFlight, outcome: Outcome, result: AtResponse | Error): void {
    if (this.#inFlight !== inFlight) return;
    this.#inFlight = null;
    clearTimeout(inFlight.timer);
    if (this.#debug) {
      this.#log.debug(
        { command: inFlight.job.command, outcome, elapsedMs: Date.now() - inFlight.startedAt },
        'AT command done',
      );
    }
    if (outcome === 'timeout' || outcome === 'aborted') {
      // The modem may still answer; the next command must not take that answer as its own.
      this.#staleCommand = inFlight.job.command;
      const bodyPending = inFlight.promptSeen || inFlight.job.options.promptBody !== undefined;
      if (bodyPending && !inFlight.bodyWritten) {
        // Leave the AT+CMGS text-entry mode, or the next command would become message text.
        this.#write(ESC).catch((err: unknown) => this.#log.warn({ err }, 'writing ESC failed'));
      }
    }
    this.#settleJob(inFlight.job, result);
    inFlight.settle(outcome);
  }

  #settleJob(job: Job, result: AtResponse | Error): void {
    job.detachSignal();
    if (result instanceof Error) job.reject(result);
    else job.resolve(result);
  }

  async #resynchronise(): Promise<void> {
    this.#counters.resyncs++;
    const stale = this.#staleCommand;
    this.#log.debug({ stale }, 'resynchronising after an unanswered command');
    await this.#quiet.wait(true);
    if (this.#staleCommand === null || this.#closed) return;
    const outcome = await this.#execute(syncProbeJob(this.#timeouts.syncMs));
    if (outcome !== 'ok') this.#log.warn({ stale, outcome }, 'AT sync probe got no answer');
    if (this.#closed) return;
    await this.#quiet.wait(false);
  }

  async #write(text: string): Promise<void> {
    if (this.#closed) throw portClosedError(null);
    if (this.#trace) this.#log.trace({ dir: '>', data: text.replace(/\r$/, '') }, '>');
    await this.#channel.write(Buffer.from(text, 'latin1'));
  }

  #onData(chunk: Uint8Array): void {
    if (this.#closed) return;
    for (const token of this.#tokenizer.push(chunk)) this.#onToken(token);
  }

  #onToken(token: AtToken): void {
    if (token.kind === 'line') {
      if (this.#trace) this.#log.trace({ dir: '<', line: token.text }, '<');
      this.#onLine(token.text);
      return;
    }
    if (token.kind === 'blank') {
      this.#urcs.blankLine();
      return;
    }
    if (this.#trace) this.#log.trace({ dir: '<', prompt: true }, '<');
    const inFlight = this.#inFlight;
    const body = inFlight?.job.options.promptBody;
    if (inFlight === null || inFlight.bodyWritten) {
      this.#emitUnhandled('> ');
      return;
    }
    inFlight.promptSeen = true;
    if (body === undefined) return;
    inFlight.bodyWritten = true;
    this.#write(body + CTRL_Z).catch((err: unknown) => this.#fail(inFlight, err));
  }

  #onLine(line: string): void {
    const inFlight = this.#inFlight;
    let urc: UrcHandler | undefined;
    const { route, cutsClaim } = routeLine(line, {
      claiming: this.#urcs.isClaiming,
      claimOpen: this.#urcs.isClaimingOpen,
      inFlight: inFlight && {
        command: inFlight.job.command,
        expect: inFlight.job.options.expect,
        echoPossible: !inFlight.echoSeen && inFlight.lines.length === 0,
        pendingBodyEcho:
          inFlight.bodyWritten && !inFlight.bodyEchoSeen ? (inFlight.job.options.promptBody ?? null) : null,
      },
      matchesUrc: (candidate) => {
        urc = this.#urcs.find(candidate);
        return urc !== undefined;
      },
    });
    if (cutsClaim) for (const orphan of this.#urcs.abandonClaim()) this.#emitUnhandled(orphan);
    switch (route.kind) {
      case 'claim':
        this.#urcs.continueClaim(line);
        return;
      case 'urc':
        if (urc !== undefined) this.#urcs.start(urc, line);
        return;
      case 'unhandled':
        this.#onIdleLine(line, route.final);
        return;
    }
    if (inFlight === null) return;
    switch (route.kind) {
      case 'echo':
        inFlight.echoSeen = true;
        return;
      case 'body-echo':
        inFlight.bodyEchoSeen = true;
        return;
      case 'final':
        this.#complete(inFlight, route.final);
        return;
      case 'info':
        inFlight.lines.push(line);
        return;
    }
  }

  /** A line with no command in flight and no URC handler: boot noise, garbage or a late answer. */
  #onIdleLine(line: string, final: FinalResult | null): void {
    if (this.#staleCommand !== null) {
      this.#log.debug({ stale: this.#staleCommand, line }, 'discarding a late answer line');
    }
    this.#quiet.noteLine(final !== null);
    // A final result outside a resync probe (idle, or ending the first drain) completes the
    // stale command's answer; during the drain after the probe it is only noise to wait out.
    if (final !== null && !this.#quiet.isWaiting) this.#staleCommand = null;
    this.#emitUnhandled(line);
  }

  #emitUnhandled(line: string): void {
    this.#counters.unhandledLines++;
    this.#unhandledListeners.emit(line, this.#log);
  }

  /** Stops for good: every queued and in-flight command fails with `AT_PORT_CLOSED`. */
  #shutdown(error: Error | null): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (error !== null) this.#log.warn({ err: error }, 'AT port closed underneath the engine');
    for (const job of this.#queue.drain()) this.#settleJob(job, portClosedError(job.command, error));
    const inFlight = this.#inFlight;
    if (inFlight !== null) this.#finish(inFlight, 'closed', portClosedError(inFlight.job.command, error));
    this.#quiet.cancel();
    this.#closedListeners.emit(error, this.#log);
  }
}
