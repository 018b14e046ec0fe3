/**
 * Public shapes of the AT command engine (TS 27.007 §4, TS 27.005 §3). The framing layer and
 * the engine implement them; the modem driver depends only on these.
 */

/** Final result codes, TS 27.007 §4.1 / §9.2, and vendor variants, as one discriminated union. */
export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme'; code: number; text?: string }
  | { kind: 'cms'; code: number; text?: string }
  /** Vendor forms such as Huawei's `COMMAND NOT SUPPORT`, `NO CARRIER`, `TOO MANY PARAMETERS`. */
  | { kind: 'vendor-error'; text: string };

/** What a successful command returns: its information lines, in order, final result excluded. */
export interface AtResponse {
  command: string;
  lines: string[];
  final: FinalResult;
}

export interface AtSendOptions {
  /** Deadline for the whole command. URC traffic never extends it. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Prefixes of this command's information lines (e.g. `['+CMGL:']`). A line with one of these
   * prefixes belongs to the command even when a URC pattern would also match it.
   */
  expect?: readonly string[];
  /**
   * Lines that follow an expected header line and carry no prefix (the PDU after `+CMGR:` and
   * each `+CMGL:`). The engine keeps every non-final line while a command waits unless a URC
   * claims it; this flag is informational for logging.
   */
  multiline?: boolean;
  /** Body to send after the `> ` prompt (AT+CMGS), terminated with Ctrl-Z by the engine. */
  promptBody?: string;
  /** Do not reject on an error result; resolve with `final` set instead. */
  allowError?: boolean;
  /**
   * `background` (USSD queries): written only when no other command waits, so SMS work always
   * goes first. Default `foreground`.
   */
  priority?: 'foreground' | 'background';
}

/** An unsolicited result handler, routed by pattern (ModemManager style). */
export interface UrcHandler {
  name: string;
  /** True if this line starts the URC. */
  match(line: string): boolean;
  /**
   * How many following lines belong to this URC (e.g. 1 for `+CMT: ,<len>` then the PDU,
   * 1 for `+CDS:`). Default 0.
   */
  extraLines?(firstLine: string): number;
  /**
   * For a URC whose length shows only in its text (a quoted `+CUSD:` string with line breaks):
   * true while `lines`, the URC so far, is unfinished, so the next line is claimed too. Asked
   * after each line when `extraLines` claims none. While it says so, every line is claimed, an
   * empty one (as `''`) and one that reads like a final result (`OK`) too: inside an open quote
   * they are text. `MAX_OPEN_CLAIM_LINES` (urc-router.ts) lines end the claim whatever it says,
   * so a quote that never closes holds up the command in flight for a bounded number of lines.
   * A counted claim (`extraLines`) is cut short by a final result instead.
   */
  continues?(lines: readonly string[]): boolean;
  handle(lines: readonly string[]): void;
}

/** The command engine as the driver sees it. */
export interface AtCommander {
  /** Queues a command (without the trailing CR); one command is in flight per modem. */
  send(command: string, options?: AtSendOptions): Promise<AtResponse>;
  /** Registers a URC handler; returns an unregister function. */
  addUrcHandler(handler: UrcHandler): () => void;
  /** Raw lines that matched no command and no handler (boot noise, garbage): for diagnostics. */
  onUnhandledLine(listener: (line: string) => void): () => void;
  /** Rejects every queued and in-flight command with `AT_PORT_CLOSED` and stops. */
  close(): Promise<void>;
}
