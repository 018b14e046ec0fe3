import type { Metric } from './metric.js';

/** The exposition format's media type. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The metrics of one bridge. A scrape runs every metric's `collect` first (all at once, in
 * registration order up to their first await), waits for all of them, then writes every metric:
 * a value a collect sets is always in the same scrape, whichever metric it belongs to.
 */
export class Registry {
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  readonly #metrics = new Map<string, Metric>();

  register(metric: Metric): void {
    if (this.#metrics.has(metric.name)) throw new Error(`metric "${metric.name}" is already registered`);
    this.#metrics.set(metric.name, metric);
  }

  getSingleMetric(name: string): Metric | undefined {
    return this.#metrics.get(name);
  }

  async metrics(): Promise<string> {
    const metrics = [...this.#metrics.values()];
    await Promise.all(metrics.map((metric) => Promise.resolve().then(() => metric.collect())));
    return `${metrics.map((metric) => metric.render()).join('\n')}\n`;
  }
}
