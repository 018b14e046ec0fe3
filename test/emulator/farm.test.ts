import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { SerialPort } from 'serialport';
import { expect, it } from 'vitest';
import { liveChildCount } from '../../src/emulator/child-registry.js';
import { runEmulatorCommand } from '../../src/emulator/cli.js';
import { EmulatedFarm } from '../../src/emulator/farm.js';
import { luhnCheckDigit } from '../../src/emulator/identity.js';
import { readUsbPortInfo } from '../../src/modem/probe/usb-sysfs.js';
import { describeWithPty } from '../support/describe-with.js';

function ask(path: string, command: string, until = /(OK|ERROR)\r\n$/): Promise<string> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115_200 }, (err) => {
      if (err) reject(err);
      else port.write(`${command}\r`);
    });
    let text = '';
    port.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (until.test(text)) port.close(() => resolve(text));
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeWithPty('EmulatedFarm', () => {
  it('starts N modems on their own ptys with distinct deterministic identities, and stops cleanly', async () => {
    const farm = new EmulatedFarm({ count: 4, profiles: 'mixed', seed: 7 });
    await farm.start();
    try {
      const info = farm.describe();
      expect(new Set(info.map((m) => m.iccid)).size).toBe(4);
      expect(new Set(farm.paths()).size).toBe(4);
      for (const modem of info) {
        expect(modem.iccid).toMatch(/^89\d{17}$/);
        expect(luhnCheckDigit(modem.iccid.slice(0, -1))).toBe(modem.iccid.slice(-1));
        expect(luhnCheckDigit(modem.imei.slice(0, -1))).toBe(modem.imei.slice(-1));
      }
      expect(info.map((m) => m.profile)).toEqual(['generic', 'huawei-e3372', 'zte-mf190', 'simcom-sim800']);
      const again = new EmulatedFarm({ count: 4, seed: 7 });
      await again.start();
      expect(again.describe().map((m) => m.iccid)).toEqual(info.map((m) => m.iccid));
      await again.stop();
      expect(await ask(farm.paths()[1] as string, 'AT^ICCID?')).toContain(`^ICCID: ${info[1]?.iccid}`);
    } finally {
      const paths = farm.paths();
      await farm.stop();
      expect(paths.some((path) => existsSync(path))).toBe(false);
    }
    expect(liveChildCount()).toBe(0);
  });
});

/**
 * Runs `simbridge emulator <args>` in-process; `output()` is what it printed so far, `printed()`
 * the JSON it prints once its modems are up.
 */
function startEmulatorCommand(args: string[]) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const controller = new AbortController();
  const done = runEmulatorCommand(
    args,
    { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {} },
    { signal: controller.signal },
  );
  const printed = async <T>(): Promise<T> => {
    await waitFor(() => out.includes('"modems"'));
    return JSON.parse(out) as T;
  };
  return { output: () => out, printed, stop: () => controller.abort(), done };
}

describeWithPty('runEmulatorCommand', () => {
  it('prints the modems as JSON, injects on --every-ms and stops on abort', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const controller = new AbortController();
    const done = runEmulatorCommand(
      ['--count', '2', '--every-ms', '20', '--baud', '0'],
      { stdin: new PassThrough(), stdout, stderr, env: {} },
      { signal: controller.signal },
    );
    await waitFor(() => out.includes('"modems"') && err.includes('"injected":1'));
    const printed = JSON.parse(out) as { modems: { path: string; iccid: string }[] };
    expect(printed.modems).toHaveLength(2);
    expect(existsSync(printed.modems[0]?.path as string)).toBe(true);
    expect(err).toContain('"injected":1');
    const listing = await ask(printed.modems[0]?.path as string, 'AT+CMGL=4');
    expect(listing).toMatch(/\+CMGL: 1,0,,\d+/);
    controller.abort();
    expect(await done).toBe(0);
    expect(existsSync(printed.modems[0]?.path as string)).toBe(false);
  });

  it('shows every tty of each USB modem with --usb, described in a fake sysfs', async () => {
    const emulator = startEmulatorCommand(['--usb', '--profile', 'quectel-ec25', '--baud', '0']);
    const printed = await emulator.printed<{ sysfs: string; modems: { path: string; ttys: string[] }[] }>();
    const [modem] = printed.modems;
    expect(modem?.ttys.map((t) => t.slice(-13))).toEqual(
      ['00-if00', '00-if01', '00-if02', '00-if03'].map((t) => `modem-${t}`),
    );
    expect(modem?.path).toBe(modem?.ttys[2]);
    const info = await readUsbPortInfo(modem?.ttys[1] as string, printed.sysfs);
    expect(info).toMatchObject({ vendorId: '2c7c', productId: '0125', interfaceNumber: 1, busPort: '1-1.1' });
    expect(await ask(modem?.path as string, 'AT+CGMI')).toContain('Quectel');
    expect(await ask(modem?.ttys[3] as string, 'AT')).toContain('OK');
    emulator.stop();
    expect(await emulator.done).toBe(0);
  });

  it('gives every modem the subscriber answers of the flags, with its own number', async () => {
    const emulator = startEmulatorCommand([
      '--count',
      '2',
      '--baud',
      '0',
      '--no-cnum',
      '--number-answer',
      'N {number}',
      '--ussd-delay-ms',
      '1',
    ]);
    const printed = await emulator.printed<{ modems: { path: string; phoneNumber: string }[] }>();
    for (const modem of printed.modems) {
      expect(await ask(modem.path, 'AT+CNUM')).not.toContain('+CNUM:');
      const answer = await ask(modem.path, 'AT+CUSD=1,"*111*0887#",15', /\+CUSD: .*\r\n$/);
      expect(answer).toContain(`+CUSD: 0,"N ${modem.phoneNumber}",15`);
    }
    emulator.stop();
    expect(await emulator.done).toBe(0);
  });

  it('answers the number on the --number-ussd code, and the default code with +CUSD: 4', async () => {
    const emulator = startEmulatorCommand([
      '--baud',
      '0',
      '--number-ussd',
      '*205#',
      '--number-answer',
      'N {number}',
      '--ussd-delay-ms',
      '1',
    ]);
    const printed = await emulator.printed<{ modems: { path: string; phoneNumber: string }[] }>();
    const [modem] = printed.modems;
    const path = modem?.path as string;
    const configured = await ask(path, 'AT+CUSD=1,"*205#",15', /\+CUSD: .*\r\n$/);
    expect(configured).toContain(`+CUSD: 0,"N ${modem?.phoneNumber}",15`);
    expect(await ask(path, 'AT+CUSD=1,"*111*0887#",15', /\+CUSD: .*\r\n$/)).toMatch(/\+CUSD: 4\r\n$/);
    emulator.stop();
    expect(await emulator.done).toBe(0);
  });

  it('rejects an unknown profile with the usage exit code', async () => {
    const stderr = new PassThrough();
    const code = await runEmulatorCommand(['--profile', 'nokia'], {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
      env: {},
    });
    expect(code).toBe(2);
  });
});
