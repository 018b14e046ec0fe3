import { describe, expect, it } from 'vitest';
import { choosePort, groupPorts, type PortGroupMember } from '../../../src/modem/probe/choose-port.js';
import type { UsbPortInfo } from '../../../src/modem/probe/usb-sysfs.js';
import { atPort, type ScriptedPort, silentPort } from './scripted-port.js';

const TIMINGS = { answerTimeoutMs: 60, attempts: 2 };

function usb(vendorId: string, productId: string, interfaceNumber: number): UsbPortInfo {
  return {
    deviceKey: '/sys/devices/usb1/1-1/1-1.3',
    busPort: '1-1.3',
    vendorId,
    productId,
    serial: 'S1',
    interfaceNumber,
    driver: 'option',
    devNumber: `188:${interfaceNumber}`,
  };
}

function stick(vendorId: string, productId: string, ports: Record<number, ScriptedPort>) {
  const members: PortGroupMember[] = Object.keys(ports).map((n) => ({
    path: `/dev/gsm/probe/x:1.${n}`,
    usb: usb(vendorId, productId, Number(n)),
  }));
  const opened: string[] = [];
  const openChannel = async (path: string) => {
    opened.push(path);
    const port = ports[Number(path.split('.').pop())];
    if (!port) throw new Error(`ENOENT ${path}`);
    return port;
  };
  const [group] = groupPorts(members);
  if (!group) throw new Error('no group');
  return { group, opened, deps: { openChannel, timings: TIMINGS } };
}

const reasonOf = (choice: Awaited<ReturnType<typeof choosePort>>, n: number) =>
  choice.verdicts.find((v) => v.interfaceNumber === n);

