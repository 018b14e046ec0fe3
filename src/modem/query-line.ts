import type { AtCommander, AtResponse, FinalResult } from '../at/types.js';
import { call } from './at-call.js';
import { isSimBusy } from './profiles/profile.js';

/** One read command of a combined line: `AT+CPMS?` and the prefix of its answer, `+CPMS:`. */
export interface Query {
  command: string;
  prefix: string;
}

/**
 * Several read commands on one command line (V.250 §5.2.1, TS 27.007 §4.0: `AT+CPMS?;+CNMI?`),
 * answered with one final result. An idle modem's cost follows the number of command lines, not
 * their bytes (a tty write and read, a trip through the AT engine, whatever the answer says), so
 * the periodic reads of a ready modem share a line where they can.
 *
 * Not every firmware takes a combined line. One that is refused (anything but OK and SIM busy),
 * or answered without a line some query always prints, is sent again as separate commands; if
 * those all answer, the modem is taken not to combine lines and every later `run` sends them
 * separately. A separate command failing explains the refusal instead, so nothing is learnt.
 */
export class QueryLine {
  #combines: boolean;

  /** `combine` false: always one command per query (the init, the CLI probe). */
  constructor(combine = true) {
    this.#combines = combine;
  }

  /** False once the modem showed it does not take combined lines. */
  get combines(): boolean {
    return this.#combines;
  }

  /**
   * Runs `queries` and returns one response per query, in order, each with the lines of its
   * prefix. Timeouts and a closed port reject, as a single command's would.
   */
  async run(at: AtCommander, queries: readonly Query[], timeoutMs?: number): Promise<AtResponse[]> {
    if (queries.length > 1 && this.#combines) {
      const combined = await call(at, combinedLine(queries), {
        expect: queries.map((query) => query.prefix),
        timeoutMs,
      });
      const split = splitAnswer(queries, combined);
      if (split !== null) return split;
      const separate = await runSeparately(at, queries, timeoutMs);
      if (separate.every((response) => response.final.kind === 'ok')) this.#combines = false;
      return separate;
    }
    return runSeparately(at, queries, timeoutMs);
  }
}

/** `AT+CPMS?` + `AT+CNMI?` → `AT+CPMS?;+CNMI?`. */
export function combinedLine(queries: readonly Query[]): string {
  return queries.map((query, i) => (i === 0 ? query.command : query.command.replace(/^AT/i, ''))).join(';');
}

/**
 * The answer to a combined line, cut into one response per query by prefix; null when it does
 * not tell (refused, or a query's line missing), so the queries are sent one by one. SIM busy
 * is every query's answer: sent alone each would hear the same.
 */
export function splitAnswer(queries: readonly Query[], answer: AtResponse): AtResponse[] | null {
  const respond = (query: Query, lines: string[], final: FinalResult): AtResponse => ({
    command: query.command,
    lines,
    final,
  });
  if (isSimBusy(answer.final)) return queries.map((query) => respond(query, [], answer.final));
  if (answer.final.kind !== 'ok') return null;
  const responses: AtResponse[] = [];
  for (const query of queries) {
    const lines = answer.lines.filter((line) => line.startsWith(query.prefix));
    if (lines.length === 0) return null;
    responses.push(respond(query, lines, answer.final));
  }
  return responses;
}

async function runSeparately(
  at: AtCommander,
  queries: readonly Query[],
  timeoutMs: number | undefined,
): Promise<AtResponse[]> {
  const responses: AtResponse[] = [];
  for (const query of queries) {
    responses.push(await call(at, query.command, { expect: [query.prefix], timeoutMs }));
  }
  return responses;
}
