/**
 * `simbridge sims [list|confirm|export]`: the SIMs of a running bridge, through its admin API
 * (`/api/sims`, README "Adding SIMs"). A number a SIM found itself (AT+CNUM or the operator's
 * USSD code) is offered to Onlinesim only once confirmed here; `export` prints the confirmed
 * numbers as the config's `sims:` list, to pin them in the YAML.
 */
import { stringify } from 'yaml';
import { ICCID_PATTERN } from '../config/schema.js';
import { runAdminAction, withoutArgs } from './admin-actions.js';
import type { SimRow } from './admin-client.js';
import { parseCommandArgs, usageError } from './command-args.js';
import { type CliIo, ExitCode } from './io.js';
import { formatTable } from './text-table.js';

const USAGE = `Usage:
  simbridge sims [list] [--json]     every SIM: ICCID, phone, where the number came from, confirmed, balance
  simbridge sims confirm ICCID       confirm the number a SIM found: it is offered to Onlinesim from now on
  simbridge sims export              print the confirmed numbers as the config's "sims:" block (YAML)

Common options:
  --admin URL      admin API address (default: admin.listen of the config, else http://127.0.0.1:8930)
  --config FILE    configuration to read admin.listen and admin.token from
  -h, --help       show this help

SOURCE is config (the sims list of the config, always wins), cnum (stored on the SIM, AT+CNUM) or
ussd (answered by the operator's operators.*.numberUssd code). Check a discovered number (call or
text the SIM) before confirming it: its SMS codes will be sold to Onlinesim's customers.

Exit codes: 0 done; 1 refused (no number known for that ICCID, no or a wrong admin token) or the
admin API could not be reached; 2 usage error.
`;

const OPTIONS = {
  admin: { type: 'string' },
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMAND = { name: 'sims', usage: USAGE };

export async function runSimsCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(io, COMMAND, { args: argv, options: OPTIONS, allowPositionals: true });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  return runAdminAction(io, COMMAND, values, positionals, {
    list: withoutArgs(io, COMMAND, async (client) => {
      const sims = await client.listSims();
      io.stdout.write(values.json ? `${JSON.stringify(sims, null, 2)}\n` : formatSims(sims));
      return ExitCode.ok;
    }),
    confirm: async (client, rest) => {
      const [iccid] = rest;
      if (rest.length !== 1 || iccid === undefined) {
        return usageError(io, COMMAND, 'sims confirm takes exactly one ICCID');
      }
      if (!ICCID_PATTERN.test(iccid)) return usageError(io, COMMAND, `not an ICCID: "${iccid}"`);
      const sim = await client.confirmSim(iccid);
      io.stdout.write(
        `SIM ${sim.iccid} confirmed: ${sim.phone ?? '?'} is offered to Onlinesim from now on\n`,
      );
      return ExitCode.ok;
    },
    export: withoutArgs(io, COMMAND, async (client) => {
      io.stdout.write(exportSimsYaml(await client.listSims()));
      return ExitCode.ok;
    }),
  });
}

/** One row per SIM. */
export function formatSims(sims: readonly SimRow[]): string {
  if (sims.length === 0) return 'no SIMs known yet (none configured, none in a modem)\n';
  const rows = sims.map((sim) => [
    sim.iccid,
    sim.phone,
    sim.source,
    sim.confirmed ? 'yes' : 'no',
    sim.offered ? 'yes' : 'no',
    sim.operator,
    sim.balance,
    sim.port,
    sim.problem,
  ]);
  return formatTable(
    ['ICCID', 'PHONE', 'SOURCE', 'CONFIRMED', 'OFFERED', 'OPERATOR', 'BALANCE', 'PORT', 'PROBLEM'],
    rows,
  );
}

/**
 * The confirmed SIMs as the config's `sims:` list (CONTRACT.md §2), config SIMs included, so the
 * printed block can replace the file's. Unconfirmed numbers are left out, as they are not offered.
 */
export function exportSimsYaml(sims: readonly SimRow[]): string {
  const list = sims
    .filter((sim) => sim.confirmed && sim.phone !== null && !sim.iccid.startsWith('imsi:'))
    .map((sim) => ({
      iccid: sim.iccid,
      phone: sim.phone,
      ...(sim.country === null ? {} : { country: sim.country }),
      ...(sim.operator === null ? {} : { operator: sim.operator }),
    }));
  if (list.length === 0) return '# no confirmed SIM numbers yet (simbridge sims confirm ICCID)\nsims: []\n';
  return stringify({ sims: list });
}
