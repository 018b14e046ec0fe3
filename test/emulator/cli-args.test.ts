import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runEmulatorCommand } from '../../src/emulator/cli.js';
import { EMULATOR_USAGE, parseEmulatorArgs, subscriberOptions } from '../../src/emulator/cli-args.js';
import { parseCusd } from '../../src/modem/ussd/parse-cusd.js';
import { createHarness } from './helpers.js';

afterEach(() => vi.useRealTimers());

function parsed(argv: string[]) {
  const result = parseEmulatorArgs(argv);
  if (result.help) throw new Error('expected options, got --help');
  return result.options;
}

describe('simbridge emulator: subscriber flags', () => {
  it('leaves the subscriber answers at the emulator defaults without the flags', () => {
    const options = parsed(['--count', '2']);
    expect(options.count).toBe(2);
    expect(subscriberOptions(options.subscriber, '+79161234567')).toEqual({});
  });

  it('parses --no-cnum, both USSD codes and answers, and the delay', () => {
    const options = parsed([
      '--no-cnum',
      '--balance-ussd',
      '*102#',
      '--balance-answer',
      'Balance: 12.50 rub\\nTariff: Smart',
      '--number-ussd',
      '*205#',
      '--number-answer',
      'Your number is {number}',
      '--ussd-delay-ms',
      '5',
    ]);
    expect(subscriberOptions(options.subscriber, '+79161234567')).toEqual({
      storesNumber: false,
      ussdDelayMs: 5,
      ussd: {
        '*100#': { kind: 'not-supported' },
        '*111*0887#': { kind: 'not-supported' },
        '*102#': { kind: 'text', text: 'Balance: 12.50 rub\nTariff: Smart' },
        '*205#': { kind: 'text', text: 'Your number is +79161234567' },
      },
    });
  });

  it('takes "silent" and "ended" as a network that never answers or ends the session', () => {
    const options = parsed(['--balance-answer', 'silent', '--number-answer', 'ended']);
    expect(subscriberOptions(options.subscriber, '+7916').ussd).toEqual({
      '*100#': { kind: 'silent' },
      '*111*0887#': { kind: 'ended' },
    });
  });

  it('puts the number answer under its default code when only the text changes, with {number} per modem', () => {
    const options = parsed(['--number-answer', 'Номер: {number}']);
    expect(subscriberOptions(options.subscriber, '+79160000001').ussd).toEqual({
      '*111*0887#': { kind: 'text', text: 'Номер: +79160000001' },
    });
    expect(subscriberOptions(options.subscriber, '+79160000002').ussd?.['*111*0887#']).toEqual({
      kind: 'text',
      text: 'Номер: +79160000002',
    });
  });

  it.each([
    [['--balance-ussd', '100'], /--balance-ussd/],
    [['--number-ussd', '*1 1#'], /--number-ussd/],
    [['--balance-answer', ''], /--balance-answer/],
    [['--ussd-delay-ms', '-1'], /--ussd-delay-ms/],
    [['--cnum'], /Unknown option/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseEmulatorArgs(argv)).toThrow(message);
  });

  it('lists every subscriber flag in the help', () => {
    for (const flag of [
      '--no-cnum',
      '--balance-ussd',
      '--balance-answer',
      '--number-ussd',
      '--number-answer',
      '--ussd-delay-ms',
    ]) {
      expect(EMULATOR_USAGE).toContain(flag);
    }
    expect(parseEmulatorArgs(['--help'])).toEqual({ help: true });
  });

  it('gives a modem the parsed answers: AT+CNUM without a number, the balance after the delay', async () => {
    vi.useFakeTimers();
    const options = parsed(['--no-cnum', '--balance-answer', 'Balance 7 rub', '--ussd-delay-ms', '5']);
    const h = createHarness({ subscriber: subscriberOptions(options.subscriber, '+79161234567') });
    expect(h.at('AT+CNUM')).toEqual(['OK']);
    expect(h.at('AT+CUSD=1,"*100#",15')).toEqual(['OK']);
    await vi.advanceTimersByTimeAsync(5);
    const line = h
      .take()
      .split(/\r+\n/)
      .find((l) => l.startsWith('+CUSD:'));
    expect(parseCusd(line ?? '')?.text).toBe('Balance 7 rub');
    h.modem.dispose();
  });

  it('answers the number and the balance on the codes the flags give, and the replaced default codes no more', async () => {
    vi.useFakeTimers();
    const options = parsed(['--number-ussd', '*205#', '--balance-ussd', '*102#', '--ussd-delay-ms', '5']);
    const h = createHarness();
    const phone = h.modem.identity.phoneNumber;
    // As cli.ts does: the modem exists with the defaults first, then takes the flags' answers.
    h.modem.subscriber.configure(subscriberOptions(options.subscriber, phone));
    const ask = async (code: string) => {
      expect(h.at(`AT+CUSD=1,"${code}",15`)).toEqual(['OK']);
      await vi.advanceTimersByTimeAsync(5);
      const line = h
        .take()
        .split(/\r+\n/)
        .find((l) => l.startsWith('+CUSD:'));
      return parseCusd(line ?? '');
    };
    expect(await ask('*205#')).toMatchObject({ status: 'done', text: `Ваш номер ${phone}` });
    expect(await ask('*111*0887#')).toMatchObject({ status: 'not-supported', text: null });
    expect(await ask('*102#')).toMatchObject({ status: 'done', text: 'Balance: 100.00 rub' });
    expect(await ask('*100#')).toMatchObject({ status: 'not-supported', text: null });
    h.modem.dispose();
  });

  it('keeps a default code answering when the flag names that same code', () => {
    const options = parsed(['--number-ussd', '*111*0887#', '--number-answer', 'N {number}']);
    expect(subscriberOptions(options.subscriber, '+79160000001').ussd).toEqual({
      '*111*0887#': { kind: 'text', text: 'N +79160000001' },
    });
  });

  it('exits with the usage code on a bad subscriber flag, naming it', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await runEmulatorCommand(['--balance-ussd', 'abc'], {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
      env: {},
    });
    expect(code).toBe(2);
    expect(err).toContain('--balance-ussd');
  });
});
