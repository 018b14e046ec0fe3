import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AtCommander, AtResponse, AtSendOptions, UrcHandler } from '../../../src/at/types.js';
import { UssdSession } from '../../../src/modem/ussd/ussd-session.js';

/** Answers every command OK (or as `answer` says) and lets the test emit URC lines. */
class UrcCommander implements AtCommander {
  readonly sent: { command: string; options: AtSendOptions }[] = [];
  readonly handlers: UrcHandler[] = [];
  answer: (command: string) => AtResponse['final'] = () => ({ kind: 'ok' });

  async send(command: string, options: AtSendOptions = {}): Promise<AtResponse> {
    this.sent.push({ command, options });
    return { command, lines: [], final: this.answer(command) };
  }
  addUrcHandler(handler: UrcHandler): () => void {
    this.handlers.push(handler);
    return () => this.handlers.splice(this.handlers.indexOf(handler), 1);
  }
  onUnhandledLine(): () => void {
    return () => {};
  }
  async close(): Promise<void> {}
  emit(line: string): boolean {
    const handler = this.handlers.find((h) => h.match(line));
    handler?.handle([line]);
    return handler !== undefined;
  }
}

afterEach(() => vi.useRealTimers());

describe('UssdSession', () => {
  it('sends AT+CUSD at background priority and resolves with the decoded +CUSD answer', async () => {
    const at = new UrcCommander();
    const session = new UssdSession();
    session.listen(at);
    const reply = session.request(at, '*100#', { timeoutMs: 1_000 });
    await vi.waitFor(() => expect(at.sent).toHaveLength(1));
    expect(at.sent[0]).toMatchObject({
      command: 'AT+CUSD=1,"*100#",15',
      options: { priority: 'background' },
    });
    expect(at.emit('+CUSD: 0,"Balance 12.50 rub",15')).toBe(true);
    await expect(reply).resolves.toMatchObject({ status: 'done', text: 'Balance 12.50 rub' });
  });

  it('times out, closes the session with AT+CUSD=2, and drops the late answer', async () => {
    vi.useFakeTimers();
    const at = new UrcCommander();
    const session = new UssdSession();
    session.listen(at);
    const reply = session.request(at, '*111*0887#', { timeoutMs: 30_000 });
    const failed = expect(reply).rejects.toMatchObject({ code: 'MODEM_USSD_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(30_000);
    await failed;
    expect(at.sent.map((s) => s.command)).toEqual(['AT+CUSD=1,"*111*0887#",15', 'AT+CUSD=2']);
    // Claimed by the handler, so no in-flight command can take it as its own answer.
    expect(at.emit('+CUSD: 0,"late",15')).toBe(true);
  });

  it('runs one request at a time per modem', async () => {
    const at = new UrcCommander();
    const session = new UssdSession();
    session.listen(at);
    const first = session.request(at, '*100#', { timeoutMs: 1_000 });
    const second = session.request(at, '*111*0887#', { timeoutMs: 1_000 });
    await vi.waitFor(() => expect(at.sent).toHaveLength(1));
    at.emit('+CUSD: 0,"Balance 1 rub",15');
    await first;
    await vi.waitFor(() => expect(at.sent).toHaveLength(2));
    at.emit('+CUSD: 0,"79161234567",15');
    await expect(second).resolves.toMatchObject({ text: '79161234567' });
  });

  it('rejects a refused command, a bad code and a closed port with their codes', async () => {
    const at = new UrcCommander();
    at.answer = () => ({ kind: 'cme', code: 258 });
    const session = new UssdSession();
    session.listen(at);
    await expect(session.request(at, '*100#')).rejects.toMatchObject({ code: 'MODEM_USSD_REFUSED' });
    // The packed-hex form was tried before giving up.
    expect(at.sent.map((s) => s.command)).toEqual(['AT+CUSD=1,"*100#",15', 'AT+CUSD=1,"AA180C3602",15']);
    await expect(session.request(at, '*100#"\rATZ')).rejects.toMatchObject({
      code: 'MODEM_USSD_INVALID_CODE',
    });
    await expect(session.request(null, '*100#')).rejects.toMatchObject({ code: 'MODEM_USSD_NO_PORT' });
  });

  it('sends the code as packed GSM-7 hex when the modem refuses it as text (Huawei)', async () => {
    const at = new UrcCommander();
    at.answer = (command) => (command.includes('*') ? { kind: 'error' } : { kind: 'ok' });
    const session = new UssdSession();
    session.listen(at);
    const reply = session.request(at, '*100#', { timeoutMs: 1_000 });
    await vi.waitFor(() => expect(at.sent).toHaveLength(2));
    expect(at.sent[1]?.command).toBe('AT+CUSD=1,"AA180C3602",15');
    at.emit('+CUSD: 0,"Balance 1 rub",15');
    await expect(reply).resolves.toMatchObject({ text: 'Balance 1 rub' });
  });

  it('closes a menu session after reading it', async () => {
    const at = new UrcCommander();
    const session = new UssdSession();
    session.listen(at);
    const reply = session.request(at, '*100#', { timeoutMs: 1_000 });
    await vi.waitFor(() => expect(at.sent).toHaveLength(1));
    at.emit('+CUSD: 1,"1. Balance",15');
    await expect(reply).resolves.toMatchObject({ status: 'menu' });
    expect(at.sent.at(-1)?.command).toBe('AT+CUSD=2');
  });
});
