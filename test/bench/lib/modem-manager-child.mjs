/**
 * The bridge's modem side alone, compiled, as its own process, for the idle benchmark: a
 * ModemManager on the ports matching argv[3], the timings of argv[4] (JSON) over the defaults,
 * a sink that accepts everything. argv[2] is the build directory (`buildBridge()`); plain
 * JavaScript, so no TypeScript loader runs in the measured process. Prints `ready <n>` once
 * every modem it found is ready.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [buildDir = '', glob = '', timingsJson = '{}', expected = '0'] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(join(buildDir, file)).href);
const { silentLogger } = await load('log.js');
const { ModemManager } = await load('modem/modem-manager.js');
const manager = new ModemManager({
  ports: [glob],
  baudRate: 115_200,
  log: silentLogger(),
  timings: JSON.parse(timingsJson),
  sink: { accept: async () => {} },
});
await manager.start();
const poll = setInterval(() => {
  const snapshots = manager.snapshots();
  if (snapshots.length >= Number(expected) && snapshots.every((s) => s.state === 'ready')) {
    clearInterval(poll);
    process.stdout.write(`ready ${snapshots.length}\n`);
  }
}, 200);
process.on('SIGTERM', () => {
  void manager.stop().then(() => process.exit(0));
});
