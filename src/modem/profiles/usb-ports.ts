import type { ModemVendor } from '../types.js';

/**
 * What each USB interface of a known modem is for, from the vendors' documentation and
 * ModemManager's port-type rules (quirks.md §1-§4, §9). Port probing never opens a tty whose
 * role is in {@link NEVER_OPENED}: a DIAG port takes binary QCDM frames, an NMEA port streams
 * GPS sentences and a PPP data port may be in use by pppd; an `AT` written there helps nobody.
 */
export type UsbPortRole = 'at' | 'at-secondary' | 'data' | 'gps' | 'diag' | 'audio' | 'unused';

export const NEVER_OPENED: ReadonlySet<UsbPortRole> = new Set(['data', 'gps', 'diag', 'audio', 'unused']);

/** A command whose answer names the interface that receives URCs. */
export interface UrcPortQuery {
  command: string;
  /** The interface number the answer names, or null when the lines do not say. */
  parse(lines: readonly string[]): { interfaceNumber: number; said: string } | null;
}

export interface UsbPortLayout {
  vendor: ModemVendor;
  /** Human name for the reasons printed by `simbridge modems` and `doctor`. */
  family: string;
  vendorId: string;
  /** USB product ids in modem mode; empty = every product of the vendor. */
  productIds: readonly string[];
  /** Roles by interface number; interfaces not listed are probed. */
  roles: Readonly<Record<number, UsbPortRole>>;
  urcPortQuery?: UrcPortQuery;
  /**
   * The interface the driver's own init routes URCs to, whatever they go to now (Quectel: its
   * init step sets `"urcport","usbat"`, the if02 port). It wins over what the query names.
   */
  urcPortSetByInit?: { interfaceNumber: number; command: string };
}

/**
 * Quectel `AT+QURCCFG="urcport"` answers `+QURCCFG: "urcport","usbat"`: `usbat` is the USB AT
 * port (if02), `usbmodem` the modem/PPP port (if03). The driver's init sets `usbat`.
 */
const QUECTEL_URC_PORTS: Readonly<Record<string, number>> = { usbat: 2, usbmodem: 3 };

const quectelUrcPort: UrcPortQuery = {
  command: 'AT+QURCCFG="urcport"',
  parse(lines) {
    for (const line of lines) {
      const match = /^\+QURCCFG:\s*"urcport"\s*,\s*"([a-z0-9]+)"/i.exec(line);
      const name = match?.[1]?.toLowerCase();
      const interfaceNumber = name === undefined ? undefined : QUECTEL_URC_PORTS[name];
      if (name !== undefined && interfaceNumber !== undefined) return { interfaceNumber, said: name };
    }
    return null;
  },
};

/**
 * Huawei `AT^GETPORTMODE` lists the interfaces by role (`...,MDM:0,PCUI:2,NDIS:3,`). URCs go to
 * the PCUI port unless `^PORTSEL=1` moved them (ModemManager and the firmware default: 0, PCUI).
 */
const huaweiPcuiPort: UrcPortQuery = {
  command: 'AT^GETPORTMODE',
  parse(lines) {
    for (const line of lines) {
      const match = /\bPCUI:\s*(\d+)/i.exec(line);
      if (match?.[1] !== undefined) return { interfaceNumber: Number(match[1]), said: `PCUI:${match[1]}` };
    }
    return null;
  },
};

export const USB_PORT_LAYOUTS: readonly UsbPortLayout[] = [
  {
    vendor: 'quectel',
    family: 'Quectel EC25/EG25/EC21/EG91/EG95/BG96',
    vendorId: '2c7c',
    productIds: ['0125', '0121', '0191', '0195', '0296', '0306'],
    roles: { 0: 'diag', 1: 'gps', 2: 'at', 3: 'at-secondary', 4: 'unused' },
    urcPortQuery: quectelUrcPort,
    urcPortSetByInit: { interfaceNumber: 2, command: 'AT+QURCCFG="urcport","usbat"' },
  },
  {
    vendor: 'simcom',
    family: 'SIMCom SIM7600/SIM7000/SIM7080',
    vendorId: '1e0e',
    productIds: ['9001', '9205', '9206'],
    roles: { 0: 'diag', 1: 'gps', 2: 'at', 3: 'at-secondary', 4: 'audio' },
  },
  {
    vendor: 'simcom',
    family: 'SIMCom A7600E-H',
    vendorId: '1e0e',
    productIds: ['9011'],
    roles: { 0: 'diag', 1: 'gps', 2: 'unused', 4: 'at' },
  },
  {
    vendor: 'huawei',
    family: 'Huawei',
    vendorId: '12d1',
    productIds: [],
    roles: {},
    urcPortQuery: huaweiPcuiPort,
  },
  { vendor: 'zte', family: 'ZTE', vendorId: '19d2', productIds: [], roles: {} },
];

/** The layout of a USB device, or null when the device is not a known modem. */
export function findUsbPortLayout(vendorId: string, productId: string): UsbPortLayout | null {
  const vendor = vendorId.toLowerCase();
  const product = productId.toLowerCase();
  return (
    USB_PORT_LAYOUTS.find(
      (layout) =>
        layout.vendorId === vendor && (layout.productIds.length === 0 || layout.productIds.includes(product)),
    ) ?? null
  );
}
