import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Gauge, ObservedCounter } from './metric.js';
import type { Registry } from './registry.js';

/**
 * Process series under `<prefix>process_*` and `<prefix>nodejs_*`: CPU, memory, open fds, start
 * time, event-loop utilisation and the Node version. All are read on scrape; none keeps a timer,
 * so an idle bridge stays idle.
 */
export function registerProcessMetrics(registry: Registry, prefix: string): void {
  const registers = [registry];
  const cpuUser = new ObservedCounter({
    name: `${prefix}process_cpu_user_seconds_total`,
    help: 'User CPU time spent, seconds.',
    registers,
    collect: () => {
      const usage = process.cpuUsage();
      cpuUser.set(usage.user / 1e6);
      cpuSystem.set(usage.system / 1e6);
      cpuTotal.set((usage.user + usage.system) / 1e6);
    },
  });
  const cpuSystem = new ObservedCounter({
    name: `${prefix}process_cpu_system_seconds_total`,
    help: 'System CPU time spent, seconds.',
    registers,
  });
  const cpuTotal = new ObservedCounter({
    name: `${prefix}process_cpu_seconds_total`,
    help: 'User and system CPU time spent, seconds.',
    registers,
  });
  const rss = new Gauge({
    name: `${prefix}process_resident_memory_bytes`,
    help: 'Resident memory size, bytes.',
    registers,
    collect: () => {
      const memory = process.memoryUsage();
      rss.set(memory.rss);
      heapTotal.set(memory.heapTotal);
      heapUsed.set(memory.heapUsed);
      external.set(memory.external);
    },
  });
  const heapTotal = new Gauge({
    name: `${prefix}nodejs_heap_size_total_bytes`,
    help: 'V8 heap size, bytes.',
    registers,
  });
  const heapUsed = new Gauge({
    name: `${prefix}nodejs_heap_size_used_bytes`,
    help: 'V8 heap used, bytes.',
    registers,
  });
  const external = new Gauge({
    name: `${prefix}nodejs_external_memory_bytes`,
    help: 'Memory of C++ objects bound to JavaScript objects (buffers), bytes.',
    registers,
  });
  const startTime = new Gauge({
    name: `${prefix}process_start_time_seconds`,
    help: 'Start time of the process since the Unix epoch, seconds.',
    registers,
  });
  startTime.set(Math.round((Date.now() - process.uptime() * 1000) / 1000));
  const openFds: Gauge = new Gauge({
    name: `${prefix}process_open_fds`,
    help: 'Open file descriptors (Linux only; NaN elsewhere).',
    registers,
    collect: () => {
      try {
        openFds.set(readdirSync('/proc/self/fd').length);
      } catch {
        openFds.set(Number.NaN);
      }
    },
  });
  let lastUtilization = performance.eventLoopUtilization();
  const utilization: Gauge = new Gauge({
    name: `${prefix}nodejs_eventloop_utilization_ratio`,
    help: 'Share of time the event loop was busy since the previous scrape (0 to 1).',
    registers,
    collect: () => {
      const now = performance.eventLoopUtilization();
      utilization.set(performance.eventLoopUtilization(now, lastUtilization).utilization);
      lastUtilization = now;
    },
  });
  const version = new Gauge<'version'>({
    name: `${prefix}nodejs_version_info`,
    help: 'Node.js version, as a label; always 1.',
    labelNames: ['version'],
    registers,
  });
  version.set({ version: process.version }, 1);
}
