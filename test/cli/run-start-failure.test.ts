import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStartFailure } from '../../src/cli/start-failure.js';
import { configSchema } from '../../src/config/index.js';
import { killAllBridges, spawnBridge } from '../integration/support/bridge-process.js';

/** `simbridge run` that cannot listen says which key to change, exits 1, and shows no stack. */
describe('simbridge run when a listen port is taken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-run-port-'));
  let blocker: Server;
  let port = 0;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    killAllBridges();
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('names admin.listen, exit 1, no stack', async () => {
    const path = join(dir, 'simbridge.yaml');
    writeFileSync(
      path,
      [
        'onlinesim:',
        '  pushUrl: http://127.0.0.1:9/push',
        '  apiKey: k-for-tests',
        'admin:',
        `  listen: 127.0.0.1:${port}`,
        'storage:',
        `  sqlite: ${join(dir, 'bridge.db')}`,
        'modems:',
        `  ports: ["${join(dir, 'no-modem-*')}"]`,
        '',
      ].join('\n'),
    );
    const bridge = spawnBridge(path);
    const exit = await bridge.waitForExit(20_000);
    expect(exit.code).toBe(1);
    const fatal = bridge.logs.find((line) => line.level === 60);
    expect(fatal).toMatchObject({
      code: 'EADDRINUSE',
      configKey: 'admin.listen',
      listen: `127.0.0.1:${port}`,
    });
    expect(String(fatal?.msg)).toContain(`admin.listen 127.0.0.1:${port} is in use`);
    const everything = [...bridge.text, ...bridge.logs.map((line) => JSON.stringify(line))].join('\n');
    expect(everything).not.toMatch(/\bat .+\(.*:\d+:\d+\)/);
    expect(everything).not.toContain('unexpected error');
  });

  it('tells the partner endpoint apart from the admin API by the port that failed', () => {
    const config = configSchema.parse({
      onlinesim: { pushUrl: 'http://127.0.0.1:9/push', apiKey: 'k' },
      admin: { listen: '127.0.0.1:8930' },
      reseller: { listen: '0.0.0.0:8080' },
      modems: { ports: ['/dev/null-modem-*'] },
    });
    const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 8080 });
    expect(describeStartFailure(inUse, config)).toMatchObject({
      key: 'reseller.listen',
      listen: '0.0.0.0:8080',
    });
    const denied = Object.assign(new Error('listen EACCES'), { code: 'EACCES', port: 8930 });
    expect(describeStartFailure(denied, config)?.message).toContain(
      'admin.listen 127.0.0.1:8930 may not be opened',
    );
    expect(describeStartFailure(new Error('disk full'), config)).toBeNull();
  });
});
