import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/index.js';

/**
 * The configuration example of CONTRACT.md §2, character for character: operators copy it, so
 * whatever the config grows (the `sims` mapping, operators, rent, health), it must keep loading
 * as it is, with its `${...}` variables set.
 */
const CONTRACT_EXAMPLE = `onlinesim:
  pushUrl: https://partner-url-from-onlinesim-support/   # PUSH_SMS target (required)
  apiKey: \${ONLINESIM_API_KEY}                            # partner key (required)
reseller:                        # optional: serve Onlinesim's calls to the partner server
  listen: 0.0.0.0:8080           # POST at /, /getServices, /getNumber, /finishActivation;
                                 # callers authenticate with onlinesim.apiKey (body key or Bearer)
  services: [instagram, vk]      # services offered on every SIM (a SIM may override)
admin:
  listen: 127.0.0.1:8930         # /healthz, /metrics, /api/*, status page
storage:                         # exactly one of the two
  sqlite: ./data/simbridge.db    # the embedded default: one host
  # postgres: \${SIMBRIDGE_POSTGRES_URL}   # postgres://user:pass@host:5432/db: several hosts, one farm
node:
  name: pi-01                    # this host's name in a shared farm (default: the host name)
  staleAfterMs: 30000            # postgres only: a host unheard this long is dead: its SIMs are not
                                 # offered, its leased pushes are taken over by the live hosts
modems:
  ports: ["/dev/gsm/*"]          # globs and paths; rescanned for hotplug
  baudRate: 115200
sims:                            # SIM-to-number map
  - iccid: "89701012345678901234"
    phone: "79088081050"         # digits, international, no '+', as Onlinesim writes it
    country: russia
    operator: mts
    services: [instagram]        # optional, overrides reseller.services for this SIM
`;

const ENV = { ONLINESIM_API_KEY: 'contract-key-0123', SIMBRIDGE_POSTGRES_URL: 'postgres://u:p@db:5432/farm' };

describe('the CONTRACT.md §2 config example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-contract-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads from a file as it is, with its variables from the environment', () => {
    const path = join(dir, 'simbridge.yaml');
    writeFileSync(path, CONTRACT_EXAMPLE);
    const config = loadConfig(path, ENV);
    expect(config.onlinesim).toMatchObject({
      pushUrl: 'https://partner-url-from-onlinesim-support/',
      apiKey: 'contract-key-0123',
    });
    expect(config.reseller).toMatchObject({ listen: '0.0.0.0:8080', services: ['instagram', 'vk'] });
    expect(config.admin.listen).toBe('127.0.0.1:8930');
    expect(config.node).toMatchObject({ name: 'pi-01', staleAfterMs: 30_000 });
    expect(config.modems).toMatchObject({ ports: ['/dev/gsm/*'], baudRate: 115_200 });
    // `sims:` as the plain list of §2 is still the SIM map, with no discovery settings needed.
    expect(config.sims).toEqual([
      {
        iccid: '89701012345678901234',
        phone: '79088081050',
        country: 'russia',
        operator: 'mts',
        services: ['instagram'],
      },
    ]);
    expect(config.simOptions.autoConfirm).toBe(false);
    expect(config.simOptions.minBalance).toBeUndefined();
    expect(config.health.minBalance).toBeUndefined();
  });

  it('takes the commented PostgreSQL line instead of SQLite, as its comment says', () => {
    const postgres = CONTRACT_EXAMPLE.replace(
      /^ {2}sqlite: .*\n {2}# postgres: (.*?)\s+#.*$/m,
      '  postgres: $1',
    );
    expect(postgres).not.toBe(CONTRACT_EXAMPLE);
    const config = parseConfigText(postgres, ENV);
    expect(config.storage).toMatchObject({ postgres: 'postgres://u:p@db:5432/farm' });
  });

  it('still names the key when the required variable is missing (exit 2 at start)', () => {
    expect(() => parseConfigText(CONTRACT_EXAMPLE, {})).toThrow(/ONLINESIM_API_KEY/);
  });
});
