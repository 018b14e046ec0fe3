import { readdirSync, readFileSync } from 'node:fs';

/**
 * Linux process figures read from /proc (proc(5)): CPU time of a process and its peak resident
 * set. Used by the benchmark to judge the bridge as an operator would (`top`, `ps`), from the
 * outside, without instrumenting it.
 */

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;

/** utime + stime of one process in ms (fields 14 and 15 of /proc/<pid>/stat); null once gone. */
export function cpuTimeMs(pid: number): number | null {
  const times = cpuTimesMs(pid);
  return times === null ? null : times.userMs + times.sysMs;
}

/** utime and stime of one process (every thread) in ms; null once gone. */
export function cpuTimesMs(pid: number): { userMs: number; sysMs: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    userMs: (Number(fields[11]) * 1000) / CLOCK_TICKS_PER_S,
    sysMs: (Number(fields[12]) * 1000) / CLOCK_TICKS_PER_S,
  };
}

/** Memory lines of /proc/<pid>/status in kB: peak (VmHWM) and current (VmRSS) resident set. */
export function memoryKb(pid: number): { peakRssKb: number; rssKb: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { peakRssKb: field('VmHWM'), rssKb: field('VmRSS') };
}

/** Pids whose parent is `parentPid` (field 4 of /proc/<pid>/stat). */
export function childPids(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid) pids.push(Number(entry));
    } catch {
      // the process ended while the directory was read
    }
  }
  return pids;
}

/** Summed CPU ms of several processes (gone ones count 0). */
export function totalCpuTimeMs(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += cpuTimeMs(pid) ?? 0;
  return total;
}

/**
 * CPU use between two readings as a percentage of one core (100 % = one core busy), like `top`.
 */
export function cpuPercent(cpuMsDelta: number, wallMsDelta: number): number {
  return wallMsDelta > 0 ? (100 * cpuMsDelta) / wallMsDelta : 0;
}

/** CPU of the threads of one name: user plus system time, and the system part, ms. */
export interface ThreadCpu {
  ms: number;
  sysMs: number;
}

/**
 * CPU ms of each thread of `pid` by thread name (/proc/<pid>/task/<tid>/stat; threads of one
 * name summed: libuv's pool threads are all `libuv-worker`, V8's `V8Worker`).
 */
export function threadCpuTimesMs(pid: number): Map<string, ThreadCpu> {
  const byName = new Map<string, ThreadCpu>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended while the directory was read
    }
    const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const userMs = (Number(fields[11]) * 1000) / CLOCK_TICKS_PER_S;
    const sysMs = (Number(fields[12]) * 1000) / CLOCK_TICKS_PER_S;
    const sum = byName.get(name) ?? { ms: 0, sysMs: 0 };
    byName.set(name, { ms: sum.ms + userMs + sysMs, sysMs: sum.sysMs + sysMs });
  }
  return byName;
}

/** Each thread name's CPU between two readings, as % of a core (and its system part), busiest first. */
export function threadCpuPercents(
  before: Map<string, ThreadCpu>,
  after: Map<string, ThreadCpu>,
  wallMs: number,
): { name: string; percent: number; sysPercent: number }[] {
  return [...after]
    .map(([name, cpu]) => ({
      name,
      percent: cpuPercent(cpu.ms - (before.get(name)?.ms ?? 0), wallMs),
      sysPercent: cpuPercent(cpu.sysMs - (before.get(name)?.sysMs ?? 0), wallMs),
    }))
    .filter((thread) => thread.percent > 0)
    .sort((a, b) => b.percent - a.percent);
}
