import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throw-away PostgreSQL cluster for tests: `initdb` and `pg_ctl` in a temp directory, listening
 * on 127.0.0.1 at a free port with its unix socket in that directory. PostgreSQL refuses to run
 * as root, so when the tests run as root the server runs as the `postgres` user (`runuser`) in a
 * directory chowned to it. Where the server binaries are missing, `PG_BIN_DIR` is null and the
 * PostgreSQL tests skip with {@link PG_SKIP_REASON}.
 */

export const PG_SKIP_REASON =
  'PostgreSQL tests skipped: no initdb/pg_ctl found (install the server: apt-get install postgresql)';

function findBinDir(): string | null {
  const pathDirs = (process.env.PATH ?? '').split(':').filter((d) => d !== '');
  for (const dir of pathDirs) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

const IS_ROOT = userInfo().uid === 0;

function serverUserAvailable(): boolean {
  if (!IS_ROOT) return true;
  return spawnSync('id', ['-u', 'postgres']).status === 0 && spawnSync('which', ['runuser']).status === 0;
}

/** Directory of `initdb`/`pg_ctl`, or null when the tests must skip. */
export const PG_BIN_DIR: string | null = (() => {
  const dir = findBinDir();
  return dir !== null && serverUserAvailable() ? dir : null;
})();

let skipNoticeShown = false;
/**
 * Prints the skip reason when the server is missing: called by the repository contract test
 * (always part of `npm test`) only, so a run without PostgreSQL shows the reason once.
 */
export function noticePgSkip(): void {
  if (PG_BIN_DIR !== null || skipNoticeShown) return;
  skipNoticeShown = true;
  process.stdout.write(`${PG_SKIP_REASON}\n`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PgCluster {
  readonly dir: string;
  readonly port: number;
  readonly #dataDir: string;
  readonly #binDir: string;
  #running = false;
  #databases = 0;

  private constructor(binDir: string, dir: string, port: number) {
    this.#binDir = binDir;
    this.dir = dir;
    this.port = port;
    this.#dataDir = join(dir, 'data');
  }

  /** initdb + start; the caller must `destroy()` it (also after a failure). */
  static async start(): Promise<PgCluster> {
    if (PG_BIN_DIR === null) throw new Error(PG_SKIP_REASON);
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-pg-'));
    if (IS_ROOT) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    const cluster = new PgCluster(PG_BIN_DIR, dir, await freePort());
    try {
      cluster.#exec('initdb', [
        '-D',
        cluster.#dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '--no-sync',
        '-E',
        'UTF8',
        '--locale=C',
      ]);
      // Throw-away data: no fsync, so three hosts' commits do not load a shared disk. Commit
      // semantics (what a client sees after COMMIT) are unchanged.
      writeFileSync(
        join(cluster.#dataDir, 'postgresql.auto.conf'),
        'fsync = off\nfull_page_writes = off\nmax_connections = 200\nshared_buffers = 32MB\n',
      );
      if (IS_ROOT) chownSync(join(cluster.#dataDir, 'postgresql.auto.conf'), ...postgresIds());
      cluster.startServer();
    } catch (err) {
      cluster.destroy();
      throw err;
    }
    return cluster;
  }

  /** `postgres://` URL of database `name` on this cluster. */
  url(name = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  /** Creates a fresh database and returns its URL. */
  async createDatabase(prefix = 'simbridge'): Promise<string> {
    this.#databases += 1;
    const name = `${prefix}_${process.pid}_${this.#databases}`;
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  get running(): boolean {
    return this.#running;
  }

  startServer(): void {
    this.#exec('pg_ctl', [
      '-D',
      this.#dataDir,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
    this.#running = true;
  }

  /** Stops the server at once (connections are cut, as when the database host goes away). */
  stopServer(): void {
    if (!this.#running) return;
    this.#exec('pg_ctl', ['-D', this.#dataDir, '-m', 'immediate', '-w', 'stop']);
    this.#running = false;
  }

  destroy(): void {
    try {
      this.stopServer();
    } catch {
      // already gone: remove its directory anyway
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  #exec(program: string, args: readonly string[]): void {
    const path = join(this.#binDir, program);
    const [file, fileArgs] = IS_ROOT ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    const result = spawnSync(file, fileArgs, { encoding: 'utf8', cwd: this.dir });
    if (result.status !== 0) {
      throw new Error(`${program} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
  }
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return [uid, gid];
}
