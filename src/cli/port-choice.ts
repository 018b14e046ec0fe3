/**
 * The port choice `simbridge modems` and `doctor` show: the same probing the service does at
 * hotplug ({@link choosePort}), run once over the ports present now.
 */
import { type Logger, silentLogger } from '../log.js';
import { type AtProbeTimings, DEFAULT_AT_PROBE_TIMINGS } from '../modem/probe/at-probe.js';
import { choosePort, type DeviceChoice, groupPorts } from '../modem/probe/choose-port.js';
import { readUsbPortInfo } from '../modem/probe/usb-sysfs.js';
import { openSerialChannel, type SerialBinding } from '../transport/serial-channel.js';

export interface PortChoiceOptions {
  baudRate: number;
  /** Where sysfs is mounted (default `/sys`; the emulator's fake tree in tests). */
  sysfsRoot?: string;
  timings?: Partial<AtProbeTimings>;
  binding?: SerialBinding;
  log?: Logger;
}

/** Groups `paths` by USB device and picks each device's AT port, probing where needed. */
export async function choosePortsNow(
  paths: readonly string[],
  options: PortChoiceOptions,
): Promise<DeviceChoice[]> {
  const log = options.log ?? silentLogger();
  const members = await Promise.all(
    paths.map(async (path) => ({ path, usb: await readUsbPortInfo(path, options.sysfsRoot) })),
  );
  const timings = { ...DEFAULT_AT_PROBE_TIMINGS, ...options.timings };
  const openChannel = (path: string) =>
    openSerialChannel({ path, baudRate: options.baudRate, binding: options.binding, log });
  return Promise.all(groupPorts(members).map((group) => choosePort(group, { openChannel, timings })));
}

/** True when the choice was between several ttys of one USB device (worth showing). */
export function isUsbChoice(choice: DeviceChoice): boolean {
  return choice.key.startsWith('usb:');
}

/** Text block: per USB device, each tty with its verdict and why. Empty when there is none. */
export function formatPortChoices(choices: readonly DeviceChoice[]): string {
  const usb = choices.filter(isUsbChoice);
  if (usb.length === 0) return '';
  const blocks = usb.map((choice) => {
    const width = Math.max(...choice.verdicts.map((v) => v.path.length));
    const lines = choice.verdicts.map((v) => `  ${v.path.padEnd(width)}  ${v.kind.padEnd(9)} ${v.reason}`);
    const head =
      choice.chosen === null ? `${choice.label}: no AT port found` : `${choice.label}: ${choice.chosen}`;
    return [head, ...lines].join('\n');
  });
  return `\nAT port of each USB modem:\n${blocks.join('\n')}\n`;
}

/** A busy candidate means another program (usually the running service) holds it. */
export function busyPorts(choice: DeviceChoice): string[] {
  return choice.verdicts
    .filter((v) => v.kind === 'failed' && /lock|busy|EBUSY|EAGAIN|temporarily unavailable/i.test(v.reason))
    .map((v) => v.path);
}
