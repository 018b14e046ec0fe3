import type { ByteChannel } from '../../transport/byte-channel.js';

/**
 * The short look at one candidate port: write `AT`, listen briefly. A port that answers `OK`
 * speaks AT; one that stays silent, streams NMEA sentences or prints noise does not. Nothing is
 * changed on the modem (no ATE0, no CNMI): the port may well not be the one that gets chosen.
 */

export interface AtProbeTimings {
  /** How long to wait for `OK` after each `AT`. */
  answerTimeoutMs: number;
  /** How many `AT`s to send: the first can be swallowed by a modem that autobauds. */
  attempts: number;
}

export const DEFAULT_AT_PROBE_TIMINGS: AtProbeTimings = { answerTimeoutMs: 500, attempts: 2 };

export type AtProbeOutcome =
  | { answered: true }
  | { answered: false; heard: 'nothing' | 'nmea' | 'noise'; sample: string };

const FINAL_OK = /(^|[\r\n])OK\r?\n?/;
const FINAL_ANY = /(^|[\r\n])(OK|ERROR|COMMAND NOT SUPPORT|\+CM[ES] ERROR:[^\r\n]*)\r?\n/;
const NMEA = /\$G[A-Z]{4},/;

/** Collects what a channel says until `done` matches or the time is up. */
function listen(channel: ByteChannel, done: RegExp, timeoutMs: number, before: () => Promise<void>) {
  return new Promise<{ text: string; matched: boolean }>((resolve) => {
    let text = '';
    let finished = false;
    const finish = (matched: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      resolve({ text, matched });
    };
    const unsubscribe = channel.onData((chunk) => {
      text += Buffer.from(chunk).toString('latin1');
      if (done.test(text)) finish(true);
    });
    const timer = setTimeout(() => finish(false), timeoutMs);
    before().catch(() => finish(false));
  });
}

/** Sends `AT` up to `attempts` times; never throws. */
export async function probeAt(
  channel: ByteChannel,
  timings: AtProbeTimings = DEFAULT_AT_PROBE_TIMINGS,
): Promise<AtProbeOutcome> {
  let heard = '';
  for (let attempt = 0; attempt < Math.max(1, timings.attempts); attempt++) {
    const { text, matched } = await listen(channel, FINAL_OK, timings.answerTimeoutMs, () =>
      channel.write(Buffer.from('AT\r', 'latin1')),
    );
    if (matched) return { answered: true };
    heard += text;
  }
  const sample = heard
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 60);
  if (heard.length === 0) return { answered: false, heard: 'nothing', sample };
  return { answered: false, heard: NMEA.test(heard) ? 'nmea' : 'noise', sample };
}

/**
 * Sends one command and returns the lines before its final result, or null when it failed or
 * did not finish in time. The echo of the command, if any, is left out.
 */
export async function askLines(
  channel: ByteChannel,
  command: string,
  timeoutMs: number,
): Promise<string[] | null> {
  const { text, matched } = await listen(channel, FINAL_ANY, timeoutMs, () =>
    channel.write(Buffer.from(`${command}\r`, 'latin1')),
  );
  if (!matched) return null;
  const lines = text
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== command);
  const final = lines.pop();
  return final === 'OK' ? lines : null;
}
