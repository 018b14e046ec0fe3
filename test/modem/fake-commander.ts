import type { AtCommander, AtResponse, AtSendOptions, FinalResult, UrcHandler } from '../../src/at/types.js';
import { GatewayError } from '../../src/errors.js';
import type { ByteChannel } from '../../src/transport/byte-channel.js';

/** A scripted answer: information lines and a final result (OK when omitted). */
export interface FakeReply {
  lines?: string[];
  final?: FinalResult;
}

type Responder = (command: string, match: RegExpExecArray) => FakeReply | Promise<FakeReply>;

const OK: FinalResult = { kind: 'ok' };
export const PDU_HELLO = '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07';
export const PDU_WORLD = '0791448720003023240DD0E474D81C0EBB010000111011315214000BE474D81C0EBB5DE3771B';

/**
 * A tiny modem behind the `AtCommander` interface: SIM storage, identity, SIM-busy count,
 * hang switch, and a trace of what happened (`events`) so tests can check ordering such as
 * "accept resolved before AT+CMGD".
 */
export class FakeModem {
  readonly storage = new Map<number, { status: number; pdu: string }>();
  readonly sent: string[] = [];
  readonly events: string[] = [];
  manufacturer = 'FakeCorp';
  model = 'FM-1';
  iccid = '89701012345678901234';
  simBusyCount = 0;
  cpinAnswer = '+CPIN: READY';
  cpinFinal: FinalResult = OK;
  cnmiTest = '+CNMI: (0-2),(0,1,3),(0),(0,1),(0,1)';
  pduMode = true;
  hung = false;
  total = 30;
  nextIndex = 1;
  readonly #overrides: Array<{ pattern: RegExp; respond: Responder }> = [];
  readonly commanders: FakeCommander[] = [];

  /** Adds a message to storage and returns its index (no URC). */
  store(pdu: string, status = 0): number {
    let index = this.nextIndex;
    while (this.storage.has(index)) index += 1;
    this.storage.set(index, { status, pdu });
    return index;
  }

  /** Overrides the answer to commands matching `pattern` (latest first). */
  on(pattern: RegExp, respond: Responder): void {
    this.#overrides.unshift({ pattern, respond });
  }

  /** The commander of the latest open. */
  get at(): FakeCommander {
    const at = this.commanders[this.commanders.length - 1];
    if (!at) throw new Error('no commander yet');
    return at;
  }

  count(pattern: RegExp): number {
    return this.sent.filter((command) => pattern.test(command)).length;
  }

  commander(): FakeCommander {
    const at = new FakeCommander(this);
    this.commanders.push(at);
    return at;
  }

  /** False: a firmware that answers ERROR to a line of several commands. */
  combinedLines = true;
  /** The `AT+CNMI=` parameters last set, echoed by `AT+CNMI?`. */
  cnmiSetting: string | null = null;

  /**
   * One command line: `AT+CPMS?;+CNMI?` is answered like a modem would, each command in turn,
   * information lines together, and the first error ends the line (V.250 §5.2.1).
   */
  async answer(line: string): Promise<FakeReply> {
    const commands = line.split(';').map((part, i) => (i === 0 ? part : `AT${part}`));
    if (commands.length === 1) return this.#answerOne(line);
    if (!this.combinedLines) return { final: { kind: 'error' } };
    const lines: string[] = [];
    for (const command of commands) {
      const reply = await this.#answerOne(command);
      lines.push(...(reply.lines ?? []));
      if (reply.final && reply.final.kind !== 'ok') return { lines, final: reply.final };
    }
    return { lines };
  }

