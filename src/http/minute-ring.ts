/** One minute of traffic. */
export interface MinuteBucket {
  /** Epoch ms of the minute's start. */
  startMs: number;
  /** SMS read from the SIMs and stored. */
  sms: number;
  /** Pushes Onlinesim accepted, and the sum and max of their latency (receipt to accept). */
  delivered: number;
  latencySumMs: number;
  latencyMaxMs: number;
}

export const MINUTE_MS = 60_000;

/**
 * The last `minutes` minutes of traffic in a fixed ring of buckets (60 by default: an hour in
 * a few kilobytes, whatever the traffic). A bucket is reused when its minute comes round again,
 * so minutes without traffic read as zero and nothing ever needs pruning.
 */
export class MinuteRing {
  readonly #buckets: MinuteBucket[];

  constructor(readonly minutes = 60) {
    this.#buckets = Array.from({ length: minutes }, () => emptyBucket(Number.NEGATIVE_INFINITY));
  }

  addSms(atMs: number, count = 1): void {
    const bucket = this.#bucketAt(atMs);
    if (bucket) bucket.sms += count;
  }

  addDelivery(atMs: number, latencyMs: number): void {
    const bucket = this.#bucketAt(atMs);
    if (!bucket) return;
    bucket.delivered += 1;
    bucket.latencySumMs += latencyMs;
    bucket.latencyMaxMs = Math.max(bucket.latencyMaxMs, latencyMs);
  }

  /** The last `minutes` minutes up to and including `nowMs`'s, oldest first. */
  window(nowMs: number): MinuteBucket[] {
    const current = minuteStart(nowMs);
    const out: MinuteBucket[] = [];
    for (let i = this.minutes - 1; i >= 0; i--) {
      const startMs = current - i * MINUTE_MS;
      const bucket = this.#buckets[this.#slot(startMs)];
      out.push(bucket && bucket.startMs === startMs ? { ...bucket } : emptyBucket(startMs));
    }
    return out;
  }

  /** The bucket of `atMs`'s minute, recycled if it held an older minute; null when out of the window. */
  #bucketAt(atMs: number): MinuteBucket | null {
    const startMs = minuteStart(atMs);
    const slot = this.#slot(startMs);
    const bucket = this.#buckets[slot];
    if (!bucket || bucket.startMs > startMs) return null;
    if (bucket.startMs === startMs) return bucket;
    const fresh = emptyBucket(startMs);
    this.#buckets[slot] = fresh;
    return fresh;
  }

  #slot(startMs: number): number {
    const index = Math.floor(startMs / MINUTE_MS) % this.minutes;
    return index < 0 ? index + this.minutes : index;
  }
}

export function minuteStart(atMs: number): number {
  return Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
}

function emptyBucket(startMs: number): MinuteBucket {
  return { startMs, sms: 0, delivered: 0, latencySumMs: 0, latencyMaxMs: 0 };
}
