import type { DeviceChoice } from '../../modem/probe/choose-port.js';
import { busyPorts, isUsbChoice } from '../port-choice.js';
import { skipped } from './checks-local.js';
import type { CheckResult, DoctorCheck } from './types.js';

/**
 * Which tty of each USB modem simbridge would drive, and why: the service's own choice (DIAG
 * and GPS ports never opened, the other candidates asked `AT`), made now over the ports present.
 */

const verdictLines = (choice: DeviceChoice) =>
  choice.verdicts.map((v) => `${v.path}: ${v.kind}, ${v.reason}`).join('\n');

export const checkPortChoice: DoctorCheck = async ({ system, config }) => {
  if (config === null) return [skipped('port-choice', 'no usable config')];
  if (!system.choosePorts) return [];
  const ports = await system.expandPorts(config.modems.ports);
  if (ports.length === 0) return [skipped('port-choice', 'no port found')];
  const choices = (await system.choosePorts(ports, config.modems.baudRate)).filter(isUsbChoice);
  if (choices.length === 0) {
    return [
      {
        id: 'port-choice',
        status: 'pass',
        summary: 'no USB modem among the ports: each is used as configured',
      },
    ];
  }
  return choices.map((choice): CheckResult => {
    const busy = busyPorts(choice);
    if (busy.length > 0) {
      return {
        id: 'port-choice',
        status: 'pass',
        summary: `${choice.label}: ${busy.join(', ')} held by another program (normally the running service), not probed`,
        why: `${verdictLines(choice)}\nthe service logs its own choice: journalctl -u simbridge | grep 'AT port chosen'`,
      };
    }
    if (
      choice.chosen === null &&
      choice.verdicts.every((v) => v.kind === 'skipped' || v.kind === 'duplicate')
    ) {
      return {
        id: 'port-choice',
        status: 'warn',
        summary: `${choice.label}: none of its ttys in modems.ports may speak AT`,
        why: `${verdictLines(choice)}\nsimbridge receives nothing from this modem.`,
        fix: 'add its AT tty to modems.ports (the udev rules name it /dev/gsm/<usb-path>, or /dev/gsm/probe/* for Huawei and ZTE)',
      };
    }
    if (choice.chosen === null) {
      return {
        id: 'port-choice',
        status: 'warn',
        summary: `${choice.label}: no tty answers AT`,
        why: `${verdictLines(choice)}\nsimbridge probes it again every few seconds, but receives nothing from it until one answers.`,
        fix: 'wait a minute for the modem to boot and run doctor again; check that it is in modem mode (usb-modeswitch; HiLink firmware has no AT port) and that its AT tty matches modems.ports',
      };
    }
    const reason = choice.verdicts.find((v) => v.kind === 'chosen')?.reason ?? '';
    return {
      id: 'port-choice',
      status: 'pass',
      summary: `${choice.label}: AT port ${choice.chosen} (${reason})`,
      ...(choice.verdicts.length > 1 ? { why: verdictLines(choice) } : {}),
    };
  });
};
