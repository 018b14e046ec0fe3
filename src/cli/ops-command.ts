/**
 * `simbridge ops [list|open|end]`: operations of a running bridge, through its admin API
 * (CONTRACT.md §3 `/api/operations`). An operation makes a SIM wait for one service's SMS; the
 * reseller endpoints open them for Onlinesim, an operator opens them here by hand.
 */
import type { EarningsTotals } from '../reseller/earnings-report.js';
import { RENT_SERVICE } from '../store/rent-store.js';
import { runAdminAction, withoutArgs } from './admin-actions.js';
import type { AdminClient, OperationRow } from './admin-client.js';
import { parseCommandArgs, usageError } from './command-args.js';
import { type CliIo, ExitCode } from './io.js';
import { formatTable } from './text-table.js';

const USAGE = `Usage:
  simbridge ops [list] [--all] [--json]                    list active operations (--all: ended too),
                                                           activations and rents (with their end)
  simbridge ops open --phone P --id N --service S [--json] make N the active operation of phone P
  simbridge ops end N                                      end operation N
  simbridge ops earnings [--json]                          earnings per SIM and per service

Common options:
  --admin URL      admin API address (default: admin.listen of the config, else http://127.0.0.1:8930)
  --config FILE    configuration to read admin.listen and admin.token from
  -h, --help       show this help

The phone is digits with the country code and no "+", as in the config's sims list. Opening an
operation ends the phone's previous one; an id used before is refused. With admin.token in the
config, every call sends it (a \${NAME} in it is read from this shell's environment).

Exit codes: 0 done; 1 refused (unknown id, id already used, unknown phone, no or a wrong admin
token) or the admin API could not be reached; 2 usage error.
`;

const OPTIONS = {
  admin: { type: 'string' },
  config: { type: 'string', short: 'c' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  phone: { type: 'string' },
  id: { type: 'string' },
  service: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = {
  admin?: string;
  config?: string;
  all?: boolean;
  json?: boolean;
  phone?: string;
  id?: string;
  service?: string;
  help?: boolean;
};

const COMMAND = { name: 'ops', usage: USAGE };

export async function runOpsCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(io, COMMAND, { args: argv, options: OPTIONS, allowPositionals: true });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  return runAdminAction(io, COMMAND, values, positionals, {
    list: withoutArgs(io, COMMAND, (client) => list(client, values, io)),
    open: withoutArgs(io, COMMAND, (client) => open(client, values, io)),
    end: (client, rest) => end(client, rest, io),
    earnings: withoutArgs(io, COMMAND, (client) => earnings(client, values, io)),
  });
}

async function list(client: AdminClient, values: Values, io: CliIo): Promise<number> {
  const operations = await client.listOperations({ active: !values.all, limit: 1000 });
  if (values.json) io.stdout.write(`${JSON.stringify(operations, null, 2)}\n`);
  else if (operations.length === 0)
    io.stdout.write(values.all ? 'no operations\n' : 'no active operations\n');
  else io.stdout.write(formatOperations(operations));
  return ExitCode.ok;
}

async function open(client: AdminClient, values: Values, io: CliIo): Promise<number> {
  const missing = (['phone', 'id', 'service'] as const).filter((key) => values[key] === undefined);
  if (missing.length > 0)
    return usageError(io, COMMAND, `ops open needs ${missing.map((k) => `--${k}`).join(', ')}`);
  const phone = String(values.phone).replace(/^\+/, '');
  const operationId = parseId(values.id);
  if (operationId === null) return usageError(io, COMMAND, '--id must be a positive integer');
  const operation = await client.openOperation({ phone, operationId, service: String(values.service) });
  if (values.json) io.stdout.write(`${JSON.stringify(operation, null, 2)}\n`);
  else
    io.stdout.write(
      `operation ${operation.id} is active: ${operation.phone} waits for ${operation.service}\n`,
    );
  return ExitCode.ok;
}

async function end(client: AdminClient, rest: readonly string[], io: CliIo): Promise<number> {
  if (rest.length !== 1) return usageError(io, COMMAND, 'ops end takes exactly one operation id');
  const id = parseId(rest[0]);
  if (id === null)
    return usageError(io, COMMAND, `operation id must be a positive integer, got "${rest[0]}"`);
  await client.endOperation(id);
  io.stdout.write(`operation ${id} ended\n`);
  return ExitCode.ok;
}

async function earnings(client: AdminClient, values: Values, io: CliIo): Promise<number> {
  const report = await client.earnings();
  if (values.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return ExitCode.ok;
  }
  const columns = ['OPERATIONS', 'ACTIVE', 'SOLD', 'CANCELLED', 'REFUNDED', 'NOT ORDERED', 'EARNED RUB'];
  const totals = (t: EarningsTotals) => [
    t.operations,
    t.active,
    t.sold,
    t.cancelled,
    t.refunded,
    t.notOrdered,
    t.earned,
  ];
  io.stdout.write(
    formatTable(
      ['PHONE', ...columns],
      report.bySim.map((row) => [row.phone, ...totals(row)]),
    ),
  );
  io.stdout.write('\n');
  io.stdout.write(
    formatTable(
      ['SERVICE', ...columns],
      [...report.byService.map((row) => [row.service, ...totals(row)]), ['total', ...totals(report.total)]],
    ),
  );
  return ExitCode.ok;
}

function parseId(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 ? id : null;
}

/**
 * One row per operation; sums and times when the store gave them. KIND says whether Onlinesim
 * bought a single activation or a rent (`GET /api/operations` `kind`; from the service with an
 * older bridge), and RENTED UNTIL is a rent's end as sold (ENDED is when it really ended).
 */
export function formatOperations(operations: readonly OperationRow[]): string {
  const rows = operations.map((op) => [
    op.id,
    op.phone,
    op.service,
    op.status,
    kindOf(op),
    op.source,
    timeCell(op.createdAtMs),
    timeCell(op.finishedAtMs),
    timeCell(rentedUntilMs(op)),
    op.sum,
  ]);
  return formatTable(
    ['ID', 'PHONE', 'SERVICE', 'STATUS', 'KIND', 'SOURCE', 'OPENED', 'ENDED', 'RENTED UNTIL', 'SUM'],
    rows,
  );
}

function kindOf(op: OperationRow): string {
  if (op.kind === 'rent' || op.kind === 'activation') return op.kind;
  return op.service === RENT_SERVICE ? 'rent' : 'activation';
}

function rentedUntilMs(op: OperationRow): unknown {
  const rent = op.rent;
  return typeof rent === 'object' && rent !== null
    ? (rent as { rentedUntilMs?: unknown }).rentedUntilMs
    : null;
}

function timeCell(ms: unknown): string | null {
  return typeof ms === 'number'
    ? new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : null;
}
