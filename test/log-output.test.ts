import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOG_BUFFER_BYTES } from '../src/log-output.js';

const CHILD = fileURLToPath(new URL('./support/log-flood-child.ts', import.meta.url));
const FLOOD_LINES = 10_000;

describe('the bridge log output (nonBlocking)', () => {
  it('holds a bounded amount while stdout takes nothing, and counts and reports every line it dropped', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    // stdout is not read until the child says it is alive: the pipe fills after a few hundred
    // lines and then takes nothing, as a stalled journald does. pino's default destination held
    // all 10 MB in memory meanwhile; this output holds LOG_BUFFER_BYTES and drops the rest.
    child.stdout.pause();
    let stderr = '';
    const alive = new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /alive ticks=(\d+)/.exec(stderr);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) =>
        reject(new Error(`child exited (${code}) before it was alive: ${stderr}`)),
      );
    });
    const ticks = Number(await alive);
    expect(ticks).toBeGreaterThan(0);

    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);

    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; n?: number; droppedLines?: number });
    const written = lines.filter((line) => line.msg === 'flood');
    const report = lines.find((line) => line.msg.startsWith('the log output was blocked'));
    expect(report?.droppedLines).toBeGreaterThan(0);
    const writtenBytes = Buffer.byteLength(stdout);
    expect(writtenBytes).toBeLessThan(LOG_BUFFER_BYTES + 1_024 * 1_024);
    // Every line is either written, in order, or counted as dropped: none vanishes unreported.
    expect(written.length + (report?.droppedLines ?? 0)).toBe(FLOOD_LINES);
    const numbers = written.map((line) => line.n as number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  }, 30_000);
});
