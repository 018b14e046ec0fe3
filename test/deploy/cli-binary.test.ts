import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const FINISH_BUILD = 'scripts/finish-build.mjs';

describe('the simbridge binary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'simbridge-bin-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is dist/cli.js, built from a source that starts with the node shebang', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(manifest.bin.simbridge).toBe('dist/cli.js');
    expect(readFileSync('src/cli.ts', 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Both ways of building end with the step that sets the exec bit.
    expect(manifest.scripts.postbuild).toBe(`node ${FINISH_BUILD}`);
    expect(readFileSync('scripts/prepare.mjs', 'utf8')).toContain('markExecutable()');
  });

  // dist/ exists after `npm ci` (prepare builds it); a checkout that never built has nothing to check.
  it.skipIf(!existsSync('dist/cli.js'))('the built dist/cli.js has the shebang and is executable', () => {
    expect(readFileSync('dist/cli.js', 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const mode = statSync('dist/cli.js').mode;
    expect(mode & 0o111, 'dist/cli.js is not executable: build it again with npm run build').toBe(0o111);
  });

  it('the build step makes a 0644 output runnable as a command', () => {
    const cli = join(dir, 'cli.js');
    writeFileSync(cli, "#!/usr/bin/env node\nprocess.stdout.write('ran');\n");
    chmodSync(cli, 0o644);
    const run = spawnSync(process.execPath, [FINISH_BUILD, cli], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(statSync(cli).mode & 0o777).toBe(0o755);
    // Through a symlink, as the Pi guide puts it on PATH.
    const link = join(dir, 'simbridge');
    symlinkSync(cli, link);
    expect(execFileSync(link, { encoding: 'utf8' })).toBe('ran');
  });

  it('refuses an output without shebang instead of marking it executable', () => {
    const cli = join(dir, 'cli.js');
    writeFileSync(cli, "console.log('no shebang');\n");
    chmodSync(cli, 0o644);
    const run = spawnSync(process.execPath, [FINISH_BUILD, cli], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('does not start with "#!/usr/bin/env node"');
    expect(statSync(cli).mode & 0o777).toBe(0o644);
  });
});
