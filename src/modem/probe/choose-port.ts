import type { ByteChannel } from '../../transport/byte-channel.js';
import {
  findUsbPortLayout,
  NEVER_OPENED,
  type UsbPortLayout,
  type UsbPortRole,
} from '../profiles/usb-ports.js';
import { type AtProbeOutcome, type AtProbeTimings, askLines, probeAt } from './at-probe.js';
import type { UsbPortInfo } from './usb-sysfs.js';

/**
 * Picks, per USB device, the one tty simbridge drives: ModemManager-style port probing.
 *
 *   ttys of one stick ──▶ drop the ports the layout marks DIAG/GPS/data (never opened)
 *        ──▶ one candidate left: take it ── several: `AT` on each, at once
 *        ──▶ one answers: take it ── several: ask the URC port (Quectel AT+QURCCFG,
 *            Huawei AT^GETPORTMODE), else the layout's primary AT port, else the first
 */

export type PortVerdictKind = 'chosen' | 'skipped' | 'silent' | 'spare' | 'duplicate' | 'failed';

export interface PortVerdict {
  path: string;
  kind: PortVerdictKind;
  /** One sentence for `simbridge modems`, `doctor` and the log. */
  reason: string;
  interfaceNumber: number | null;
}

export interface PortGroupMember {
  path: string;
  usb: UsbPortInfo | null;
}

/** The ttys of one USB device (or one tty that is not on USB). */
export interface PortGroup {
  key: string;
  usb: UsbPortInfo | null;
  members: readonly PortGroupMember[];
}

export interface DeviceChoice {
  key: string;
  /** E.g. `Quectel EC25/... 2c7c:0125 on USB 1-1.3`, or the path of a tty that is not on USB. */
  label: string;
  chosen: string | null;
  verdicts: PortVerdict[];
  /** True when some port was opened to decide. */
  probed: boolean;
}

export interface ChooseDeps {
  openChannel(path: string): Promise<ByteChannel>;
  timings: AtProbeTimings;
}

const ROLE_NAMES: Record<UsbPortRole, string> = {
  at: 'AT',
  'at-secondary': 'secondary AT',
  data: 'PPP data',
  gps: 'GPS/NMEA',
  diag: 'DIAG',
  audio: 'audio',
  unused: 'non-AT',
};

const ifName = (n: number | null) => (n === null ? '' : ` (if${String(n).padStart(2, '0')})`);

