import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Writes a small sysfs-shaped tree describing USB modems and their ttys, laid out as the Linux
 * kernel does (devices/…/usbN/<bus-port>/<bus-port>:1.<if>/ttyUSBn/tty/ttyUSBn, `subsystem` and
 * `driver` links, `uevent` files, `dev/char/<major>:<minor>` links). Port probing reads it to
 * group the ttys of one stick, and the udev rules test bind-mounts it over /sys so `udevadm test`
 * sees a USB tty on a machine that has none. Links are relative, so the tree can be mounted
 * anywhere.
 */

export interface FakeUsbInterface {
  /** bInterfaceNumber, e.g. 2 for `if02`. */
  number: number;
  /** Kernel driver of the interface: `option`, `cdc_acm`, `ch341`, `qmi_wwan`, ... */
  driver: string;
  /** The tty of this interface (`ttyUSB2`, `ttyACM0`), or null for a network interface. */
  tty: string | null;
  /** Device number of the tty: the real one of a pty when the emulator describes itself. */
  devNumber?: { major: number; minor: number };
}

export interface FakeUsbDevice {
  /** Kernel name of the USB device: bus-port path, e.g. `1-1.3`. */
  busPort: string;
  vendorId: string;
  productId: string;
  serial?: string;
  manufacturer?: string;
  product?: string;
  interfaces: readonly FakeUsbInterface[];
}

/** The USB host controller the devices hang off (a Raspberry Pi 3's dwc_otg by default). */
export const FAKE_USB_CONTROLLER = 'platform/soc/3f980000.usb';

/** Path, under the sysfs root, of a USB interface's tty device directory. */
export function fakeTtyDevicePath(device: FakeUsbDevice, iface: FakeUsbInterface): string {
  const ifaceDir = interfaceDir(device, iface);
  const tty = iface.tty ?? '';
  // usb-serial drivers put a port device between the interface and the tty; cdc_acm does not.
  return iface.driver === 'cdc_acm' ? join(ifaceDir, 'tty', tty) : join(ifaceDir, tty, 'tty', tty);
}

function busOf(device: FakeUsbDevice): string {
  return device.busPort.split('-')[0] ?? '1';
}

function deviceDir(device: FakeUsbDevice): string {
  // Every hub on the way (1-1, 1-1.3, ...) is a directory level, as in the kernel.
  const [bus = '1', ports = ''] = device.busPort.split('-');
  const hops = ports.split('.');
  const chain = hops.map((_hop, i) => `${bus}-${hops.slice(0, i + 1).join('.')}`);
  return join('devices', FAKE_USB_CONTROLLER, `usb${busOf(device)}`, ...chain);
}

function interfaceDir(device: FakeUsbDevice, iface: FakeUsbInterface): string {
  return join(deviceDir(device), `${device.busPort}:1.${iface.number}`);
}

function link(root: string, from: string, to: string): void {
  const at = join(root, from);
  mkdirSync(dirname(at), { recursive: true });
  rmSync(at, { force: true });
  symlinkSync(relative(dirname(at), join(root, to)), at);
}

function attrs(root: string, dir: string, values: Record<string, string>): void {
  mkdirSync(join(root, dir), { recursive: true });
  for (const [name, value] of Object.entries(values)) writeFileSync(join(root, dir, name), `${value}\n`);
}

function uevent(root: string, dir: string, values: Record<string, string>): void {
  const text = Object.entries(values)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, 'uevent'), text);
}

/** Writes (or extends) the tree under `root`. Writing the same device again updates it. */
export function writeFakeSysfs(root: string, devices: readonly FakeUsbDevice[]): void {
  for (const bus of ['usb', 'usb-serial', 'platform']) mkdirSync(join(root, 'bus', bus), { recursive: true });
  mkdirSync(join(root, 'class', 'tty'), { recursive: true });
  mkdirSync(join(root, 'dev', 'char'), { recursive: true });
  const controller = join('devices', FAKE_USB_CONTROLLER);
  uevent(root, controller, { OF_NAME: 'usb' });
  link(root, join(controller, 'subsystem'), 'bus/platform');
  for (const device of devices) writeDevice(root, device);
}

function writeDevice(root: string, device: FakeUsbDevice): void {
  const dir = deviceDir(device);
  // The root hub and every hub above the modem are USB devices too.
  let hub = join('devices', FAKE_USB_CONTROLLER, `usb${busOf(device)}`);
  for (const part of relative(hub, dir).split('/')) {
    uevent(root, hub, { DEVTYPE: 'usb_device', DRIVER: 'usb' });
    link(root, join(hub, 'subsystem'), 'bus/usb');
    hub = join(hub, part);
  }
  uevent(root, dir, {
    DEVTYPE: 'usb_device',
    DRIVER: 'usb',
    PRODUCT: `${device.vendorId}/${device.productId}/318`,
  });
  link(root, join(dir, 'subsystem'), 'bus/usb');
  attrs(root, dir, {
    idVendor: device.vendorId,
    idProduct: device.productId,
    bcdDevice: '0318',
    manufacturer: device.manufacturer ?? 'Emulated',
    product: device.product ?? 'GSM modem',
    ...(device.serial ? { serial: device.serial } : {}),
    busnum: busOf(device),
    devpath: device.busPort.split('-')[1] ?? '1',
  });
  for (const iface of device.interfaces) writeInterface(root, device, iface);
}

function writeInterface(root: string, device: FakeUsbDevice, iface: FakeUsbInterface): void {
  const dir = interfaceDir(device, iface);
  const ifClass = iface.driver === 'cdc_acm' ? '02' : 'ff';
  uevent(root, dir, { DEVTYPE: 'usb_interface', DRIVER: iface.driver, INTERFACE: `${ifClass}/ff/ff` });
  link(root, join(dir, 'subsystem'), 'bus/usb');
  link(root, join(dir, 'driver'), `bus/usb/drivers/${iface.driver}`);
  mkdirSync(join(root, 'bus/usb/drivers', iface.driver), { recursive: true });
  attrs(root, dir, {
    bInterfaceNumber: iface.number.toString(16).padStart(2, '0'),
    bInterfaceClass: ifClass,
    bInterfaceSubClass: 'ff',
    bInterfaceProtocol: 'ff',
  });
  if (iface.tty === null) return;
  const ttyDir = fakeTtyDevicePath(device, iface);
  if (iface.driver !== 'cdc_acm') {
    const portDir = dirname(dirname(ttyDir));
    const serialDriver = `${iface.driver}1`;
    uevent(root, portDir, { DRIVER: serialDriver });
    link(root, join(portDir, 'subsystem'), 'bus/usb-serial');
    link(root, join(portDir, 'driver'), `bus/usb-serial/drivers/${serialDriver}`);
    mkdirSync(join(root, 'bus/usb-serial/drivers', serialDriver), { recursive: true });
  }
  const dev = iface.devNumber ?? { major: 188, minor: Number(iface.tty.replace(/\D/g, '') || 0) };
  uevent(root, ttyDir, { MAJOR: String(dev.major), MINOR: String(dev.minor), DEVNAME: iface.tty });
  attrs(root, ttyDir, { dev: `${dev.major}:${dev.minor}` });
  link(root, join(ttyDir, 'subsystem'), 'class/tty');
  link(root, join(ttyDir, 'device'), dirname(dirname(ttyDir)));
  link(root, join('class/tty', iface.tty), ttyDir);
  link(root, join('dev/char', `${dev.major}:${dev.minor}`), ttyDir);
}
