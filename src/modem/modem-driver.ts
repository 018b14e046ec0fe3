import { EventEmitter } from 'node:events';
import type { AtCommander } from '../at/types.js';
import { GatewayError, isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { bindReceiver } from './driver-receiver.js';
import { DriverStatus } from './driver-status.js';
import type { ModemDriverEvents, ModemDriverOptions, ModemHistory } from './driver-types.js';
import { driverUrcCallbacks } from './driver-urcs.js';
import { type InitResult, initializeModem } from './init.js';
import { type DriverState, type LifecycleEvent, transition } from './lifecycle.js';
import { type ModemTimings, Nudge, resolveTimings } from './options.js';
import { PortHandle } from './port-handle.js';
import { waitForPortReturn } from './port-return.js';
import { ReadyTasks } from './ready-tasks.js';
import type { SmsReceiver } from './receive.js';
import {
  answeringRecoveryRung,
  probeOnce,
  type RungOptions,
  type RungOutcome,
  silentRecoveryRung,
} from './recovery.js';
import { tapSmsReads } from './sms-read-tap.js';
import type { ModemIdentity, ModemSnapshot, ModemState } from './types.js';
import { registerUrcHandlers } from './urc-handlers.js';
import type { UssdReply } from './ussd/parse-cusd.js';
import { type UssdRequestOptions, UssdSession } from './ussd/ussd-session.js';
import { Watchdog } from './watchdog.js';

export type { ModemDriverEvents, ModemDriverOptions, ModemHistory } from './driver-types.js';

type Trouble = 'reset' | 'hang' | 'portLost' | 'stop';
const isTimeout = (err: unknown): boolean => isGatewayError(err) && err.code === 'AT_TIMEOUT';

/**
 * One modem: opens the port, initialises, receives, and recovers (reset, hang, unplug). The
 * work lives in `init.ts`, `receive.ts`, `ready-tasks.ts`, `watchdog.ts`; this class is the
 * lifecycle loop. A modem that went silent is probed every `recoveryProbeIntervalMs` through
 * every rung of its recovery, so the first answer re-initialises it (and sweeps) at once.
 */
export class ModemDriver extends EventEmitter<ModemDriverEvents> {
  readonly port: string;
  readonly #options: ModemDriverOptions;
  readonly #timings: ModemTimings;
  readonly #log: Logger;
  readonly #stop = new AbortController();
  readonly #watchdog: Watchdog;
  #state: DriverState = 'opening';
  readonly #port: PortHandle;
  #init: InitResult | null = null;
  #receiver: SmsReceiver | null = null;
  #pendingDirect: Array<readonly string[]> = [];
  #trouble: ((trouble: Trouble) => void) | null = null;
  #troubleSeen: Trouble | null = null;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  readonly #status = new DriverStatus();
  readonly #tasks: ReadyTasks;
  /** Fired by ready URCs while the init waits on a busy SIM. */
  readonly #simReady = new Nudge();
  readonly #ussd = new UssdSession();

  constructor(options: ModemDriverOptions) {
    super();
    this.port = options.port;
    this.#options = options;
    this.#timings = resolveTimings(options.timings);
    this.#log = options.log.child({ layer: 'modem', port: options.port });
    this.#watchdog = new Watchdog({
      intervalMs: this.#timings.watchdogIntervalMs,
      timeoutMs: this.#timings.watchdogTimeoutMs,
      misses: this.#timings.watchdogMisses,
      onHang: () => this.#raise('hang'),
    });
    this.#port = new PortHandle({
      openChannel: options.openChannel,
      createCommander: options.createCommander,
      wrap: (at) => tapSmsReads(this.#watchdog.wrap(at), (outcome) => this.emit('smsRead', outcome)),
      log: this.#log,
      onLost: (error) => {
        this.#log.warn({ err: error }, 'modem port closed');
        this.#troubleSeen = 'portLost';
        this.#raise('portLost');
      },
    });
    this.#tasks = new ReadyTasks({
      timings: this.#timings,
      log: this.#log,
      status: this.#status,
      at: () => this.#at,
      isReady: () => this.#state === 'ready',
      receiver: () => this.#receiver,
      indications: () => this.#init?.settings.indications ?? null,
      settingsForgotten: (why) => this.#settingsForgotten(why),
      storage: (fill) => this.emit('storage', fill),
      radio: (radio) => this.emit('radio', radio),
      storageTicker: options.storageTicker,
    });
  }

  /** The open port's commander, or null while closed. */
  get #at(): AtCommander | null {
    return this.#port.at;
  }

  /** A USSD request (ussd/ussd-session.ts): background priority, never ahead of SMS work. */
  ussd(code: string, options?: UssdRequestOptions): Promise<UssdReply> {
    return this.#ussd.request(this.#state === 'ready' ? this.#at : null, code, options);
  }

  get state(): ModemState {
    return this.#state === 'stopped' ? 'gone' : this.#state;
  }

  get identity(): ModemIdentity | null {
    return this.#init?.identity ?? null;
  }

  get history(): ModemHistory {
    return { ...this.#status.history };
  }

  /** Takes over the counters of an earlier driver of the same SIM (re-identified by ICCID). */
  adoptHistory(history: ModemHistory): void {
    this.#status.adopt(history);
  }

  snapshot(): ModemSnapshot {
    return this.#status.snapshot(this.port, this.state, this.identity);
  }

  /** Starts the lifecycle loop; returns at once. */
  start(): void {
    this.#loop ??= this.#run().catch((err: unknown) => {
      this.#log.error({ err }, 'modem loop ended unexpectedly');
    });
  }

  /** The device node vanished (rescan lost the path): an unplug now (a pty hang-up may go unreported). */
  portVanished(): void {
    if (this.#state === 'gone' || this.#isStopped()) return;
    this.#log.warn('modem port vanished');
    this.#troubleSeen = 'portLost';
    this.#raise('portLost');
    // Fails whatever command is in flight, so an init in progress ends at once.
    void this.#closePort();
  }

  /** Asks a gone modem to try its port now (the manager saw the path come back). */
  reconnect(): void {
    this.#wake?.();
  }

  /** Runs a sweep now (also used after storage-full signals). Resolves when it finished. */
  sweepNow(reason = 'request'): Promise<void> {
    return this.#tasks.sweepNow(reason);
  }

  #settingsForgotten(why: string): void {
    this.#log.warn({ why }, 'modem forgot its settings (silent reset); setting it up again');
    this.#resetSeen(why);
  }

  #resetSeen(why: string): void {
    this.#status.history.resets += 1;
    this.emit('reset', why);
    this.#raise('reset');
  }

  /** Stops timers, closes the port and ends the loop. */
  async stop(): Promise<void> {
    this.#move({ type: 'stop' });
    this.#stop.abort(new GatewayError('MODEM_STOPPED', 'modem driver stopped'));
    this.#raise('stop');
    this.#wake?.();
    this.#stopTimers();
    this.#receiver?.pause();
    await this.#closePort();
    await this.#loop;
    // An open that was in flight when stop() came may have finished since.
    this.#stopTimers();
    await this.#closePort();
  }

  async #run(): Promise<void> {
    let attempt = 0;
    let needOpen = true;
    /** The modem stopped answering: probe before any init, whose commands would only time out. */
    let silent = false;
    while (this.#state !== 'stopped') {
      this.#troubleSeen = null;
      try {
        if (needOpen) {
          await this.#closePort();
          await this.#openPort();
          needOpen = false;
        }
        if (silent && !(await probeOnce(this.#at, this.#timings, this.#stop.signal))) {
          this.#move({ type: 'initFailed' });
          ({ attempt, needOpen } = await this.#awaitAnswer(attempt));
          continue;
        }
        silent = false;
        await this.#initialize();
        this.#move({ type: 'initialized' });
        attempt = 0;
        const trouble = await this.#serve();
        if (trouble === 'stop') return;
        if (trouble === 'portLost') {
          needOpen = await this.#waitWhileGone();
          continue;
        }
        if (trouble === 'reset') {
          this.#move({ type: 'resetDetected' });
        } else {
          this.#move({ type: 'watchdogFailed' });
          // Probing is the first rung; if the modem stays silent, escalate to a reopen.
          attempt = 1;
          silent = true;
        }
      } catch (err) {
        if (this.#isStopped()) return;
        if (this.#troubleSeen === 'portLost' || this.#state === 'gone' || !this.#port.isOpen) {
          this.#log.warn({ err }, 'modem port lost');
          this.#move({ type: 'portLost' });
          needOpen = await this.#waitWhileGone();
          continue;
        }
        this.#move({ type: 'initFailed' });
        if (isTimeout(err)) {
          silent = true;
          ({ attempt, needOpen } = await this.#awaitAnswer(attempt));
          continue;
        }
        ({ attempt, needOpen } = await answeringRecoveryRung(
          this.#rung(attempt, this.#timings.watchdogTimeoutMs * 4),
          err,
        ));
      }
    }
  }

  /** One rung of the recovery of a silent modem (see `silentRecoveryRung`). */
  #awaitAnswer(attempt: number): Promise<RungOutcome> {
    return silentRecoveryRung(this.#rung(attempt, this.#timings.watchdogTimeoutMs));
  }

  #rung(attempt: number, resetCommandTimeoutMs: number): RungOptions {
    return {
      at: this.#at,
      attempt,
      timings: this.#timings,
      resetCommands: this.#init?.profile.resetCommands ?? [],
      resetCommandTimeoutMs,
      log: this.#log,
      signal: this.#stop.signal,
      onVendorReset: () => {
        this.#status.history.resets += 1;
      },
    };
  }

  /** Serves a ready modem until something goes wrong; returns what did. */
  async #serve(): Promise<Trouble> {
    const trouble = new Promise<Trouble>((resolve) => {
      this.#trouble = resolve;
    });
    if (this.#troubleSeen) return this.#troubleSeen;
    this.#startTimers();
    for (const lines of this.#pendingDirect.splice(0)) void this.#receiver?.onDirect(lines).catch(() => {});
    void this.sweepNow('ready');
    const outcome = await trouble;
    this.#trouble = null;
    this.#stopTimers();
    this.#receiver?.pause();
    return outcome;
  }

  async #initialize(): Promise<void> {
    const at = this.#at;
    if (!at) throw new GatewayError('MODEM_NOT_OPEN', 'no open port to initialise');
    this.#receiver?.pause();
    const result = await initializeModem({
      at,
      log: this.#log,
      timings: this.#timings,
      signal: this.#stop.signal,
      simReady: this.#simReady,
    });
    this.#init = result;
    this.#status.radio = result.radio;
    if (result.fill) this.#tasks.setFill(result.fill, false);
    const binding = { at, settings: result.settings, identity: result.identity };
    this.#receiver = bindReceiver(this.#receiver, binding, {
      sink: this.#options.sink,
      log: this.#log,
      port: this.port,
      timings: this.#timings,
      status: this.#status,
      onAccepted: (sms) => this.emit('smsReceived', sms),
      onDeleted: (index) => this.emit('smsDeleted', index),
    });
    this.#log.info(
      { vendor: result.profile.vendor, iccid: result.identity.iccid, ...result.settings },
      'modem ready',
    );
    this.emit('identity', result.identity);
    this.emit('radio', result.radio);
  }

  /** Opens the port (opening → initializing) and routes its URCs. */
  async #openPort(): Promise<void> {
    this.#move({ type: 'open' });
    const at = await this.#port.open();
    this.#move({ type: 'opened' });
    this.#port.own(this.#ussd.listen(at));
    this.#port.own(
      registerUrcHandlers(
        at,
        driverUrcCallbacks({
          log: this.#log,
          status: this.#status,
          simReady: this.#simReady,
          profile: () => this.#init?.profile ?? null,
          isReady: () => this.#state === 'ready',
          receiver: () => this.#receiver,
          holdDirect: (lines) => this.#pendingDirect.push(lines),
          resetSeen: (line) => this.#resetSeen(line),
          sweepNow: (reason) => this.sweepNow(reason),
          radio: (radio) => this.emit('radio', radio),
        }),
      ),
    );
  }

  async #closePort(): Promise<void> {
    this.#watchdog.stop();
    await this.#port.close();
  }

  /** Gone: close, then wait for the port to come back. Returns false: it is open again (or stopped). */
  async #waitWhileGone(): Promise<boolean> {
    this.#stopTimers();
    this.#receiver?.pause();
    await this.#closePort();
    this.#move({ type: 'portLost' });
    await waitForPortReturn({
      retryMs: this.#options.goneRetryMs ?? 2_000,
      stopped: () => this.#isStopped(),
      setWake: (wake) => {
        this.#wake = wake;
      },
      reopen: async () => {
        await this.#openPort();
        this.#status.history.reconnects += 1;
        this.#log.info('modem port is back');
      },
      stillAbsent: (err) => {
        this.#log.debug({ err }, 'port still absent');
        this.#move({ type: 'openFailed' });
      },
    });
    return false;
  }

  #startTimers(): void {
    const at = this.#at;
    if (!at) return;
    this.#watchdog.start(at);
    this.#tasks.start(at);
  }

  #stopTimers(): void {
    this.#watchdog.stop();
    this.#tasks.stop();
  }

  #isStopped(): boolean {
    return this.#state === 'stopped';
  }

  #raise(trouble: Trouble): void {
    this.#troubleSeen ??= trouble;
    this.#trouble?.(trouble);
  }

  #move(event: LifecycleEvent): void {
    const previous = this.#state;
    const next = transition(previous, event);
    if (next === previous) return;
    this.#state = next;
    if (next !== 'stopped' && previous !== 'stopped') this.emit('stateChanged', next, previous);
  }
}
