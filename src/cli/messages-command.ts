/**
 * `simbridge messages [--admin URL] [--config FILE] [--status S] [--limit N] [--json]`: recent
 * messages and their push state, read from a running bridge's admin API (`GET /api/messages`).
 */
import { isGatewayError } from '../errors.js';
import { MESSAGE_STATUS_FILTERS } from '../http/admin-deps.js';
import { AdminClient, type MessageRow, resolveAdminTarget } from './admin-client.js';
import { parseCommandArgs, usageError } from './command-args.js';
import { type CliIo, ExitCode } from './io.js';
import { formatTable, truncate } from './text-table.js';

const USAGE = `Usage: simbridge messages [--admin URL] [--config FILE] [--status S] [--limit N] [--json]

Lists recent messages (newest first) and their push state, from a running simbridge's admin API.

Options:
  --admin URL      admin API address (default: admin.listen of the config, else http://127.0.0.1:8930)
  --config FILE    configuration to read admin.listen and admin.token from
  --status S       only messages in state S: ${MESSAGE_STATUS_FILTERS.join(', ')}
  --limit N        at most N messages (1-1000, default 50)
  --json           print the API's JSON array as it is
  -h, --help       show this help

Exit codes: 0 listed; 1 the admin API could not be reached or refused; 2 usage error.
`;

/** Longest SMS text shown in a table cell. */
const TEXT_COLUMN_CHARS = 48;

const COMMAND = { name: 'messages', usage: USAGE };

export async function runMessagesCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(io, COMMAND, {
    args: argv,
    options: {
      admin: { type: 'string' },
      config: { type: 'string', short: 'c' },
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const status = values.status;
  if (status !== undefined && !(MESSAGE_STATUS_FILTERS as readonly string[]).includes(status)) {
    return usageError(io, COMMAND, `--status must be one of ${MESSAGE_STATUS_FILTERS.join(', ')}`);
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return usageError(io, COMMAND, '--limit must be an integer from 1 to 1000');
  }

  try {
    const client = AdminClient.for(resolveAdminTarget(values, io.env));
    const messages = await client.listMessages(status === undefined ? { limit } : { status, limit });
    if (values.json) io.stdout.write(`${JSON.stringify(messages, null, 2)}\n`);
    else io.stdout.write(messages.length === 0 ? 'no messages\n' : formatMessages(messages));
    return ExitCode.ok;
  } catch (err) {
    io.stderr.write(`simbridge messages: ${isGatewayError(err) ? err.message : String(err)}\n`);
    return ExitCode.failure;
  }
}

/** The table: one row per message, the text shortened, the push as `state/attempts`. */
export function formatMessages(messages: readonly MessageRow[]): string {
  const rows = messages.map((m) => {
    const push = typeof m.push === 'object' && m.push !== null ? (m.push as Record<string, unknown>) : null;
    const received = typeof m.receivedAtMs === 'number' ? new Date(m.receivedAtMs).toISOString() : null;
    const text = typeof m.text === 'string' ? truncate(m.text, TEXT_COLUMN_CHARS) : null;
    return [
      m.id,
      received?.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      m.phone ?? m.port,
      m.sender,
      m.status,
      push ? `${String(push.state)} (${String(push.attempts)} tries)` : '-',
      m.operationId,
      text,
    ];
  });
  return formatTable(['ID', 'RECEIVED', 'SIM', 'SENDER', 'STATUS', 'PUSH', 'OP', 'TEXT'], rows);
}
