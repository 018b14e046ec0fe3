import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { DEFAULT_MODEM_TIMINGS, resolveTimings, timingsFromConfig } from '../../src/modem/options.js';

const BASE = `
onlinesim: { pushUrl: "https://onlinesim.example/push", apiKey: "k" }
modems:
  ports: ["/dev/gsm/*"]
`;

describe('modem timings from the configuration', () => {
  it('takes every modems.* timing key and leaves the rest at the defaults', () => {
    const config = parseConfigText(
      `${BASE}  storageCheckIntervalMs: 3000\n  simBusyReadRetryMs: 700\n  recoveryProbeIntervalMs: 1500\n  pollIntervalMs: 60000\n`,
      {},
    );
    const timings = resolveTimings(timingsFromConfig(config.modems));
    expect(timings).toMatchObject({
      storageCheckIntervalMs: 3_000,
      simBusyReadRetryMs: 700,
      recoveryProbeIntervalMs: 1_500,
      pollIntervalMs: 60_000,
      watchdogIntervalMs: DEFAULT_MODEM_TIMINGS.watchdogIntervalMs,
    });
  });

  it('refuses a timing that is not a positive whole number of ms, naming the key', () => {
    expect(() => parseConfigText(`${BASE}  storageCheckIntervalMs: 0\n`, {})).toThrow(
      /storageCheckIntervalMs/,
    );
  });

  it('defaults find a lost +CMTI within 3 s and probe a silent modem every second', () => {
    expect(DEFAULT_MODEM_TIMINGS).toMatchObject({
      storageCheckIntervalMs: 3_000,
      recoveryProbeIntervalMs: 1_000,
      simBusyReadRetryMs: 1_000,
    });
  });

  it('the example configuration parses with its modem tuning lines uncommented', () => {
    const example = readFileSync(new URL('../../config/simbridge.example.yaml', import.meta.url), 'utf8');
    const tuned = example.replace(/^ {2}# (\w+Ms: \d+)/gm, '  $1');
    expect(tuned).not.toBe(example);
    const config = parseConfigText(tuned, { SIMBRIDGE_API_KEY: 'k', ONLINESIM_API_KEY: 'k' });
    expect(timingsFromConfig(config.modems)).toMatchObject({ storageCheckIntervalMs: 3_000 });
  });
});