  async #answerOne(command: string): Promise<FakeReply> {
    for (const { pattern, respond } of this.#overrides) {
      const match = pattern.exec(command);
      if (match) return respond(command, match);
    }
    return this.#standard(command);
  }

  #standard(command: string): FakeReply {
    const busy = (): FakeReply | null => {
      if (this.simBusyCount <= 0) return null;
      this.simBusyCount -= 1;
      return { final: { kind: 'cme', code: 14 } };
    };
    if (command === 'AT+CPIN?') return busy() ?? { lines: [this.cpinAnswer], final: this.cpinFinal };
    if (command === 'AT+CGMI') return { lines: [this.manufacturer] };
    if (command === 'AT+CGMM') return { lines: [this.model] };
    if (command === 'AT+CGMR') return { lines: ['1.0'] };
    if (command === 'AT+CGSN') return { lines: ['490154203237518'] };
    if (command === 'AT+CIMI') return { lines: ['250011234567890'] };
    if (/^AT(\+CCID|\^ICCID\?)$/.test(command)) return { lines: [`+CCID: ${this.iccid}`] };
    if (command === 'AT+CMGF=0') return this.pduMode ? {} : { final: { kind: 'error' } };
    if (command === 'AT+CPMS=?') return { lines: ['+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")'] };
    if (command.startsWith('AT+CPMS="')) {
      const used = this.storage.size;
      return (
        busy() ?? { lines: [`+CPMS: ${used},${this.total},${used},${this.total},${used},${this.total}`] }
      );
    }
    if (command === 'AT+CPMS?') {
      const u = this.storage.size;
      return { lines: [`+CPMS: "SM",${u},${this.total},"SM",${u},${this.total},"SM",${u},${this.total}`] };
    }
    if (command === 'AT+CNMI=?') return { lines: [this.cnmiTest] };
    if (command.startsWith('AT+CNMI=')) {
      this.cnmiSetting = command.slice('AT+CNMI='.length);
      return {};
    }
    if (command === 'AT+CNMI?' && this.cnmiSetting !== null) return { lines: [`+CNMI: ${this.cnmiSetting}`] };
    if (command === 'AT+COPS?') return { lines: ['+COPS: 0,0,"Fake Net",7'] };
    if (command === 'AT+CSQ') return { lines: ['+CSQ: 20,99'] };
    if (command === 'AT+CREG?') return { lines: ['+CREG: 0,1'] };
    if (command === 'AT+CMGL=4') {
      const lines: string[] = [];
      for (const [index, message] of [...this.storage].sort((a, b) => a[0] - b[0])) {
        lines.push(`+CMGL: ${index},${message.status},,${(message.pdu.length - 16) / 2}`, message.pdu);
      }
      return { lines };
    }
    const cmgr = /^AT\+CMGR=(\d+)$/.exec(command);
    if (cmgr) {
      const message = this.storage.get(Number(cmgr[1]));
      return message
        ? { lines: [`+CMGR: ${message.status},,${(message.pdu.length - 16) / 2}`, message.pdu] }
        : {};
    }
    const cmgd = /^AT\+CMGD=(\d+)$/.exec(command);
    if (cmgd) {
      this.storage.delete(Number(cmgd[1]));
      this.events.push(`delete:${cmgd[1]}`);
      return {};
    }
    return {};
  }
}

/** The `AtCommander` face of a {@link FakeModem}; URCs are injected with `urc()`. */
export class FakeCommander implements AtCommander {
  readonly #modem: FakeModem;
  readonly #handlers = new Set<UrcHandler>();
  readonly #unhandled = new Set<(line: string) => void>();
  closed = false;

  constructor(modem: FakeModem) {
    this.#modem = modem;
  }

  async send(command: string, options: AtSendOptions = {}): Promise<AtResponse> {
    if (this.closed) throw new GatewayError('AT_PORT_CLOSED', `${command}: port closed`);
    this.#modem.sent.push(command);
    if (this.#modem.hung) {
      const timeoutMs = options.timeoutMs ?? 10_000;
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      throw new GatewayError('AT_TIMEOUT', `${command} timed out`);
    }
    const reply = await this.#modem.answer(command);
    if (this.closed) throw new GatewayError('AT_PORT_CLOSED', `${command}: port closed`);
    const response: AtResponse = { command, lines: reply.lines ?? [], final: reply.final ?? OK };
    if (response.final.kind !== 'ok' && !options.allowError) {
      throw new GatewayError('AT_COMMAND_FAILED', `${command} failed`);
    }
    return response;
  }

  addUrcHandler(handler: UrcHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  onUnhandledLine(listener: (line: string) => void): () => void {
    this.#unhandled.add(listener);
    return () => this.#unhandled.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Delivers an unsolicited line (and its extra lines) the way the engine routes it. */
  urc(...lines: string[]): void {
    const first = lines[0] ?? '';
    for (const handler of this.#handlers) {
      if (handler.match(first)) {
        const extra = handler.extraLines?.(first) ?? 0;
        let count = 1 + extra;
        // An open-ended claim (a +CUSD text over several lines) takes lines while it continues.
        if (extra === 0 && handler.continues) {
          while (count < lines.length && handler.continues(lines.slice(0, count))) count += 1;
        }
        handler.handle(lines.slice(0, count));
        return;
      }
    }
    for (const listener of this.#unhandled) listener(first);
  }
}

/** A channel that only knows how to close; the fake commander ignores bytes. */
export class FakeChannel implements ByteChannel {
  readonly name = 'fake';
  isOpen = true;
  readonly #closeListeners = new Set<(error: Error | null) => void>();

  async write(): Promise<void> {}
  onData(): () => void {
    return () => {};
  }
  onClose(listener: (error: Error | null) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }
  async close(): Promise<void> {
    this.isOpen = false;
  }
  /** Simulates a USB unplug. */
  unplug(): void {
    this.isOpen = false;
    for (const listener of this.#closeListeners) listener(new Error('device disconnected'));
  }
}
