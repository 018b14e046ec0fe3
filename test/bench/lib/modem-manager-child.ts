/**
 * The bridge's modem side alone, as its own process, for the idle benchmark: a ModemManager on
 * the ports matching argv[2], the timings of argv[3] (JSON) over the defaults, a sink that
 * accepts everything. Prints `ready <n>` once every modem it found is ready.
 */
import { silentLogger } from '../../../src/log.js';
import { ModemManager } from '../../../src/modem/modem-manager.js';

const [glob = '', timingsJson = '{}', expected = '0'] = process.argv.slice(2);
const manager = new ModemManager({
  ports: [glob],
  baudRate: 115_200,
  log: silentLogger(),
  timings: JSON.parse(timingsJson) as Record<string, number>,
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