/** Groups paths by USB device; ttys that are not on USB stand alone. Order is kept. */
export function groupPorts(members: readonly PortGroupMember[]): PortGroup[] {
  const groups = new Map<string, { key: string; usb: UsbPortInfo | null; members: PortGroupMember[] }>();
  for (const member of members) {
    const key = member.usb ? `usb:${member.usb.deviceKey}` : `tty:${member.path}`;
    const group = groups.get(key) ?? { key, usb: member.usb, members: [] };
    group.members.push(member);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function labelOf(group: PortGroup, layout: UsbPortLayout | null): string {
  const usb = group.usb;
  if (!usb) return group.members[0]?.path ?? group.key;
  const name = layout?.family ?? 'USB device';
  const serial = usb.serial ? `, serial ${usb.serial}` : '';
  return `${name} ${usb.vendorId}:${usb.productId} on USB ${usb.busPort}${serial}`;
}

interface Probed {
  member: PortGroupMember;
  channel: ByteChannel | null;
  outcome: AtProbeOutcome | { answered: false; heard: 'open-failed'; sample: string };
}

async function probeMember(member: PortGroupMember, deps: ChooseDeps): Promise<Probed> {
  let channel: ByteChannel;
  try {
    channel = await deps.openChannel(member.path);
  } catch (err) {
    const message =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return { member, channel: null, outcome: { answered: false, heard: 'open-failed', sample: message } };
  }
  const outcome = await probeAt(channel, deps.timings);
  return { member, channel, outcome };
}

function silentReason(probed: Probed, timings: AtProbeTimings): string {
  const { outcome } = probed;
  if (outcome.answered) return '';
  const within = `no OK to AT within ${timings.answerTimeoutMs} ms`;
  switch (outcome.heard) {
    case 'nothing':
      return `${within}: silent`;
    case 'nmea':
      return `${within}: streams NMEA sentences (a GPS port)`;
    case 'open-failed':
      return `could not be opened: ${outcome.sample}`;
    default:
      return `${within}: heard only "${outcome.sample}"`;
  }
}

/** Decides one group. Opens each candidate at most once and closes every port it opened. */
export async function choosePort(group: PortGroup, deps: ChooseDeps): Promise<DeviceChoice> {
  const layout = group.usb ? findUsbPortLayout(group.usb.vendorId, group.usb.productId) : null;
  const choice: DeviceChoice = {
    key: group.key,
    label: labelOf(group, layout),
    chosen: null,
    verdicts: [],
    probed: false,
  };
  const verdict = (member: PortGroupMember, kind: PortVerdictKind, reason: string) =>
    choice.verdicts.push({
      path: member.path,
      kind,
      reason,
      interfaceNumber: member.usb?.interfaceNumber ?? null,
    });

  if (!group.usb) {
    const [only] = group.members;
    if (only) {
      choice.chosen = only.path;
      verdict(only, 'chosen', 'not a USB tty (nothing in sysfs to group it by): used as configured');
    }
    return choice;
  }

  const candidates: PortGroupMember[] = [];
  const seenTtys = new Map<string, string>();
  for (const member of group.members) {
    const dev = member.usb?.devNumber ?? member.path;
    const first = seenTtys.get(dev);
    if (first !== undefined) {
      verdict(member, 'duplicate', `the same tty as ${first}`);
      continue;
    }
    seenTtys.set(dev, member.path);
    const role = member.usb ? layout?.roles[member.usb.interfaceNumber] : undefined;
    if (role !== undefined && NEVER_OPENED.has(role)) {
      verdict(
        member,
        'skipped',
        `the ${layout?.family} ${ROLE_NAMES[role]} port${ifName(member.usb?.interfaceNumber ?? null)}: never opened`,
      );
      continue;
    }
    candidates.push(member);
  }
  const roleOf = (member: PortGroupMember) =>
    member.usb ? layout?.roles[member.usb.interfaceNumber] : undefined;

  if (candidates.length <= 1) {
    const [only] = candidates;
    if (only) {
      choice.chosen = only.path;
      const n = only.usb?.interfaceNumber ?? null;
      verdict(
        only,
        'chosen',
        roleOf(only) === 'at'
          ? `the ${layout?.family} AT port${ifName(n)}`
          : `the only tty of this device that may speak AT${ifName(n)}`,
      );
    }
    return sortVerdicts(choice);
  }

  choice.probed = true;
  const probed = await Promise.all(candidates.map((member) => probeMember(member, deps)));
  try {
    const picked = await pickAmongAnswering(probed, layout, deps.timings);
    for (const p of probed) {
      if (p === picked?.probed) {
        choice.chosen = p.member.path;
        verdict(p.member, 'chosen', picked.reason);
      } else if (p.outcome.answered) {
        verdict(p.member, 'spare', `answers AT too, but ${picked?.spareReason}`);
      } else {
        verdict(p.member, p.channel ? 'silent' : 'failed', silentReason(p, deps.timings));
      }
    }
  } finally {
    await Promise.all(probed.map((p) => p.channel?.close().catch(() => undefined)));
  }
  return sortVerdicts(choice);
}

async function pickAmongAnswering(
  probed: readonly Probed[],
  layout: UsbPortLayout | null,
  timings: AtProbeTimings,
): Promise<{ probed: Probed; reason: string; spareReason: string } | null> {
  const answering = probed.filter((p) => p.outcome.answered);
  const [first] = answering;
  if (!first) return null;
  const n = (p: Probed) => p.member.usb?.interfaceNumber ?? null;
  const ifLabel = (p: Probed) => `if${String(n(p)).padStart(2, '0')}`;
  // Asked even when one port answers: a modem still booting may answer on its secondary
  // port first, while the port that gets the URCs is the one the query names.
  const query = layout?.urcPortQuery;
  if (query) {
    for (const p of answering) {
      if (!p.channel) continue;
      const lines = await askLines(p.channel, query.command, Math.max(timings.answerTimeoutMs, 1_000));
      const named = lines === null ? null : query.parse(lines);
      const target = named === null ? undefined : probed.find((c) => n(c) === named.interfaceNumber);
      if (named === null || !target) continue;
      const init = layout?.urcPortSetByInit;
      const initTarget = init ? probed.find((c) => n(c) === init.interfaceNumber && c.channel) : undefined;
      if (init && initTarget && initTarget !== target) {
        return {
          probed: initTarget,
          reason: `${query.command} names ${named.said}${ifName(named.interfaceNumber)} now, but the init sends ${init.command}: URCs will come to ${ifLabel(initTarget)}`,
          spareReason: `URCs will go to ${ifLabel(initTarget)}`,
        };
      }
      const late = target.outcome.answered ? '' : ' (it did not answer AT yet)';
      return {
        probed: target,
        reason: `${target.outcome.answered ? 'answers AT; ' : ''}${query.command} names ${named.said}${ifName(named.interfaceNumber)} as the URC port${late}`,
        spareReason: `URCs go to ${ifLabel(target)}`,
      };
    }
  }
  if (answering.length === 1) {
    return { probed: first, reason: `the only tty that answers AT${ifName(n(first))}`, spareReason: '' };
  }
  const primary = answering.find((p) => p.member.usb && layout?.roles[p.member.usb.interfaceNumber] === 'at');
  if (primary) {
    return {
      probed: primary,
      reason: `answers AT; the ${layout?.family} primary AT port${ifName(n(primary))}`,
      spareReason: `the primary AT port is ${ifLabel(primary)}`,
    };
  }
  const lowest = [...answering].sort((a, b) => (n(a) ?? 0) - (n(b) ?? 0))[0] ?? first;
  return {
    probed: lowest,
    reason: `answers AT; the first of ${answering.length} ttys that do${ifName(n(lowest))} (nothing names the URC port)`,
    spareReason: `the first AT tty, ${ifLabel(lowest)}, is used`,
  };
}

function sortVerdicts(choice: DeviceChoice): DeviceChoice {
  choice.verdicts.sort(
    (a, b) => (a.interfaceNumber ?? 0) - (b.interfaceNumber ?? 0) || a.path.localeCompare(b.path),
  );
  return choice;
}
