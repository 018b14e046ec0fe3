import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { configError } from './support/config-error.js';

/** `storage.sqlite` or `storage.postgres` (exactly one), and `node.*` for a farm on several hosts. */

const BASE = `
onlinesim: { pushUrl: "https://push.example/v1", apiKey: k }
modems: { ports: ["/dev/gsm/*"] }
`;

function parse(extra: string, env: Record<string, string> = {}) {
  return parseConfigText(`${BASE}${extra}`, env);
}

function errorOf(extra: string, env: Record<string, string> = {}): string {
  return configError(() => parse(extra, env)).message;
}

describe('storage and node', () => {
  it('defaults to the SQLite file and to this machine as the node', () => {
    const config = parse('');
    expect(config.storage).toEqual({ sqlite: './data/simbridge.db' });
    expect(config.node).toEqual({
      name: hostname().slice(0, 64) || 'simbridge',
      staleAfterMs: 30_000,
      heartbeatIntervalMs: 5_000,
    });
  });

  it('takes a postgres URL with the password from the environment', () => {
    const config = parse(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} the config loader substitutes.
      'storage: { postgres: "postgres://simbridge:${PGPASSWORD}@db.farm:5432/simbridge" }\nnode: { name: pi-2, staleAfterMs: 20000 }\n',
      { PGPASSWORD: 'pw-123' },
    );
    expect(config.storage.postgres).toBe('postgres://simbridge:pw-123@db.farm:5432/simbridge');
    expect(config.node).toMatchObject({ name: 'pi-2', staleAfterMs: 20_000 });
  });

  it('refuses both stores at once, a URL that is not postgres://, and never echoes it', () => {
    expect(errorOf('storage: { sqlite: ./a.db, postgres: "postgres://u@h/db" }\n')).toContain(
      'set exactly one of "sqlite" and "postgres"',
    );
    const message = errorOf('storage: { postgres: "mysql://u:topsecret@h/db" }\n');
    expect(message).toContain('expected a postgres:// URL');
    expect(message).not.toContain('topsecret');
  });

  it('refuses a heartbeat too slow for the stale limit and a node name with spaces', () => {
    expect(errorOf('node: { staleAfterMs: 4000, heartbeatIntervalMs: 3000 }\n')).toContain(
      'node.heartbeatIntervalMs',
    );
    expect(errorOf('node: { name: "pi 2" }\n')).toContain('node.name');
  });
});
