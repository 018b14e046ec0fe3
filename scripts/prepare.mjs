// Runs on `npm ci`/`npm install`: builds dist/ so that `npm start` and `node dist/cli.js`
// work straight after install. On a production install (`npm ci --omit=dev`) TypeScript is
// absent; then a prebuilt dist/ must already be there (see README, "Install on a Raspberry Pi").
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { markExecutable } from './finish-build.mjs';

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  // A prebuilt dist/ copied along (e.g. by scp, which may drop modes) still gets its exec bit.
  if (existsSync('dist/cli.js')) markExecutable();
  else {
    console.warn(
      'simbridge: TypeScript is not installed and dist/ is missing; run `npm run build` where dev dependencies are installed.',
    );
  }
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (result.status === 0) markExecutable();
process.exit(result.status ?? 1);
