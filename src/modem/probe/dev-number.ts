/**
 * Device numbers of character devices, as `stat().rdev` gives them (glibc's 64-bit `dev_t`
 * encoding) and as sysfs names them (`/sys/dev/char/<major>:<minor>`).
 */
export interface DevNumber {
  major: number;
  minor: number;
}

/** Splits an `rdev` into major and minor (glibc `gnu_dev_major`/`gnu_dev_minor`). */
export function splitDevNumber(rdev: number | bigint): DevNumber {
  const dev = BigInt(rdev);
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/** `188:2`, the name of the device's link under `/sys/dev/char`. */
export function devNumberName(dev: DevNumber): string {
  return `${dev.major}:${dev.minor}`;
}
