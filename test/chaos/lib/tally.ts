import type { PushArrival } from '../../bench/lib/bench-rig.js';

/** Lost and duplicated messages: what reached the server answered 200, against what was injected. */
export interface Tally {
  injected: number;
  delivered: number;
  /** Injected, never answered 200. */
  lost: number[];
  /** Extra 200-answered pushes of messages delivered more than once. */
  duplicates: number;
  duplicatedKeys: number[];
  /** 200-answered pushes whose text differs from the text injected (parts lost or misjoined). */
  garbled: { key: number | null; text: string }[];
}

export function tally(
  injectedKeys: readonly number[],
  pushes: readonly PushArrival[],
  textOf?: (key: number) => string | undefined,
): Tally {
  const counts = new Map<number, number>();
  const garbled: Tally['garbled'] = [];
  for (const push of pushes) {
    if (push.status !== 200) continue;
    if (textOf && (push.key === null || textOf(push.key) !== push.text)) {
      garbled.push({ key: push.key, text: push.text });
    }
    if (push.key === null) continue;
    counts.set(push.key, (counts.get(push.key) ?? 0) + 1);
  }
  const lost = injectedKeys.filter((key) => !counts.has(key));
  const duplicatedKeys = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
  const duplicates = [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return {
    injected: injectedKeys.length,
    delivered: injectedKeys.length - lost.length,
    lost,
    duplicates,
    duplicatedKeys,
    garbled,
  };
}
