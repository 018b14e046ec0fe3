import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { shippedNodeFlags } from '../../bench/lib/shipped-node-flags.js';

/**
 * `simbridge run` as a real child process (`node --import tsx src/cli.ts run`), so end-to-end
 * tests exercise the shipped entry point, its signal handling and its exit codes without a
 * build. Its pino JSON log lines are parsed as they arrive.
 */

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI_ENTRY = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));

/** One pino line, as far as the tests read it. */
export interface LogLine {
  level?: number;
  msg?: string;
  [field: string]: unknown;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms when the process exited. */
  atMs: number;
}

/** Every process ever spawned here, so a failed test still leaves none behind. */
const spawned = new Set<ChildProcess>();

export class BridgeProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  /** Non-JSON output (stderr, a config error message, a stack trace). */
  readonly text: string[] = [];
  readonly exited: Promise<ExitInfo>;
  #exit: ExitInfo | null = null;
  readonly #watchers = new Set<() => void>();

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    // `run` gets the node options it ships with (the systemd unit's), as on a farm.
    const nodeFlags = args[0] === 'run' ? shippedNodeFlags() : [];
    this.child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', CLI_ENTRY, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, SIMBRIDGE_LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        spawned.delete(this.child);
        this.#exit = { code, signal, atMs: Date.now() };
        this.#notify();
        resolve(this.#exit);
      });
    });
    this.#readLines(this.child.stdout, true);
    this.#readLines(this.child.stderr, false);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exitInfo(): ExitInfo | null {
    return this.#exit;
  }

  /** Resolves with the first log line matching `predicate` (past or future). */
  waitForLog(predicate: (line: LogLine) => boolean, what: string, limitMs = 15_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.logs.find(predicate);
        if (found) {
          done();
          resolve(found);
        } else if (this.#exit) {
          done();
          reject(new Error(`bridge exited (${JSON.stringify(this.#exit)}) before ${what}\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no "${what}" from the bridge after ${limitMs} ms\n${this.tail()}`));
      }, limitMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#watchers.delete(check);
      };
      this.#watchers.add(check);
      check();
    });
  }

  /** The admin URL from the "simbridge running" line (the config may say port 0). */
  async adminUrl(limitMs = 15_000): Promise<string> {
    const line = await this.waitForLog((l) => l.msg === 'simbridge running', 'simbridge running', limitMs);
    if (typeof line.adminUrl !== 'string') throw new Error('"simbridge running" carries no adminUrl');
    return line.adminUrl;
  }

  /** kill -9: no chance to finish anything. */
  async kill9(): Promise<ExitInfo> {
    if (!this.#exit) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Waits for the process to exit by itself; kill -9 after `limitMs` (then the code is null). */
  async waitForExit(limitMs = 15_000): Promise<ExitInfo> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), limitMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }

  /** Sends `signal` and waits for the exit (kill -9 after `limitMs` as a last resort). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', limitMs = 15_000): Promise<ExitInfo> {
    if (this.#exit) return this.#exit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), limitMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }

  /** The last lines of output, for failure messages. */
  tail(count = 30): string {
    const json = this.logs.slice(-count).map((l) => JSON.stringify(l));
    return [...json, ...this.text.slice(-count)].join('\n');
  }

  #readLines(stream: NodeJS.ReadableStream | null, json: boolean): void {
    if (!stream) return;
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        this.#take(buffered.slice(0, newline), json);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
    });
    stream.on('end', () => {
      if (buffered !== '') this.#take(buffered, json);
    });
  }

  #take(line: string, json: boolean): void {
    if (line.trim() === '') return;
    if (process.env.SIMBRIDGE_TEST_LOG === '1') process.stderr.write(`[bridge ${this.pid}] ${line}\n`);
    if (json && line.startsWith('{')) {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
        this.#notify();
        return;
      } catch {
        // not JSON after all: keep it as text
      }
    }
    this.text.push(line);
    this.#notify();
  }

  #notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }
}

/** Starts `simbridge run --config <path>`. */
export function spawnBridge(configPath: string, env: NodeJS.ProcessEnv = {}): BridgeProcess {
  return new BridgeProcess(['run', '--config', configPath], env);
}

/** kill -9 every bridge process still alive (test teardown, also after a failure). */
export function killAllBridges(): void {
  for (const child of spawned) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Bridge processes still running. */
export function liveBridgeCount(): number {
  return [...spawned].filter((c) => c.exitCode === null && c.signalCode === null).length;
}

process.once('exit', killAllBridges);

/**
 * Tears down what a rig started, in the order that leaves nothing behind even after a failed
 * start: every bridge process, the emulated farm (its socat relays), the mock server, the
 * temp directory.
 */
export async function tearDownRig(parts: {
  farm: { stop(): Promise<void> };
  onlinesim: { close(): Promise<void> } | null | undefined;
  dir: string;
}): Promise<void> {
  killAllBridges();
  await parts.farm.stop();
  await parts.onlinesim?.close();
  rmSync(parts.dir, { recursive: true, force: true });
}
