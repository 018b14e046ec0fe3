import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_API_KEY, PLACEHOLDER_PUSH_URL, parseConfigText } from '../../src/config/index.js';
import { configError } from './support/config-error.js';

const HEAD = (apiKey: string) =>
  `onlinesim:\n  pushUrl: https://push.example/v1/PUSH_SMS\n  apiKey: "${apiKey}"\nmodems:\n  ports: ["/dev/gsm/*"]\n`;

describe('config checks an operator hits on the first day', () => {
  it.each([
    ['spaces', '   '],
    ['a tab', '\t'],
  ])('rejects an apiKey of only %s', (_name, key) => {
    const error = configError(() => parseConfigText(HEAD(key), {}));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual(['onlinesim.apiKey: must not be blank']);
  });

  it.each([
    ['a string', 'just some words\n', 'a string'],
    ['a number', '42\n', 'a number'],
    ['a list', '- a\n- b\n', 'a list'],
  ])('reports a YAML root that is %s as "must be a YAML mapping"', (_name, text, got) => {
    const error = configError(() => parseConfigText(text, {}, 'simbridge.yaml'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual([
      `the config file must be a YAML mapping (key: value lines, e.g. "onlinesim:"), got ${got}`,
    ]);
  });

  it('refuses a reseller section while the API key is the publicly known placeholder', () => {
    const yaml = `${HEAD(PLACEHOLDER_API_KEY)}reseller:\n  listen: 127.0.0.1:8080\n`;
    const error = configError(() => parseConfigText(yaml, {}));
    expect(error.issues).toEqual([
      'onlinesim.apiKey: is the placeholder of config/simbridge.yaml; the partner endpoint (reseller) ' +
        'would accept it from anyone: set ONLINESIM_API_KEY',
    ]);
    // Without the partner endpoint the placeholder is only a warning at start (nothing accepts it).
    expect(parseConfigText(HEAD(PLACEHOLDER_API_KEY), {}).onlinesim.apiKey).toBe(PLACEHOLDER_API_KEY);
  });

  it('the placeholders are the ones the tracked config/simbridge.yaml falls back to', () => {
    expect(readFileSync('config/simbridge.yaml', 'utf8')).toContain(
      `\${ONLINESIM_API_KEY:-${PLACEHOLDER_API_KEY}}`,
    );
    const config = parseConfigText(readFileSync('config/simbridge.yaml', 'utf8'), {});
    expect(config.onlinesim.apiKey).toBe(PLACEHOLDER_API_KEY);
    expect(config.onlinesim.pushUrl).toBe(PLACEHOLDER_PUSH_URL);
  });
});
