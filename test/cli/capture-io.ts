import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

/** A `CliIo` whose output is collected as text. */
export function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  return { stdin: Readable.from([]), stdout, stderr, env, out: () => out, err: () => err };
}
