import { createServer } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { runDemoCommand } from '../../src/cli/demo-command.js';
import type { CliIo } from '../../src/cli/io.js';
import type { DemoStats } from '../../src/demo/demo-session.js';
import { liveChildCount } from '../../src/emulator/index.js';
import type { MessageView } from '../../src/store/repository.js';
import { describeWithPty } from '../support/describe-with.js';
import { waitUntil } from './support/wait.js';

/** `simbridge demo` (CONTRACT.md §1) run in-process: SMS flow end to end, then a clean stop. */

function captureIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  return {
    io: { stdin: new PassThrough(), stdout, stderr, env: {} },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describeWithPty('simbridge demo', () => {
  it('pushes SMS from emulated modems to the mock Onlinesim, serves the admin API, and stops cleanly with exit 0', async () => {
    const { io, stdout, stderr } = captureIo();
    const abort = new AbortController();
    let started: { adminUrl: string; stats: () => DemoStats } | null = null;
    const exit = runDemoCommand(['--modems', '2', '--every-ms', '200', '--admin-listen', '127.0.0.1:0'], io, {
      signal: abort.signal,
      onStarted: (demo) => {
        started = demo;
      },
    });
    try {
      const demo = await waitUntil(() => started ?? undefined, 'the demo to start', 20_000);
      expect(demo.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stdout().split('\n')[0]).toBe(`status page: ${demo.adminUrl}/`);

      await waitUntil(() => demo.stats().pushesReceived >= 3, 'three PUSH_SMS at the mock', 15_000);
      const delivered = await waitUntil(
        async () => {
          const response = await fetch(`${demo.adminUrl}/api/messages?status=delivered`);
          const messages = (await response.json()) as MessageView[];
          return messages.length > 0 ? messages : undefined;
        },
        'delivered messages in /api/messages',
        10_000,
      );
      for (const message of delivered) {
        expect(message.operationId).toBeGreaterThanOrEqual(1001);
        expect(message.push?.state).toBe('delivered');
      }
      expect(stdout()).toContain('-> 200');
      // One SIM is rented through the partner endpoint, among the activations.
      expect(stdout()).toMatch(/GET_NUMBER \(rent\) -> rent \d+ on \d+/);
      expect(stdout()).toMatch(/stored #\d+ from \S+ to \d+/);
    } finally {
      abort.abort();
    }
    expect(await exit).toBe(0);
    expect(liveChildCount()).toBe(0);
    expect(stdout()).toMatch(/demo stopped: \d+ SMS injected/);
    expect(stderr()).toBe('');
  }, 40_000);

  it('shows one SIM that found its own number and waits unconfirmed, with SMS flowing on the others', async () => {
    const { io, stdout } = captureIo();
    const abort = new AbortController();
    let started: { adminUrl: string; stats: () => DemoStats } | null = null;
    const exit = runDemoCommand(['--modems', '3', '--every-ms', '200', '--admin-listen', '127.0.0.1:0'], io, {
      signal: abort.signal,
      onStarted: (demo) => {
        started = demo;
      },
    });
    try {
      const demo = await waitUntil(() => started ?? undefined, 'the demo to start', 20_000);
      expect(stdout()).toMatch(/it reported \d+ itself \(AT\+CNUM\): unconfirmed, so not offered/);
      const sims = (await (await fetch(`${demo.adminUrl}/api/sims`)).json()) as {
        source: string;
        confirmed: boolean;
      }[];
      expect(sims.filter((s) => !s.confirmed)).toEqual([
        expect.objectContaining({ source: 'cnum', confirmed: false }),
      ]);
      expect(sims.filter((s) => s.confirmed)).toHaveLength(2);
      await waitUntil(() => demo.stats().pushesReceived >= 2, 'PUSH_SMS from the confirmed SIMs', 15_000);
    } finally {
      abort.abort();
    }
    expect(await exit).toBe(0);
    expect(liveChildCount()).toBe(0);
  }, 40_000);

  it.each([4, 5])(
    'with %i modems shows one rent, one unconfirmed SIM and one unhealthy SIM, each on its own SIM, among the activations',
    async (modems) => {
      const { io, stdout } = captureIo();
      const abort = new AbortController();
      let started: { adminUrl: string; stats: () => DemoStats } | null = null;
      const args = ['--modems', String(modems), '--every-ms', '200', '--admin-listen', '127.0.0.1:0'];
      const exit = runDemoCommand(args, io, {
        signal: abort.signal,
        onStarted: (demo) => {
          started = demo;
        },
      });
      try {
        const demo = await waitUntil(() => started ?? undefined, 'the demo to start', 20_000);
        const name = (pattern: RegExp): string => {
          const match = pattern.exec(stdout());
          expect(match, String(pattern)).not.toBeNull();
          return match?.[1] ?? '';
        };
        // The narrated lines name one SIM per part.
        const rentPhone = name(/GET_NUMBER \(rent\) -> rent \d+ on (\d+)/);
        const unconfirmedPhone = name(/it reported (\d+) itself \(AT\+CNUM\): unconfirmed, so not offered/);
        const unhealthyPhone = name(/\(\+(\d+)\): SIM off the network on purpose: unhealthy/);
        expect(new Set([rentPhone, unconfirmedPhone, unhealthyPhone]).size).toBe(3);

        // And the bridge agrees: the admin API shows each part on a different SIM.
        const sims = (await (await fetch(`${demo.adminUrl}/api/sims`)).json()) as {
          iccid: string;
          phone: string | null;
          confirmed: boolean;
        }[];
        const unconfirmed = sims.filter((s) => !s.confirmed);
        expect(unconfirmed.map((s) => s.phone)).toEqual([unconfirmedPhone]);
        const apiModems = (await (await fetch(`${demo.adminUrl}/api/modems`)).json()) as {
          iccid: string | null;
          phone: string | null;
          health: string;
          healthReason: string | null;
        }[];
        const unhealthy = apiModems.filter((m) => m.health === 'unhealthy');
        expect(unhealthy).toEqual([
          expect.objectContaining({ phone: unhealthyPhone, healthReason: 'unregistered' }),
        ]);
        expect(unhealthy[0]?.iccid).not.toBe(unconfirmed[0]?.iccid);
        const operations = (await (await fetch(`${demo.adminUrl}/api/operations`)).json()) as {
          phone: string;
          kind: string;
          status: string;
        }[];
        const active = operations.filter((op) => op.status === 'active');
        expect(active.filter((op) => op.kind === 'rent').map((op) => op.phone)).toEqual([rentPhone]);
        const activationPhones = active.filter((op) => op.kind === 'activation').map((op) => op.phone);
        expect(activationPhones.length).toBeGreaterThanOrEqual(modems - 3);
        for (const phone of [rentPhone, unconfirmedPhone, unhealthyPhone]) {
          expect(activationPhones).not.toContain(phone);
        }
        // The status page shows the unconfirmed SIM with how to confirm it, and the unhealthy one.
        const status = (await (await fetch(`${demo.adminUrl}/api/status`)).json()) as {
          modems: {
            discoveredPhone: string | null;
            confirmHint: string | null;
            healthReason: string | null;
          }[];
        };
        expect(status.modems.filter((m) => m.confirmHint !== null)).toEqual([
          expect.objectContaining({ discoveredPhone: unconfirmedPhone }),
        ]);
        expect(status.modems.filter((m) => m.healthReason === 'unregistered')).toHaveLength(1);
        await waitUntil(() => demo.stats().pushesReceived >= 2, 'PUSH_SMS from the activation SIMs', 15_000);
      } finally {
        abort.abort();
      }
      expect(await exit).toBe(0);
      expect(liveChildCount()).toBe(0);
    },
    40_000,
  );

  it('exits 1 when the admin port is taken, saying so, and leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const { io, stderr } = captureIo();
    try {
      expect(await runDemoCommand(['--modems', '1', '--admin-listen', `127.0.0.1:${port}`], io)).toBe(1);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(stderr()).toContain(`127.0.0.1:${port} is in use`);
    expect(liveChildCount()).toBe(0);
  });

  it('stops with exit 0 when the reader of its output goes away (simbridge demo | head)', async () => {
    let lines = 0;
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        lines += 1;
        callback(lines > 4 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    const stderr = new PassThrough();
    const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: {} };
    const args = ['--modems', '1', '--every-ms', '100', '--admin-listen', '127.0.0.1:0'];
    expect(await runDemoCommand(args, io)).toBe(0);
    expect(liveChildCount()).toBe(0);
  });

  it('refuses a bad option with exit 2 and the usage', async () => {
    const { io, stderr } = captureIo();
    expect(await runDemoCommand(['--modems', 'many'], io)).toBe(2);
    expect(stderr()).toContain('--modems must be an integer');
    expect(stderr()).toContain('Usage: simbridge demo');
  });
});
