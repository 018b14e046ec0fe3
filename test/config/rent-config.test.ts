import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/index.js';

/** `reseller.rent` and `onlinesim.pushRentUrl`: off by default, and no rent without its push URL. */

const BASE = `
onlinesim: { pushUrl: "https://push.example/v1", apiKey: k, PUSH_RENT }
modems: { ports: ["/dev/gsm/*"] }
reseller:
  listen: "127.0.0.1:8931"
  services: [vk]
`;

function parse(rent: string, pushRent = 'pushRentUrl: "https://push.example/rent"') {
  return parseConfigText(`${BASE.replace('PUSH_RENT', pushRent)}  rent: ${rent}\n`, {});
}

function errorOf(rent: string, pushRent?: string): string {
  try {
    parse(rent, pushRent);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    return (err as ConfigError).issues.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('reseller.rent', () => {
  it('is off by default, with the documented defaults', () => {
    const config = parseConfigText(BASE.replace(', PUSH_RENT', ''), {});
    expect(config.reseller?.rent).toEqual({
      enabled: false,
      services: ['rent'],
      maxDays: 30,
      defaultDays: 1,
      daysField: 'days',
      expiryGraceMs: 86_400_000,
      expirySweepIntervalMs: 60_000,
    });
    expect(config.onlinesim.pushRentUrl).toBeUndefined();
  });

  it('takes every key, services in lower case', () => {
    const config = parse(
      '{ enabled: true, services: [Rent, longterm], maxDays: 90, defaultDays: 7, daysField: rentDays, expiryGraceMs: 0 }',
    );
    expect(config.reseller?.rent).toMatchObject({
      enabled: true,
      services: ['rent', 'longterm'],
      maxDays: 90,
      defaultDays: 7,
      daysField: 'rentDays',
      expiryGraceMs: 0,
    });
    expect(config.onlinesim.pushRentUrl).toBe('https://push.example/rent');
  });

  it('refuses rent enabled without onlinesim.pushRentUrl, naming the key', () => {
    expect(errorOf('{ enabled: true }', 'pushUrl2: x')).toContain('unknown key "pushUrl2"');
    const text = `${BASE.replace(', PUSH_RENT', '')}  rent: { enabled: true }\n`;
    let issues: readonly string[] = [];
    try {
      parseConfigText(text, {});
    } catch (err) {
      issues = (err as ConfigError).issues;
    }
    expect(issues).toEqual([
      expect.stringMatching(/^onlinesim\.pushRentUrl: required when reseller\.rent\.enabled/),
    ]);
  });

  it('accepts pushRentUrl with rent disabled, refuses one that is not http(s)', () => {
    expect(parse('{ enabled: false }').reseller?.rent.enabled).toBe(false);
    expect(errorOf('{ enabled: true }', 'pushRentUrl: "ftp://x/rent"')).toContain(
      'onlinesim.pushRentUrl: expected an http(s) URL',
    );
  });

  it('refuses unknown keys, defaultDays above maxDays, and a service that is also a rent key', () => {
    expect(errorOf('{ enabled: true, days: 3 }')).toContain('unknown key "days" in reseller.rent');
    expect(errorOf('{ enabled: true, maxDays: 5, defaultDays: 6 }')).toContain(
      'reseller.rent.defaultDays: must be at most maxDays (5)',
    );
    expect(errorOf('{ enabled: true, services: [vk] }')).toContain('"vk" is also a rent service');
    expect(errorOf('{ enabled: true, maxDays: 0 }')).toContain('reseller.rent.maxDays: must be at least 1');
  });
});
