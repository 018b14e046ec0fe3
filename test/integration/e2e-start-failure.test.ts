import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { silentLogger } from '../../src/log.js';
import { startBridge } from '../../src/main.js';

/**
 * `startBridge` that cannot listen (a port in use) must not leave half a bridge behind in the
 * caller's process: the demo and tests run it in-process and go on after the error.
 */

/** Descriptors of this process open on `path` (Linux /proc). */
function openDescriptorsOn(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(path)) count += 1;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

describe('startBridge when the admin port is taken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-e2e-start-'));
  let blocker: Server | null = null;

  afterEach(async () => {
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(process.platform === 'linux')('rejects and closes the store it opened', async () => {
    const server = createServer();
    blocker = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const sqlite = join(dir, 'bridge.db');
    const config = configSchema.parse({
      onlinesim: { pushUrl: 'http://127.0.0.1:9/push', apiKey: 'k' },
      admin: { listen: `127.0.0.1:${port}` },
      storage: { sqlite },
      modems: { ports: [join(dir, 'no-modem-*')] },
    });

    await expect(startBridge(config, { log: silentLogger() })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(openDescriptorsOn(sqlite)).toBe(0);
  });
});
