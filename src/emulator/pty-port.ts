import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import tty from 'node:tty';
import { GatewayError, isGatewayError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import { trackChild } from './child-registry.js';
import type { EmulatedModem } from './modem.js';
import { PYTHON_PTY_HOLDER, PYTHON_PTY_RELAY } from './python-relay.js';

/** Set once socat turned out to be missing, so later relays go straight to python3. */
let socatMissing = false;

/** The events a pty relays; an emulated modem and its other ttys (`AuxTty`) emit them. */
export interface PtyEndpointEvents {
  output: [bytes: Uint8Array];
  unplugged: [];
  replugged: [];
}

/** What sits behind a pty: an emulated modem, or one of its other ttys. */
export interface PtyEndpoint {
  readonly name: string;
  hostWrite(bytes: Uint8Array): void;
  on(event: 'output', listener: (bytes: Uint8Array) => void): unknown;
  on(event: 'unplugged' | 'replugged', listener: () => void): unknown;
  off(event: 'output', listener: (bytes: Uint8Array) => void): unknown;
  off(event: 'unplugged' | 'replugged', listener: () => void): unknown;
}

/** Options of `PtyModemPort`; timings have defaults in `DEFAULT_PTY_OPTIONS`. */
export interface PtyModemPortOptions<E extends PtyEndpoint = EmulatedModem> {
  modem: E;
  /** Path of the tty symlink the host opens, e.g. `/tmp/farm/modem-00`. */
  linkPath: string;
  /** Path used after the n-th replug (USB re-enumeration gives a new name). */
  replugPath?: (linkPath: string, replugCount: number) => string;
  socatPath?: string;
  /**
   * Relay program: socat (preferred), the python3 fallback, or `auto` (socat if installed).
   * `direct`: no relay; the emulator reads and writes the pty's master itself and python3 only
   * sets the pty up and holds it (one process hop less each way: for benchmarks).
   */
  relay?: 'auto' | 'socat' | 'python' | 'direct';
  pythonPath?: string;
  /** How long to wait for the link to appear. */
  readyTimeoutMs?: number;
  /** Delay between `modem.unplug()` and the relay's death (see `#onUnplug`). */
  unplugDelayMs?: number;
  /**
   * Called each time a new pty is up (at start and after every replug), with its device
   * number, *before* the link appears at `path`: the relay links a hidden name first, which is
   * renamed once this returns. The farm writes its fake sysfs here, so that, as with the kernel
   * and udev, whoever sees the link finds the device already described.
   */
  onLinkReady?: (path: string, rdev: number) => void;
  logger?: Logger;
}

export const DEFAULT_PTY_OPTIONS = {
  socatPath: 'socat',
  pythonPath: 'python3',
  relay: 'auto',
  readyTimeoutMs: 5_000,
  readyPollMs: 5,
  unplugDelayMs: 20,
} as const;

const defaultReplugPath = (linkPath: string, count: number) => `${linkPath}-r${count}`;

/**
 * Puts an `EmulatedModem` behind a real pseudo-terminal so the real `serialport` binding opens a
 * real tty (python3 relay when socat is missing). One `socat` per modem owns the pty (`PTY,link=<path>,rawer,echo=0`: no CR/LF
 * translation, no echo by the line discipline) and relays it to its stdin/stdout pipes, which
 * the emulator reads and writes. `modem.unplug()` kills socat: the link and the pty vanish and
 * the host port fails; `modem.replug()` starts a new socat on the replug path.
 */
export class PtyModemPort<E extends PtyEndpoint = EmulatedModem> {
  readonly modem: E;
  readonly #options: PtyModemPortOptions<E>;
  readonly #log: Logger;
  #child: ChildProcess | null = null;
  #path: string;
  #replugs = 0;
  #stopped = false;
  #starting: Promise<void> | null = null;
  /** The pty's master, read and written here (relay `direct`). */
  #master: tty.ReadStream | null = null;
  readonly #onOutput = (bytes: Uint8Array) => {
    if (this.#master !== null) {
      if (!this.#master.destroyed) this.#master.write(bytes);
      return;
    }
    const stdin = this.#child?.stdin;
    if (stdin && !stdin.destroyed) stdin.write(bytes);
  };
  /**
   * Killing the relay hangs the pty up. A host blocked in poll(2) sees POLLERR and serialport
   * closes the port with a disconnect error; but a read that *starts* after the hang-up gets 0
   * bytes, which serialport's unix binding retries forever. So the kill waits a moment, letting a
   * host that just received data get back into poll(2), as it would be when a real USB unplug
   * strikes at a random time.
   */
  readonly #onUnplug = () => {
    const child = this.#child;
    const unplugDelayMs = this.#options.unplugDelayMs ?? DEFAULT_PTY_OPTIONS.unplugDelayMs;
    this.#unplugging = delay(unplugDelayMs).then(() => (this.#child === child ? this.#kill() : undefined));
  };
  #unplugging: Promise<void> | null = null;
  readonly #onReplug = () => {
    this.#replugs += 1;
    const previous = this.#unplugging ?? Promise.resolve();
    this.#starting = previous
      .then(() => {
        this.#path = (this.#options.replugPath ?? defaultReplugPath)(this.#options.linkPath, this.#replugs);
        return this.#spawn();
      })
      .catch((error: unknown) => {
        this.#log.error({ err: error }, 'replug failed');
      });
  };

  constructor(options: PtyModemPortOptions<E>) {
    this.modem = options.modem;
    this.#options = options;
    this.#path = options.linkPath;
    this.#log = (options.logger ?? silentLogger()).child({ layer: 'emulator', modem: options.modem.name });
  }

  /** The path the host should open now (changes after a replug). */
  get path(): string {
    return this.#path;
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** Starts the relay and resolves once the link exists. */
  async start(): Promise<void> {
    this.modem.on('output', this.#onOutput);
    this.modem.on('unplugged', this.#onUnplug);
    this.modem.on('replugged', this.#onReplug);
    await this.#spawn();
  }

  /** Resolves when a pending unplug has removed the link, or a replug's new link exists. */
  async ready(): Promise<void> {
    await this.#unplugging;
    await this.#starting;
  }

  /** Kills the relay (the link disappears) and detaches from the modem. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.modem.off('output', this.#onOutput);
    this.modem.off('unplugged', this.#onUnplug);
    this.modem.off('replugged', this.#onReplug);
    await this.#kill();
  }

  async #spawn(): Promise<void> {
    const relay = this.#options.relay ?? DEFAULT_PTY_OPTIONS.relay;
    if (relay === 'direct') {
      await this.#spawnRelay('direct');
      return;
    }
    const usePython = relay === 'python' || (relay === 'auto' && socatMissing);
    try {
      await this.#spawnRelay(usePython ? 'python' : 'socat');
    } catch (error) {
      const missing = isGatewayError(error) && error.code === 'EMU_SOCAT_MISSING';
      if (!missing || relay !== 'auto' || usePython) throw error;
      socatMissing = true;
      this.#log.warn('socat not found, using the python3 pty relay');
      await this.#spawnRelay('python');
    }
  }

  /** Starts what owns the pty: socat or the python3 relay, or for `direct` the python3 holder. */
  async #spawnRelay(kind: 'socat' | 'python' | 'direct'): Promise<void> {
    const usePython = kind !== 'socat';
    const direct = kind === 'direct';
    if (this.#stopped) return;
    const path = this.#path;
    removeStaleLink(path);
    const onLinkReady = this.#options.onLinkReady;
    const linkPath = onLinkReady ? join(dirname(path), `.${basename(path)}.staged`) : path;
    removeStaleLink(linkPath);
    const program = usePython
      ? (this.#options.pythonPath ?? DEFAULT_PTY_OPTIONS.pythonPath)
      : (this.#options.socatPath ?? DEFAULT_PTY_OPTIONS.socatPath);
    const args = usePython
      ? ['-c', direct ? PYTHON_PTY_HOLDER : PYTHON_PTY_RELAY, linkPath]
      : [`PTY,link=${linkPath},rawer,echo=0`, 'STDIO'];
    const masterFd = direct ? openSync('/dev/ptmx', constants.O_RDWR | constants.O_NOCTTY) : null;
    const child = spawn(program, args, {
      stdio: masterFd === null ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe', masterFd],
    });
    trackChild(child);
    this.#child = child;
    if (masterFd !== null) this.#master = this.#openMaster(masterFd);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => this.modem.hostWrite(chunk));
    // Writes racing a kill fail with EPIPE; the modem is gone anyway.
    child.stdin?.on('error', () => undefined);
    const exited = new Promise<Error>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        resolve(
          error.code === 'ENOENT'
            ? new GatewayError(
                usePython ? 'EMU_PTY_FAILED' : 'EMU_SOCAT_MISSING',
                usePython
                  ? `neither socat nor python3 ("${program}") found: install socat to run modems on ptys`
                  : `socat not found ("${program}"): install socat to run modems on ptys`,
                { cause: error },
              )
            : new GatewayError('EMU_PTY_FAILED', `could not start ${program} for ${path}`, { cause: error }),
        );
      });
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = null;
        this.#log.debug({ code, signal, path }, 'pty relay exited');
        resolve(
          new GatewayError('EMU_PTY_FAILED', `${program} exited before ${path} was ready: ${stderr.trim()}`, {
            context: { code, signal, path },
          }),
        );
      });
    });
    const deadline = Date.now() + (this.#options.readyTimeoutMs ?? DEFAULT_PTY_OPTIONS.readyTimeoutMs);
    while (!existsSync(linkPath)) {
      const failure = await Promise.race([exited, delay(DEFAULT_PTY_OPTIONS.readyPollMs).then(() => null)]);
      if (failure) throw failure;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new GatewayError('EMU_PTY_TIMEOUT', `pty link ${path} did not appear`, { context: { path } });
      }
    }
    if (onLinkReady) {
      onLinkReady(path, statSync(linkPath).rdev);
      renameSync(linkPath, path);
    }
    this.#log.debug({ path, pid: child.pid, relay: program }, 'pty ready');
  }

  /** Reads the master of a `direct` pty: what the host writes reaches the modem at once. */
  #openMaster(fd: number): tty.ReadStream {
    let master: tty.ReadStream;
    try {
      master = new tty.ReadStream(fd);
    } catch (error) {
      closeSync(fd);
      throw new GatewayError('EMU_PTY_FAILED', `cannot read the pty master of ${this.#path}`, {
        cause: error,
      });
    }
    master.on('data', (chunk: Buffer) => this.modem.hostWrite(chunk));
    // EIO while no slave is open yet or after the holder went: the pty is being set up or gone.
    master.on('error', () => undefined);
    return master;
  }

  async #kill(): Promise<void> {
    const master = this.#master;
    this.#master = null;
    master?.destroy();
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), delay(1_000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
    removeStaleLink(this.#path);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A link left by a killed relay would point at a dead pty; only symlinks are removed. */
function removeStaleLink(path: string): void {
  try {
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
  } catch {
    // absent: nothing to remove
  }
}
