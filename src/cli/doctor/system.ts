import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { expandPortPatterns } from '../../modem/port-glob.js';
import { probePostgres } from '../../store/postgres/pg-probe.js';
import { choosePortsNow } from '../port-choice.js';
import type { DoctorSystem, ExecResult, GroupEntry, HttpProbe, ListenProbe } from './types.js';

/** Timings of the real system probes. */
export interface NodeSystemOptions {
  /** Deadline of DNS, connect, TLS and the HTTP answer of one probe. Default 5 s. */
  networkTimeoutMs?: number;
  /** Deadline of an external command (systemctl, timedatectl). Default 3 s. */
  execTimeoutMs?: number;
  /** Where sysfs is mounted, to group the ttys of USB modems. Default `/sys`. */
  sysfsRoot?: string;
}

export const DEFAULT_NODE_SYSTEM_OPTIONS = { networkTimeoutMs: 5_000, execTimeoutMs: 3_000 } as const;

const errnoOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';

/** The real machine: node:fs, /proc, /etc/group, child processes, DNS, undici, node:net. */
export function nodeSystem(options: NodeSystemOptions = {}): DoctorSystem {
  const networkTimeoutMs = options.networkTimeoutMs ?? DEFAULT_NODE_SYSTEM_OPTIONS.networkTimeoutMs;
  const execTimeoutMs = options.execTimeoutMs ?? DEFAULT_NODE_SYSTEM_OPTIONS.execTimeoutMs;
  return {
    now: () => Date.now(),
    nodeVersion: process.versions.node,
    expandPorts: (patterns) => expandPortPatterns(patterns),
    choosePorts: (paths, baudRate) =>
      choosePortsNow(paths, { baudRate, ...(options.sysfsRoot ? { sysfsRoot: options.sysfsRoot } : {}) }),
    async accessReadWrite(path) {
      try {
        await access(path, constants.R_OK | constants.W_OK);
        return null;
      } catch (err) {
        return errnoOf(err);
      }
    },
    async fileGroup(path) {
      try {
        return (await stat(path)).gid;
      } catch {
        return null;
      }
    },
    userName: () => userInfo().username,
    processIdentity: () => ({
      uid: process.getuid?.() ?? -1,
      gids: process.getgroups?.() ?? [],
    }),
    async groups() {
      const text = await readFile('/etc/group', 'utf8').catch(() => '');
      return parseGroupFile(text);
    },
    exec: (command, args) =>
      new Promise<ExecResult>((resolve) => {
        execFile(command, [...args], { timeout: execTimeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
          resolve({ code, stdout, stderr });
        });
      }),
    async processNames() {
      const entries = await readdir('/proc').catch(() => [] as string[]);
      const names = await Promise.all(
        entries
          .filter((name) => /^\d+$/.test(name))
          .map((pid) =>
            readFile(`/proc/${pid}/comm`, 'utf8').then(
              (comm) => comm.trim(),
              () => '',
            ),
          ),
      );
      return names.filter((name) => name !== '');
    },
    async tryWriteIn(dir) {
      try {
        const probe = join(dir, `.simbridge-doctor-${process.pid}`);
        await writeFile(probe, 'ok');
        await rm(probe);
        return null;
      } catch (err) {
        return errnoOf(err);
      }
    },
    async nearestExisting(path) {
      let current = path;
      for (;;) {
        try {
          await stat(current);
          return current;
        } catch {
          const parent = dirname(current);
          if (parent === current) return current;
          current = parent;
        }
      }
    },
    async dnsLookup(host) {
      const { lookup } = await import('node:dns/promises');
      const answers = await lookup(host, { all: true });
      return answers.map((a) => a.address);
    },
    async httpProbe(url, method): Promise<HttpProbe> {
      try {
        const answer = await request(url, {
          method,
          headersTimeout: networkTimeoutMs,
          bodyTimeout: networkTimeoutMs,
          signal: AbortSignal.timeout(networkTimeoutMs),
        });
        await answer.body.dump();
        return { kind: 'answer', status: answer.statusCode };
      } catch (err) {
        const e = err as Error & { code?: string; cause?: { code?: string } };
        return { kind: 'error', code: e.code ?? e.cause?.code ?? e.name, message: e.message };
      }
    },
    probeListen: (host, port) => probeListen(host, port, networkTimeoutMs),
    probePostgres: (url) => probePostgres(url, networkTimeoutMs),
  };
}

/** `/etc/group`: `name:x:gid:member,member`. */
export function parseGroupFile(text: string): GroupEntry[] {
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4 && /^\d+$/.test(fields[2] ?? ''))
    .map(([name = '', , gid = '0', members = '']) => ({
      name,
      gid: Number(gid),
      members: members.split(',').filter((m) => m !== ''),
    }));
}

async function probeListen(host: string, port: number, timeoutMs: number): Promise<ListenProbe> {
  const bound = await new Promise<string | null>((resolve) => {
    const server = createServer();
    server.once('error', (err) => resolve(errnoOf(err)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
  if (bound === null) return { kind: 'free' };
  if (bound !== 'EADDRINUSE')
    return { kind: 'error', code: bound, message: `cannot listen on ${host}:${port}` };
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/healthz`;
  try {
    const answer = await request(url, { headersTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    const body = await answer.body.text();
    return { kind: 'in-use', simbridge: /"storeWritable"/.test(body) };
  } catch {
    return { kind: 'in-use', simbridge: false };
  }
}
