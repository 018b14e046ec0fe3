import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedNodeFlags } from './shipped-node-flags.js';

/**
 * `simbridge run` as a child process for the benchmark and chaos runs, either from the sources
 * through tsx (no build; what the tests use) or from a compiled build (`BENCH_BRIDGE=dist`),
 * which is how a farm runs it: no TypeScript loader in memory or on the CPU. pino JSON lines are
 * parsed as they arrive.
 */

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_ENTRY = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));
/**
 * Where `buildBridge()` compiles to: inside node_modules so the build resolves the packages, and
 * named after this checkout, because several checkouts may share one node_modules (a symlink):
 * one checkout's bench must not run another's build.
 */
export const BUILD_DIR = fileURLToPath(
  new URL(
    `../../../node_modules/.cache/simbridge-bench-dist-${basename(REPO_ROOT)}-${createHash('sha256')
      .update(REPO_ROOT)
      .digest('hex')
      .slice(0, 10)}/`,
    import.meta.url,
  ),
);

export interface LogLine {
  msg?: string;
  time?: number | string;
  [field: string]: unknown;
}

/** Compiles src/ with tsconfig.build.json into `BUILD_DIR` (type errors elsewhere do not stop it). */
export function buildBridge(): string {
  try {
    execFileSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR],
      {
        cwd: REPO_ROOT,
        stdio: 'ignore',
      },
    );
  } catch {
    // tsc exits non-zero on type errors but still emits JavaScript.
  }
  return `${BUILD_DIR}cli.js`;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class BridgeChild {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  readonly exited: Promise<void>;
  #exited = false;
  readonly #waiters = new Set<() => void>();

  /** The node options the child runs with: the shipped ones, then the caller's. */
  readonly nodeArgs: readonly string[];

  /**
   * `entry`: a compiled cli.js, or undefined to run the sources through tsx. The child gets the
   * node options the bridge ships with (`shippedNodeFlags`), then `nodeArgs` (a later V8 flag
   * wins); `BENCH_SHIPPED_FLAGS=0` leaves the shipped ones out, for a before/after.
   */
  constructor(
    configPath: string,
    entry: string | undefined,
    env: NodeJS.ProcessEnv,
    nodeArgs: readonly string[] = [],
  ) {
    const shipped = process.env.BENCH_SHIPPED_FLAGS === '0' ? [] : shippedNodeFlags();
    this.nodeArgs = [...shipped, ...nodeArgs];
    const args = [...this.nodeArgs, ...(entry ? [entry] : ['--import', 'tsx', SOURCE_ENTRY])];
    this.child = spawn(process.execPath, [...args, 'run', '--config', configPath], {
      cwd: REPO_ROOT,
      env: { ...process.env, SIMBRIDGE_LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => {
        live.delete(this.child);
        this.#exited = true;
        this.#notify();
        resolve();
      });
    });
    let buffered = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        // Only start-up lines are needed; parsing every per-SMS line would load the emulator's CPU.
        if (line.startsWith('{') && line.includes('simbridge')) {
          try {
            this.logs.push(JSON.parse(line) as LogLine);
          } catch {
            // a line cut by a kill -9: ignored
          }
        }
        newline = buffered.indexOf('\n');
      }
      this.#notify();
    });
    this.child.stderr?.resume();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The admin URL from the "simbridge running" line. */
  adminUrl(limitMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.logs.find((l) => l.msg === 'simbridge running');
        if (line && typeof line.adminUrl === 'string') finish(() => resolve(line.adminUrl as string));
        else if (this.#exited) finish(() => reject(new Error('bridge exited before it was running')));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`bridge not running after ${limitMs} ms`))),
        limitMs,
      );
      const finish = (then: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        then();
      };
      this.#waiters.add(check);
      check();
    });
  }

  async kill9(): Promise<void> {
    if (!this.#exited) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop (a `--cpu-prof` profile is written on this path), SIGKILL after `limitMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', limitMs = 15_000): Promise<void> {
    if (this.#exited) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), limitMs);
    await this.exited;
    clearTimeout(timer);
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
