import type { Config } from '../../config/index.js';
import type { DeviceChoice } from '../../modem/probe/choose-port.js';
import type { PostgresProbe } from '../../store/postgres/pg-probe.js';

export type { PostgresProbe } from '../../store/postgres/pg-probe.js';

/**
 * Shapes shared by the `simbridge doctor` checks. Every check gets the machine through
 * `DoctorSystem`, so tests replace the file system, processes and network with fakes.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One verdict. `why` and `fix` are given whenever the status is not `pass`. */
export interface CheckResult {
  /** Stable id, e.g. `ports`, `push-url`. */
  id: string;
  status: CheckStatus;
  /** One line: what was found. */
  summary: string;
  /** Why it matters for the farm. */
  why?: string;
  /** What to do, as commands or config edits. */
  fix?: string;
}

export interface ExecResult {
  /** Null when the program does not exist or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** Answer of an HTTP request made without credentials. */
export type HttpProbe = { kind: 'answer'; status: number } | { kind: 'error'; code: string; message: string };

/** What a listen address looks like from here. */
export type ListenProbe =
  | { kind: 'free' }
  | { kind: 'in-use'; simbridge: boolean }
  | { kind: 'error'; code: string; message: string };

/** The machine, as the checks see it. */
export interface DoctorSystem {
  now(): number;
  nodeVersion: string;
  /** Expands `modems.ports` patterns to the paths present. */
  expandPorts(patterns: readonly string[]): Promise<string[]>;
  /** Picks the AT port of each USB modem among `paths`, probing as the service does. */
  choosePorts?(paths: readonly string[], baudRate: number): Promise<DeviceChoice[]>;
  /** Resolves an errno code (`EACCES`, `ENOENT`) or null when read and write are allowed. */
  accessReadWrite(path: string): Promise<string | null>;
  /** Group id owning the file (after symlinks), or null when it cannot be read. */
  fileGroup(path: string): Promise<number | null>;
  userName(): string;
  /** Effective and supplementary group ids of this process; uid 0 is root. */
  processIdentity(): { uid: number; gids: number[] };
  groups(): Promise<GroupEntry[]>;
  exec(command: string, args: readonly string[]): Promise<ExecResult>;
  /** Names (`comm`) of running processes, from /proc. */
  processNames(): Promise<string[]>;
  /** Creates and removes a small file in the existing directory `dir`. Errno code, or null when it worked. */
  tryWriteIn(dir: string): Promise<string | null>;
  /** The nearest existing ancestor of a path (the path itself when it exists). */
  nearestExisting(path: string): Promise<string>;
  dnsLookup(host: string): Promise<string[]>;
  httpProbe(url: string, method: 'HEAD' | 'GET'): Promise<HttpProbe>;
  probeListen(host: string, port: number): Promise<ListenProbe>;
  /** One connection to `storage.postgres` (absent: the check says it cannot test it). */
  probePostgres?(url: string): Promise<PostgresProbe>;
}

/** What every check receives. The config is null when it did not load. */
export interface DoctorContext {
  system: DoctorSystem;
  configPath: string;
  config: Config | null;
  /** The error that kept the config from loading, already formatted. */
  configError: string | null;
  /** Set when the config only loaded with placeholders for unset `${VARS}` (named here). */
  configMissingEnv?: string | null;
}

export type DoctorCheck = (ctx: DoctorContext) => Promise<CheckResult[]>;
