/**
 * The shape shared by the CLI commands that talk to a running bridge's admin API (`sims`,
 * `ops`): `simbridge <name> [action] ...` with `list` as the default action, one admin client
 * per run, and an admin API error printed as `simbridge <name>: <message>` with exit code 1.
 */
import { isGatewayError } from '../errors.js';
import { AdminClient } from './admin-client.js';
import { type AdminTargetFlags, resolveAdminTarget } from './admin-target.js';
import { type CommandHelp, usageError } from './command-args.js';
import { type CliIo, ExitCode } from './io.js';

/** One action; `args` are the positionals after the action's name. */
export type AdminAction = (client: AdminClient, args: readonly string[]) => Promise<number>;

/** An action that takes no positional argument: any is a usage error. */
export function withoutArgs(
  io: CliIo,
  command: CommandHelp,
  run: (client: AdminClient) => Promise<number>,
): AdminAction {
  return (client, args) =>
    args.length > 0
      ? Promise.resolve(usageError(io, command, `unexpected argument "${args[0]}"`))
      : run(client);
}

/** Runs the action named by the first positional (default `list`); unknown names are a usage error. */
export async function runAdminAction(
  io: CliIo,
  command: CommandHelp,
  flags: AdminTargetFlags,
  positionals: readonly string[],
  actions: Readonly<Record<string, AdminAction>>,
): Promise<number> {
  const [action = 'list', ...rest] = positionals;
  try {
    const client = AdminClient.for(resolveAdminTarget(flags, io.env));
    const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (run === undefined) {
      return usageError(io, command, `unknown action "${action}" (${namesOf(Object.keys(actions))})`);
    }
    return await run(client, rest);
  } catch (err) {
    io.stderr.write(`simbridge ${command.name}: ${isGatewayError(err) ? err.message : String(err)}\n`);
    return ExitCode.failure;
  }
}

/** "list, open, end or earnings". */
function namesOf(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
