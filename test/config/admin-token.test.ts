import { describe, expect, it } from 'vitest';
import { isLoopbackListen, parseConfigText } from '../../src/config/index.js';
import { configError } from './support/config-error.js';

const TOKEN = 'Adm1n-t0ken-0123456789abcdef';
const ENV = { ONLINESIM_API_KEY: 'partner-key', SIMBRIDGE_ADMIN_TOKEN: TOKEN };

const BASE = `
onlinesim:
  pushUrl: https://push.example/v1/PUSH_SMS
  apiKey: \${ONLINESIM_API_KEY}
modems:
  ports: ["/dev/gsm/*"]
`;

const withAdmin = (lines: string): string => `${BASE}admin:\n${lines}`;
/** The line the README suggests. */
const TOKEN_LINE = `  token: \${SIMBRIDGE_ADMIN_TOKEN}\n`;

describe('admin.token', () => {
  it('is absent by default: the loopback admin API needs no token', () => {
    const config = parseConfigText(BASE, ENV);
    expect(config.admin.token).toBeUndefined();
    expect(config.admin.listen).toBe('127.0.0.1:8930');
  });

  it('is read from the environment', () => {
    const config = parseConfigText(withAdmin(TOKEN_LINE), ENV);
    expect(config.admin.token).toBe(TOKEN);
  });

  it('refuses a token shorter than 16 characters or with spaces, naming the key but not the value', () => {
    for (const token of ['short-token-15ch', 'has a space in the middle', '']) {
      const err = configError(() =>
        parseConfigText(withAdmin(TOKEN_LINE), {
          ...ENV,
          SIMBRIDGE_ADMIN_TOKEN: token === 'short-token-15ch' ? token.slice(0, 15) : token,
        }),
      );
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.issues).toHaveLength(1);
      expect(err.issues[0]).toMatch(/^admin\.token: must /);
      if (token !== '') expect(err.message).not.toContain(token.slice(0, 15));
    }
  });

  it('accepts exactly 16 visible characters', () => {
    const token = 'x'.repeat(16);
    expect(parseConfigText(withAdmin(`  token: "${token}"\n`), ENV).admin.token).toBe(token);
  });

  it('names the variable when SIMBRIDGE_ADMIN_TOKEN is not set', () => {
    const err = configError(() => parseConfigText(withAdmin(TOKEN_LINE), { ONLINESIM_API_KEY: 'k' }));
    expect(err.code).toBe('CONFIG_ENV_MISSING');
    expect(err.issues).toEqual(['admin.token: environment variable SIMBRIDGE_ADMIN_TOKEN is not set']);
  });
});

describe('admin.listen beyond loopback', () => {
  it('refuses to start without a token, naming admin.listen and admin.token', () => {
    for (const listen of ['0.0.0.0:8930', ':8930', '"[::]:8930"', '192.168.1.10:8930', 'farm.lan:8930']) {
      const err = configError(() => parseConfigText(withAdmin(`  listen: ${listen}\n`), ENV));
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.issues).toHaveLength(1);
      expect(err.issues[0]).toMatch(/^admin\.listen: .*beyond loopback: set admin\.token/);
    }
  });

  it('starts with a token', () => {
    const config = parseConfigText(withAdmin(`  listen: 0.0.0.0:8930\n${TOKEN_LINE}`), ENV);
    expect(config.admin).toMatchObject({ listen: '0.0.0.0:8930', token: TOKEN });
  });

  it('needs no token on loopback names and addresses', () => {
    for (const listen of ['127.0.0.1:8930', 'localhost:8930', '"[::1]:8930"', '127.0.0.2:0']) {
      expect(parseConfigText(withAdmin(`  listen: ${listen}\n`), ENV).admin.token).toBeUndefined();
    }
  });

  it('reports only the shape of a malformed listen, not a missing token as well', () => {
    const err = configError(() => parseConfigText(withAdmin('  listen: nowhere\n'), ENV));
    expect(err.issues).toEqual(['admin.listen: expected "host:port", got "nowhere"']);
  });
});

describe('isLoopbackListen', () => {
  it('tells loopback binds from the rest', () => {
    expect(isLoopbackListen('127.0.0.1:8930')).toBe(true);
    expect(isLoopbackListen('[::1]:8930')).toBe(true);
    expect(isLoopbackListen('localhost:8930')).toBe(true);
    expect(isLoopbackListen(':8930')).toBe(false);
    expect(isLoopbackListen('0.0.0.0:8930')).toBe(false);
    expect(isLoopbackListen('[::]:8930')).toBe(false);
    expect(isLoopbackListen('10.0.0.1:8930')).toBe(false);
  });
});
