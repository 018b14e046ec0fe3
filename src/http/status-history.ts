import type { SmsCounts } from '../store/sms-counts.js';
import { MINUTE_MS, MinuteRing, minuteStart } from './minute-ring.js';
import { sparklinePath } from './status-sparkline.js';

/** The box the page draws each sparkline in (SVG user units). */
export const SPARKLINE_WIDTH = 240;
export const SPARKLINE_HEIGHT = 32;

/** `history` of `GET /api/status`: the last hour per minute, and today's SMS per SIM. */
export interface StatusHistoryView {
  minuteMs: number;
  /** Start of the oldest minute shown (ISO 8601); the newest is the current minute. */
  from: string;
  /** SMS stored per minute, oldest first. */
  smsPerMinute: number[];
  /** Mean push latency (receipt to Onlinesim's accept) per minute; null without a delivery. */
  latencyMeanMs: (number | null)[];
  latencyMaxMs: (number | null)[];
  lastHour: { sms: number; delivered: number; latencyMeanMs: number | null };
  /** Sparkline path data (`<path d>`) in a SPARKLINE_WIDTH x SPARKLINE_HEIGHT box. */
  smsPath: string;
  latencyPath: string;
  /** Today, local time of the host: since `dayStart`. */
  today: { dayStart: string; sms: number };
}

export interface StatusHistoryOptions {
  minutes?: number;
  /** Local midnight at or before `nowMs`; default the host's time zone. */
  dayStartOf?: (nowMs: number) => number;
}

/**
 * What the status page shows of the recent past, in memory and small: a 60-minute ring of SMS
 * and push-latency counts, and per SIM the SMS stored today. Fed by the ingest and the push
 * worker; seeded at start from the store (`seed`) so that a restart does not zero the page.
 * Push latencies are not in the store per minute: that part starts empty after a restart.
 */
export class StatusHistory {
  readonly #ring: MinuteRing;
  readonly #dayStartOf: (nowMs: number) => number;
  #dayStartMs = Number.NEGATIVE_INFINITY;
  readonly #today = new Map<string, number>();

  constructor(options: StatusHistoryOptions = {}) {
    this.#ring = new MinuteRing(options.minutes ?? 60);
    this.#dayStartOf = options.dayStartOf ?? localDayStart;
  }

  /** Where `seed` should count from at `nowMs`: local midnight and the oldest minute shown. */
  seedRange(nowMs: number): { dayStartMs: number; hourStartMs: number } {
    return {
      dayStartMs: this.#dayStartOf(nowMs),
      hourStartMs: minuteStart(nowMs) - (this.#ring.minutes - 1) * MINUTE_MS,
    };
  }

  /** Adds what the store holds (read for `seedRange(nowMs)`) to the counts. */
  seed(counts: SmsCounts, nowMs: number): void {
    this.#roll(nowMs);
    for (const [simKey, n] of Object.entries(counts.bySimSinceDayStart)) {
      this.#today.set(simKey, (this.#today.get(simKey) ?? 0) + n);
    }
    for (const [minute, n] of Object.entries(counts.byMinuteSinceHourStart)) {
      this.#ring.addSms(Number(minute), n);
    }
  }

  /** One SMS read from a SIM and stored (a part of a long message counts as one). */
  recordSms(simKey: string, atMs: number): void {
    this.#roll(atMs);
    this.#today.set(simKey, (this.#today.get(simKey) ?? 0) + 1);
    this.#ring.addSms(atMs);
  }

  /** A push Onlinesim accepted, `latencyMs` after the SMS was queued. */
  recordDelivery(latencyMs: number, atMs: number): void {
    this.#ring.addDelivery(atMs, latencyMs);
  }

  /** SMS stored today by the SIM with this store key. */
  smsToday(simKey: string, nowMs: number): number {
    this.#roll(nowMs);
    return this.#today.get(simKey) ?? 0;
  }

  view(nowMs: number): StatusHistoryView {
    this.#roll(nowMs);
    const window = this.#ring.window(nowMs);
    const sms = window.map((b) => b.sms);
    const mean = window.map((b) => (b.delivered > 0 ? Math.round(b.latencySumMs / b.delivered) : null));
    const delivered = window.reduce((sum, b) => sum + b.delivered, 0);
    const latencySum = window.reduce((sum, b) => sum + b.latencySumMs, 0);
    return {
      minuteMs: MINUTE_MS,
      from: new Date(window[0]?.startMs ?? minuteStart(nowMs)).toISOString(),
      smsPerMinute: sms,
      latencyMeanMs: mean,
      latencyMaxMs: window.map((b) => (b.delivered > 0 ? b.latencyMaxMs : null)),
      lastHour: {
        sms: sms.reduce((sum, n) => sum + n, 0),
        delivered,
        latencyMeanMs: delivered > 0 ? Math.round(latencySum / delivered) : null,
      },
      smsPath: sparklinePath(sms, SPARKLINE_WIDTH, SPARKLINE_HEIGHT),
      latencyPath: sparklinePath(mean, SPARKLINE_WIDTH, SPARKLINE_HEIGHT),
      today: {
        dayStart: new Date(this.#dayStartMs).toISOString(),
        sms: [...this.#today.values()].reduce((sum, n) => sum + n, 0),
      },
    };
  }

  /** A new local day starts the per-SIM counts from zero. */
  #roll(nowMs: number): void {
    const dayStart = this.#dayStartOf(nowMs);
    if (dayStart <= this.#dayStartMs) return;
    this.#dayStartMs = dayStart;
    this.#today.clear();
  }
}

/** Midnight of `nowMs`'s day in the host's time zone. */
export function localDayStart(nowMs: number): number {
  const day = new Date(nowMs);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
