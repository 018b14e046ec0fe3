import type { AuxTtyKind } from './aux-tty.js';
import type { ModemProfileName } from './types.js';

/**
 * How each emulated modem shows up on USB when the farm runs with `usbPorts`: its ids, the
 * driver of its ttys and what each tty does (`modem` is the one the emulated modem speaks AT
 * and sends URCs on). Layouts follow quirks.md: Huawei 3 ttys, Quectel 4, SIMCom SIM7600 5.
 */
export interface EmulatedUsbLayout {
  vendorId: string;
  productId: string;
  driver: string;
  ttys: readonly { number: number; kind: 'modem' | AuxTtyKind }[];
  /** What the secondary AT ports answer (their lines before OK). */
  answers?: Readonly<Record<string, readonly string[]>>;
}

export const EMULATED_USB_LAYOUTS: Readonly<Record<ModemProfileName, EmulatedUsbLayout>> = {
  generic: { vendorId: '1a86', productId: '7523', driver: 'ch341', ttys: [{ number: 0, kind: 'modem' }] },
  'simcom-sim800': {
    vendorId: '10c4',
    productId: 'ea60',
    driver: 'cp210x',
    ttys: [{ number: 0, kind: 'modem' }],
  },
  // E3372h-320: MDM (answers AT, no URCs), a silent port, PCUI (AT and URCs).
  'huawei-e3372': {
    vendorId: '12d1',
    productId: '155e',
    driver: 'option',
    ttys: [
      { number: 0, kind: 'secondary-at' },
      { number: 1, kind: 'silent' },
      { number: 2, kind: 'modem' },
    ],
    answers: { 'AT^GETPORTMODE': ['^GETPORTMODE: TYPE: WCDMA: huawei,MDM:0,PCUI:2,NDIS:3,'] },
  },
  // MF190: DIAG, AT, modem (answers AT too); nothing names the URC port.
  'zte-mf190': {
    vendorId: '19d2',
    productId: '0117',
    driver: 'option',
    ttys: [
      { number: 0, kind: 'silent' },
      { number: 1, kind: 'modem' },
      { number: 2, kind: 'secondary-at' },
    ],
  },
  'simcom-sim7600': {
    vendorId: '1e0e',
    productId: '9001',
    driver: 'option',
    ttys: [
      { number: 0, kind: 'silent' },
      { number: 1, kind: 'nmea' },
      { number: 2, kind: 'modem' },
      { number: 3, kind: 'secondary-at' },
      { number: 4, kind: 'silent' },
    ],
  },
  'quectel-ec25': {
    vendorId: '2c7c',
    productId: '0125',
    driver: 'option',
    ttys: [
      { number: 0, kind: 'silent' },
      { number: 1, kind: 'nmea' },
      { number: 2, kind: 'modem' },
      { number: 3, kind: 'secondary-at' },
    ],
    answers: { 'AT+QURCCFG="URCPORT"': ['+QURCCFG: "urcport","usbat"'] },
  },
};
