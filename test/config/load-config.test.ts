import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText, resolveConfigPath } from '../../src/config/index.js';
import { configError } from './support/config-error.js';

const SECRET = 's3cr3t-KEY-value';
const ENV = { ONLINESIM_API_KEY: SECRET };

const MINIMAL = `
onlinesim:
  pushUrl: https://push.example/v1/PUSH_SMS
  apiKey: \${ONLINESIM_API_KEY}
modems:
  ports: ["/dev/gsm/*"]
sims:
  - iccid: "89701012345678901234"
    phone: "79088081050"
`;

describe('parseConfigText', () => {
  it('applies every default of a minimal config', () => {
    const config = parseConfigText(MINIMAL, ENV);
    expect(config.onlinesim.apiKey).toBe(SECRET);
    expect(config.admin.listen).toBe('127.0.0.1:8930');
    expect(config.storage.sqlite).toBe('./data/simbridge.db');
    expect(config.modems.baudRate).toBe(115_200);
    expect(config.push).toEqual({
      retryDelayMs: 10_000,
      maxAgeMs: 86_400_000,
      timeoutMs: 10_000,
      concurrency: 64,
    });
    expect(config.multipart.timeoutMs).toBe(60_000);
    expect(config.filter.denySenders).toEqual([]);
    expect(config.reseller).toBeUndefined();
  });

  it('rejects an unknown top-level key, naming it', () => {
    const err = configError(() => parseConfigText(`${MINIMAL}onlinsim: {}\n`, ENV));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.issues).toContain('unknown key "onlinsim" at top level');
  });

  it('rejects an unknown nested key with its path', () => {
    const text = MINIMAL.replace('ports:', 'baudrate: 9600\n  ports:');
    expect(configError(() => parseConfigText(text, ENV)).issues).toContain(
      'unknown key "baudrate" in modems',
    );
  });

  it('reports every problem at once, each with its key path', () => {
    const text = `
onlinesim:
  pushUrl: ftp://nope
  apiKey: ""
admin: { listen: "localhost" }
modems:
  ports: []
  baudRate: fast
sims:
  - iccid: "89701012345678901234"
    phone: "79088081050"
  - imsi: "250011234567890"
    phone: "79088081051"
  - iccid: "12"
    phone: "+79088081052"
  - phone: "79088081053"
push: { retryDelayMs: -1, concurrency: 0 }
log: { level: loud }
`;
    const err = configError(() => parseConfigText(text, {}));
    expect(err.issues).toEqual(
      expect.arrayContaining([
        'onlinesim.pushUrl: expected an http(s) URL, got "ftp://nope"',
        'onlinesim.apiKey: must not be empty',
        'admin.listen: expected "host:port", got "localhost"',
        'modems.ports: list at least one port or glob',
        'modems.baudRate: expected number, got string',
        'sims[2].iccid: expected an ICCID of 18 to 22 digits',
        'sims[2].phone: expected digits only, got "+79088081052"',
        'sims[3]: needs "iccid" or "imsi" to identify the SIM',
        'push.retryDelayMs: must be above 0',
        'push.concurrency: must be at least 1',
      ]),
    );
    expect(err.issues.some((i) => i.startsWith('log.level: expected one of'))).toBe(true);
    for (const issue of err.issues) expect(err.message).toContain(issue);
  });

  it('names a missing required key', () => {
    const err = configError(() => parseConfigText('modems: { ports: [a] }\n', {}));
    expect(err.issues).toContain('onlinesim: required');
  });

  it('rejects duplicate ICCIDs (F filler ignored), IMSIs and phones', () => {
    const text = `${MINIMAL}  - iccid: "89701012345678901234F"
    phone: "79088081051"
  - imsi: "250011234567890"
    phone: "79088081050"
  - imsi: "250011234567890"
    phone: "79088081059"
`;
    const err = configError(() => parseConfigText(text, ENV));
    expect(err.issues).toEqual([
      'sims[1].iccid: duplicate of sims[0].iccid (89701012345678901234F)',
      'sims[3].imsi: duplicate of sims[2].imsi (250011234567890)',
      'sims[2].phone: duplicate of sims[0].phone (79088081050)',
    ]);
  });

  it('names duplicates by their place in the mapping form of sims too', () => {
    const text = `${MINIMAL.slice(0, MINIMAL.indexOf('sims:'))}sims:
  autoConfirm: true
  list:
    - iccid: "89701012345678901234"
      phone: "79088081050"
    - imsi: "250011234567890"
      phone: "79088081050"
`;
    const err = configError(() => parseConfigText(text, ENV));
    expect(err.issues).toEqual(['sims.list[1].phone: duplicate of sims.list[0].phone (79088081050)']);
  });

  it('names an unset environment variable and the key that uses it', () => {
    const err = configError(() => parseConfigText(MINIMAL, {}));
    expect(err.code).toBe('CONFIG_ENV_MISSING');
    expect(err.issues).toEqual(['onlinesim.apiKey: environment variable ONLINESIM_API_KEY is not set']);
  });

  it('substitutes inside strings and keeps $${...} literal', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${...} syntax is what is under test
    const text = MINIMAL.replace('https://push.example', '${SCHEME}://push.example').concat(
      'storage: { sqlite: "/var/$${HOME}/db" }\n',
    );
    const config = parseConfigText(text, { ...ENV, SCHEME: 'http' });
    expect(config.onlinesim.pushUrl).toBe('http://push.example/v1/PUSH_SMS');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${...} syntax is what is under test
    expect(config.storage.sqlite).toBe('/var/${HOME}/db');
  });

  it('uses the default of NAME:-default only when NAME is unset', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${...} syntax is what is under test
    const text = MINIMAL.concat('storage: { sqlite: "${DB_PATH:-./data/default.db}" }\n');
    expect(parseConfigText(text, ENV).storage.sqlite).toBe('./data/default.db');
    expect(parseConfigText(text, { ...ENV, DB_PATH: '/srv/x.db' }).storage.sqlite).toBe('/srv/x.db');
  });

  it('does not let a substituted value change the YAML structure', () => {
    const config = parseConfigText(MINIMAL, { ONLINESIM_API_KEY: 'a: b\n# c' });
    expect(config.onlinesim.apiKey).toBe('a: b\n# c');
  });

  it('never echoes the API key in any message', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${...} syntax is what is under test
    const bad = `${MINIMAL.replace('${ONLINESIM_API_KEY}', SECRET)}
  - phone: "+1"
    iccid: "${SECRET}"
unknown: ${SECRET}
`;
    const err = configError(() => parseConfigText(bad, {}));
    expect(err.issues.length).toBeGreaterThan(1);
    expect(err.message).not.toContain(SECRET);
    const yamlErr = configError(() => parseConfigText(`onlinesim:\n  apiKey: "${SECRET}\n  x: [`, {}));
    expect(yamlErr.code).toBe('CONFIG_YAML');
    expect(yamlErr.message).not.toContain(SECRET);
    expect(yamlErr.message).toMatch(/line \d+/);
  });

  it('rejects an invalid deny-list regex and accepts both pattern forms', () => {
    const err = configError(() => parseConfigText(`${MINIMAL}filter: { denySenders: ["/(/"] }\n`, ENV));
    expect(err.issues[0]).toMatch(/^filter\.denySenders\[0\]: invalid regular expression \/\(\//);
    const ok = parseConfigText(`${MINIMAL}filter: { denySenders: [bank, "/^900$/i"] }\n`, ENV);
    expect(ok.filter.denySenders).toEqual(['bank', '/^900$/i']);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-config-'));

  it('loads a file', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, MINIMAL);
    expect(loadConfig(path, ENV).sims[0]?.phone).toBe('79088081050');
  });

  it('reports a missing file as CONFIG_NOT_FOUND', () => {
    const err = configError(() => loadConfig(join(dir, 'missing.yaml'), ENV));
    expect(err.code).toBe('CONFIG_NOT_FOUND');
    expect(err.message).toContain('missing.yaml');
  });

  it('reports a directory as CONFIG_UNREADABLE', () => {
    expect(configError(() => loadConfig(dir, ENV)).code).toBe('CONFIG_UNREADABLE');
  });

  it('validates the shipped example config', () => {
    const config = loadConfig(resolve('config/simbridge.example.yaml'), ENV);
    expect(config.reseller?.services).toEqual(['instagram', 'vk']);
    expect(config.sims).toHaveLength(2);
    expect(config.filter.denySenders).toEqual(['sberbank', '/^900$/']);
  });
});

describe('resolveConfigPath', () => {
  const none = () => false;
  it('prefers --config, then $SIMBRIDGE_CONFIG, then ./config, then /etc', () => {
    const opts = { cwd: '/srv', exists: none };
    expect(resolveConfigPath('my.yaml', { SIMBRIDGE_CONFIG: '/e.yaml' }, opts)).toBe('/srv/my.yaml');
    expect(resolveConfigPath(undefined, { SIMBRIDGE_CONFIG: '/e.yaml' }, opts)).toBe('/e.yaml');
    expect(
      resolveConfigPath(undefined, {}, { cwd: '/srv', exists: (p) => p === '/srv/config/simbridge.yaml' }),
    ).toBe('/srv/config/simbridge.yaml');
    expect(resolveConfigPath(undefined, {}, opts)).toBe('/etc/simbridge/simbridge.yaml');
  });
});
