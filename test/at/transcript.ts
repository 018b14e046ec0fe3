import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScriptChannel } from './script-channel.js';

/**
 * Recorded AT transcripts (`test/fixtures/transcripts/<vendor>-<model>/<scenario>.at`):
 * - `> AT+CMD` a command the host writes (CR appended),
 * - `>> HEX` an AT+CMGS body the host writes after the prompt (Ctrl-Z appended),
 * - `< text` a line from the modem; `< > ` (or `< >`) is the AT+CMGS prompt,
 * - `# …` comments; `#! eol=\r\r\n` sets the modem's line end (default `\r\n`).
 */
export interface TranscriptStep {
  /** Exact bytes the host writes. */
  write: string;
  /** The command as `send()` takes it (null for a body write). */
  command: string | null;
  body: string | null;
  /** Raw modem output that follows the write. */
  replies: string[];
}

export interface Transcript {
  name: string;
  /** Modem output before the first write (boot noise). */
  preamble: string[];
  steps: TranscriptStep[];
}

export const TRANSCRIPTS_DIR = new URL('../fixtures/transcripts/', import.meta.url);

export function parseTranscript(name: string, text: string): Transcript {
  let eol = '\r\n';
  const transcript: Transcript = { name, preamble: [], steps: [] };
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('#! eol=')) eol = line.slice(7).replaceAll('\\r', '\r').replaceAll('\\n', '\n');
    if (line.startsWith('#') || line.trim() === '') continue;
    const current = transcript.steps.at(-1);
    if (line.startsWith('>> ')) {
      const body = line.slice(3);
      transcript.steps.push({ write: `${body}\x1a`, command: null, body, replies: [] });
    } else if (line.startsWith('> ')) {
      const command = line.slice(2);
      transcript.steps.push({ write: `${command}\r`, command, body: null, replies: [] });
    } else if (line.startsWith('<')) {
      const payload = line.slice(2);
      const raw = payload.trimEnd() === '>' ? `${eol}> ` : `${eol}${payload}${eol}`;
      (current?.replies ?? transcript.preamble).push(raw);
    } else {
      throw new Error(`${name}:${index + 1}: cannot parse ${JSON.stringify(line)}`);
    }
  }
  return transcript;
}

export function loadTranscripts(): Transcript[] {
  const root = TRANSCRIPTS_DIR.pathname;
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(root, dir.name))
        .filter((file) => file.endsWith('.at'))
        .map((file) => {
          const name = `${dir.name}/${file}`;
          return parseTranscript(name, readFileSync(join(root, name), 'latin1'));
        }),
    );
}

/** Every byte the modem sends in a transcript, in order. */
export function modemBytes(transcript: Transcript): Buffer {
  const all = [...transcript.preamble, ...transcript.steps.flatMap((step) => step.replies)];
  return Buffer.from(all.join(''), 'latin1');
}

/**
 * Loads a transcript into a {@link ScriptChannel}: each write must come in order, exactly.
 * A body step's replies are attached to the body write. Returns the preamble to emit.
 */
export function scriptFrom(transcript: Transcript, script: ScriptChannel): string[] {
  for (const step of transcript.steps) script.expect(step.write).replyRaw(step.replies.join(''));
  return transcript.preamble;
}
