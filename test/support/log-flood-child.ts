/**
 * Child process of test/log-output.test.ts: logs 10,000 lines of about 1 KB (10 MB) through the
 * bridge's logger (`nonBlocking`, or pino's default destination when argv[2] is `default`) while
 * its stdout is a pipe the parent does not read yet, then says on stderr that its event loop
 * kept turning meanwhile.
 */
import { createLogger } from '../../src/log.js';

const FLOOD_LINES = 10_000;

const log = createLogger({ level: 'info', nonBlocking: process.argv[2] !== 'default' });
let ticks = 0;
const ticker = setInterval(() => {
  ticks += 1;
}, 1);
const filler = 'x'.repeat(1_000);
let sent = 0;
function burst(): void {
  for (let i = 0; i < 1_000 && sent < FLOOD_LINES; i += 1) log.info({ n: sent++, filler }, 'flood');
  if (sent < FLOOD_LINES) {
    setImmediate(burst);
    return;
  }
  setTimeout(() => {
    clearInterval(ticker);
    process.stderr.write(`alive ticks=${ticks} atMs=${Math.round(performance.now())}\n`);
  }, 20);
}
burst();