describe('choosePort', () => {
  it('asks AT+QURCCFG for the URC port, and keeps the port the Quectel init routes URCs to', async () => {
    const urc = { 'AT+QURCCFG="urcport"': ['+QURCCFG: "urcport","usbmodem"'] };
    const ports = {
      0: silentPort('diag'),
      1: silentPort('gps'),
      2: atPort('at', urc),
      3: atPort('modem', urc),
    };
    const { group, opened, deps } = stick('2c7c', '0125', ports);
    const choice = await choosePort(group, deps);
    expect(choice.chosen).toBe('/dev/gsm/probe/x:1.2');
    expect(reasonOf(choice, 2)?.reason).toBe(
      'AT+QURCCFG="urcport" names usbmodem (if03) now, but the init sends AT+QURCCFG="urcport","usbat": URCs will come to if02',
    );
    expect(reasonOf(choice, 3)).toMatchObject({
      kind: 'spare',
      reason: 'answers AT too, but URCs will go to if02',
    });
    expect(ports[2].written).toEqual(['AT', 'AT+QURCCFG="urcport"']);
    // DIAG and GPS ports of the layout are never opened.
    expect(opened.sort()).toEqual(['/dev/gsm/probe/x:1.2', '/dev/gsm/probe/x:1.3']);
    expect(ports[0].written).toEqual([]);
    expect(ports[1].written).toEqual([]);
    expect(choice.label).toBe('Quectel EC25/EG25/EC21/EG91/EG95/BG96 2c7c:0125 on USB 1-1.3, serial S1');
  });

  it('follows AT+QURCCFG to the port it names when that is where the init routes URCs too', async () => {
    const urc = { 'AT+QURCCFG="urcport"': ['+QURCCFG: "urcport","usbat"'] };
    const { group, deps } = stick('2c7c', '0125', { 2: silentPort('at-booting'), 3: atPort('modem', urc) });
    const choice = await choosePort(group, deps);
    expect(choice.chosen).toBe('/dev/gsm/probe/x:1.2');
    expect(reasonOf(choice, 2)?.reason).toBe(
      'AT+QURCCFG="urcport" names usbat (if02) as the URC port (it did not answer AT yet)',
    );
  });

  it('takes the URC port a secondary port names while the primary is still booting', async () => {
    const ports = {
      0: atPort('mdm', { 'AT^GETPORTMODE': ['^GETPORTMODE: TYPE: WCDMA: huawei,MDM:0,PCUI:2,NDIS:3,'] }),
      1: silentPort('x'),
      2: silentPort('pcui-booting'),
    };
    const { group, deps } = stick('12d1', '1506', ports);
    const choice = await choosePort(group, deps);
    expect(choice.chosen).toBe('/dev/gsm/probe/x:1.2');
    expect(reasonOf(choice, 2)?.reason).toBe(
      'AT^GETPORTMODE names PCUI:2 (if02) as the URC port (it did not answer AT yet)',
    );
    expect(reasonOf(choice, 0)?.kind).toBe('spare');
  });

  it('tells silence from NMEA and from a port that cannot be opened, and chooses nothing', async () => {
    const nmea = silentPort('gps');
    nmea.write = async () => {
      setImmediate(() => nmea.emit('$GPGGA,123519,5545.123,N,03737.456,E,1,08,0.9,145.4,M,14.5,M,,*47\r\n'));
    };
    const { group, deps } = stick('19d2', '0117', { 0: silentPort('a'), 1: nmea });
    const missing = {
      ...group,
      members: [...group.members, { path: '/dev/gsm/probe/x:1.7', usb: usb('19d2', '0117', 7) }],
    };
    const choice = await choosePort(missing, deps);
    expect(choice.chosen).toBeNull();
    expect(choice.probed).toBe(true);
    expect(choice.verdicts.map((v) => [v.interfaceNumber, v.kind, v.reason])).toEqual([
      [0, 'silent', 'no OK to AT within 60 ms: silent'],
      [1, 'silent', 'no OK to AT within 60 ms: streams NMEA sentences (a GPS port)'],
      [7, 'failed', 'could not be opened: ENOENT /dev/gsm/probe/x:1.7'],
    ]);
  });

  it('takes the lone candidate without opening anything, and a second link to one tty counts once', async () => {
    const ports = { 0: silentPort('diag'), 1: silentPort('gps'), 2: atPort('at') };
    const { group, opened, deps } = stick('2c7c', '0125', ports);
    const twin = { path: '/dev/gsm/x:1.2', usb: usb('2c7c', '0125', 2) };
    const choice = await choosePort({ ...group, members: [...group.members, twin] }, deps);
    expect(choice.chosen).toBe('/dev/gsm/probe/x:1.2');
    expect(choice.probed).toBe(false);
    expect(opened).toEqual([]);
    expect(choice.verdicts.find((v) => v.path === '/dev/gsm/x:1.2')).toMatchObject({
      kind: 'duplicate',
      reason: 'the same tty as /dev/gsm/probe/x:1.2',
    });
  });

  it('prefers the layout primary AT port, else the first that answers', async () => {
    const simcom = stick('1e0e', '9001', { 2: atPort('at'), 3: atPort('at2') });
    expect((await choosePort(simcom.group, simcom.deps)).chosen).toBe('/dev/gsm/probe/x:1.2');
    const zte = stick('19d2', '0117', { 0: silentPort('diag'), 1: atPort('at'), 2: atPort('modem') });
    const choice = await choosePort(zte.group, zte.deps);
    expect(choice.chosen).toBe('/dev/gsm/probe/x:1.1');
    expect(reasonOf(choice, 2)?.reason).toBe('answers AT too, but the first AT tty, if01, is used');
  });

  it('uses a tty that is not on USB as configured', async () => {
    const [group] = groupPorts([{ path: '/dev/ttyAMA0', usb: null }]);
    if (!group) throw new Error('no group');
    const choice = await choosePort(group, {
      openChannel: async () => {
        throw new Error('must not open');
      },
      timings: TIMINGS,
    });
    expect(choice.chosen).toBe('/dev/ttyAMA0');
  });
});
