import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { devNumberName, splitDevNumber } from './dev-number.js';

/**
 * Where a tty sits on USB, read from sysfs: the tty's device number leads to
 * `<sysfs>/dev/char/<major>:<minor>`, and from there up to the USB interface (it has
 * `bInterfaceNumber`) and the USB device (it has `idVendor`). Several ttys with the same USB
 * device are ports of one modem.
 */
export interface UsbPortInfo {
  /** Real sysfs path of the USB device: the same for every tty of one stick. */
  deviceKey: string;
  /** Kernel name of the USB device, its physical path (`1-1.3`). */
  busPort: string;
  vendorId: string;
  productId: string;
  serial: string | null;
  interfaceNumber: number;
  /** Driver of the interface (`option`, `cdc_acm`, ...), or null. */
  driver: string | null;
  /** `major:minor` of the tty. */
  devNumber: string;
}

async function readAttr(dir: string, name: string): Promise<string | null> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim();
  } catch {
    return null;
  }
}

async function driverOf(dir: string): Promise<string | null> {
  try {
    const target = await realpath(join(dir, 'driver'));
    return target.split('/').pop() ?? null;
  } catch {
    return null;
  }
}

/** Walks up from `start` (inclusive) to the first directory that has the attribute `name`. */
async function ancestorWith(start: string, name: string, stopAt: string): Promise<string | null> {
  let dir = start;
  while (dir.startsWith(stopAt) && dir !== stopAt) {
    if ((await readAttr(dir, name)) !== null) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

/** The USB place of the tty at `path`, or null when it is not a USB tty (or sysfs says nothing). */
export async function readUsbPortInfo(path: string, sysfsRoot = '/sys'): Promise<UsbPortInfo | null> {
  let devNumber: string;
  let ttyDir: string;
  let root: string;
  try {
    const stats = await stat(path);
    if (!stats.isCharacterDevice()) return null;
    devNumber = devNumberName(splitDevNumber(stats.rdev));
    root = await realpath(sysfsRoot);
    ttyDir = await realpath(join(root, 'dev', 'char', devNumber));
  } catch {
    return null;
  }
  const ifaceDir = await ancestorWith(ttyDir, 'bInterfaceNumber', root);
  if (ifaceDir === null) return null;
  const deviceDir = await ancestorWith(dirname(ifaceDir), 'idVendor', root);
  if (deviceDir === null) return null;
  const [ifNumber, vendorId, productId, serial, driver] = await Promise.all([
    readAttr(ifaceDir, 'bInterfaceNumber'),
    readAttr(deviceDir, 'idVendor'),
    readAttr(deviceDir, 'idProduct'),
    readAttr(deviceDir, 'serial'),
    driverOf(ifaceDir),
  ]);
  const interfaceNumber = Number.parseInt(ifNumber ?? '', 16);
  if (!Number.isInteger(interfaceNumber) || vendorId === null || productId === null) return null;
  return {
    deviceKey: deviceDir,
    busPort: deviceDir.split('/').pop() ?? deviceDir,
    vendorId: vendorId.toLowerCase(),
    productId: productId.toLowerCase(),
    serial: serial === '' ? null : serial,
    interfaceNumber,
    driver,
    devNumber,
  };
}
