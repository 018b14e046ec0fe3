import { statSync } from 'node:fs';
import type { Logger } from '../../log.js';
import type { ByteChannel } from '../../transport/byte-channel.js';
import { type AtProbeTimings, DEFAULT_AT_PROBE_TIMINGS } from './at-probe.js';
import { choosePort, type DeviceChoice, groupPorts, type PortGroupMember } from './choose-port.js';
import { readUsbPortInfo, type UsbPortInfo } from './usb-sysfs.js';

export interface PortFinderOptions {
  /** Where sysfs is mounted; tests and the emulator point it at a fake tree. Default `/sys`. */
  sysfsRoot?: string;
  openChannel(path: string): Promise<ByteChannel>;
  timings?: Partial<AtProbeTimings>;
  /** A device where no tty answered is probed again after this long (it may be booting). Default 10 s. */
  retryNoAnswerMs?: number;
  /**
   * How long the set of ttys of a device must stay the same before it is decided: USB brings
   * the interfaces of a stick up one by one. Default 1 s (in effect, the next rescan).
   */
  settleMs?: number;
  log: Logger;
  now?: () => number;
}

/** Synchronous like the glob (port-glob.ts): an in-memory device node, stat'ed every rescan. */
function statRdev(path: string): number | null {
  try {
    return statSync(path, { throwIfNoEntry: false })?.rdev ?? null;
  } catch {
    return null;
  }
}

export const DEFAULT_PROBE_RETRY_MS = 10_000;
export const DEFAULT_PROBE_SETTLE_MS = 1_000;

interface Decision {
  signature: string;
  choice: DeviceChoice;
  decidedAt: number;
}

/**
 * Keeps, across rescans, which tty of each USB device to drive. A device is decided once its
 * set of ttys has stayed the same for `settleMs` (USB enumeration brings them up one by one),
 * and decided again only when that set changes (hotplug), or, when no tty answered, after
 * `retryNoAnswerMs`. So a port is opened for probing once per plug-in, never on every scan, and
 * a port a running driver holds is never touched.
 */
export class PortFinder {
  readonly #options: PortFinderOptions;
  readonly #timings: AtProbeTimings;
  readonly #now: () => number;
  readonly #info = new Map<string, { rdev: number; usb: UsbPortInfo | null }>();
  readonly #decided = new Map<string, Decision>();
  readonly #pending = new Map<string, { signature: string; since: number }>();

  constructor(options: PortFinderOptions) {
    this.#options = options;
    this.#timings = { ...DEFAULT_AT_PROBE_TIMINGS, ...options.timings };
    this.#now = options.now ?? Date.now;
  }

  /** The latest decision of every device present, by label. */
  choices(): DeviceChoice[] {
    return [...this.#decided.values()].map((d) => d.choice);
  }

  /**
   * The paths to drive among `paths` (the expanded globs). `driven` are paths a live driver
   * holds: their device keeps that port without being probed. `rdevs`, the device numbers the
   * glob already read, saves a second stat of every port.
   */
  async select(
    paths: readonly string[],
    driven: ReadonlySet<string>,
    rdevs?: ReadonlyMap<string, number>,
  ): Promise<string[]> {
    const wanted = new Set(paths);
    for (const path of [...this.#info.keys()]) if (!wanted.has(path)) this.#info.delete(path);
    const members = await Promise.all(paths.map((path) => this.#describe(path, rdevs?.get(path))));
    const groups = groupPorts(members.filter((m): m is PortGroupMember => m !== null));
    const present = new Set(groups.map((g) => g.key));
    for (const key of [...this.#decided.keys()]) if (!present.has(key)) this.#decided.delete(key);
    for (const key of [...this.#pending.keys()]) if (!present.has(key)) this.#pending.delete(key);

    const selected: string[] = [];
    const toDecide: typeof groups = [];
    for (const group of groups) {
      const held = group.members.find((m) => driven.has(m.path));
      if (held) {
        selected.push(held.path);
        continue;
      }
      if (!group.usb) {
        // Not on USB: nothing to choose between, and no reason to wait.
        const [only] = group.members;
        if (only) selected.push(only.path);
        continue;
      }
      const signature = group.members.map((m) => `${m.path}=${m.usb?.devNumber}`).join(' ');
      const previous = this.#decided.get(group.key);
      if (previous?.signature === signature) {
        const retry = previous.choice.chosen === null && this.#now() - previous.decidedAt >= this.#retryMs();
        if (!retry) {
          if (previous.choice.chosen !== null) selected.push(previous.choice.chosen);
          continue;
        }
      } else {
        const pending = this.#pending.get(group.key);
        if (pending?.signature !== signature) {
          this.#pending.set(group.key, { signature, since: this.#now() });
          continue;
        }
        if (this.#now() - pending.since < (this.#options.settleMs ?? DEFAULT_PROBE_SETTLE_MS)) continue;
      }
      toDecide.push(group);
    }
    const decisions = await Promise.all(
      toDecide.map(async (group) => {
        const choice = await choosePort(group, {
          openChannel: this.#options.openChannel,
          timings: this.#timings,
        });
        const signature = group.members.map((m) => `${m.path}=${m.usb?.devNumber}`).join(' ');
        this.#decided.set(group.key, { signature, choice, decidedAt: this.#now() });
        this.#pending.delete(group.key);
        this.#report(choice);
        return choice;
      }),
    );
    for (const choice of decisions) if (choice.chosen !== null) selected.push(choice.chosen);
    return selected.sort();
  }

  #retryMs(): number {
    return this.#options.retryNoAnswerMs ?? DEFAULT_PROBE_RETRY_MS;
  }

  async #describe(path: string, known: number | undefined): Promise<PortGroupMember | null> {
    const rdev = known ?? statRdev(path);
    if (rdev === null) return null; // vanished between the glob and now
    const cached = this.#info.get(path);
    if (cached?.rdev === rdev) return { path, usb: cached.usb };
    const usb = await readUsbPortInfo(path, this.#options.sysfsRoot);
    this.#info.set(path, { rdev, usb });
    return { path, usb };
  }

  #report(choice: DeviceChoice): void {
    const ports = choice.verdicts.map((v) => ({ port: v.path, verdict: v.kind, reason: v.reason }));
    if (choice.chosen === null) {
      this.#options.log.warn(
        { device: choice.label, ports, retryInMs: this.#retryMs() },
        'no tty of this USB device answers AT; probing again later',
      );
      return;
    }
    const reason = choice.verdicts.find((v) => v.kind === 'chosen')?.reason;
    this.#options.log.info({ device: choice.label, port: choice.chosen, reason, ports }, 'AT port chosen');
  }
}
