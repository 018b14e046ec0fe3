// Preloaded into the bridge by memory-probe.ts (`node --import`): writes the bridge's own memory
// figures as JSON lines to $MEMHOOK_FILE, so the probe can read what /proc cannot show.
//   every $MEMHOOK_MS ms   process.memoryUsage() (KB), V8 heap space sizes, GC counts and ms
//   SIGWINCH               a heap snapshot into $MEMHOOK_DIR
//   SIGTTIN / SIGTTOU      start / stop a sampling heap profile (collected objects included)
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const file = process.env.MEMHOOK_FILE;
const dir = process.env.MEMHOOK_DIR ?? '/tmp';
if (file) {
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  };
  const gc = { minor: [0, 0], major: [0, 0], incremental: [0, 0], other: [0, 0] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const slot = gc[kinds[entry.detail?.kind] ?? 'other'];
      slot[0] += 1;
      slot[1] += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const kb = (bytes) => Math.round(bytes / 1024);
  const sample = () => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), kb(s.space_size)]),
    );
    const line = {
      t: Date.now(),
      heapTotal: kb(m.heapTotal),
      heapUsed: kb(m.heapUsed),
      external: kb(m.external),
      arrayBuffers: kb(m.arrayBuffers),
      spaces,
      gc: Object.fromEntries(Object.entries(gc).map(([k, [n, ms]]) => [k, [n, Math.round(ms)]])),
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  setInterval(sample, Number(process.env.MEMHOOK_MS ?? 200)).unref();
  process.on('SIGWINCH', () => {
    const path = v8.writeHeapSnapshot(`${dir}/bridge-${process.pid}-${Date.now()}.heapsnapshot`);
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), snapshot: path })}\n`);
  });
  let session = null;
  process.on('SIGTTIN', () => {
    session = new Session();
    session.connect();
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  });
  process.on('SIGTTOU', () => {
    session?.post('HeapProfiler.stopSampling', (err, result) => {
      const path = `${dir}/bridge-${process.pid}-${Date.now()}.heapprofile`;
      writeFileSync(path, JSON.stringify(err ? { error: String(err) } : result.profile));
      appendFileSync(file, `${JSON.stringify({ t: Date.now(), profile: path })}\n`);
    });
  });
}
