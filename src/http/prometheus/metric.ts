/**
 * A small Prometheus text-format (0.0.4) writer: counters, gauges and histograms with labels,
 * each optionally filled on scrape by a `collect` callback. It replaces a general client library
 * whose size on a Raspberry Pi was not worth the few metric kinds the bridge uses.
 */

export type LabelValues<L extends string> = Partial<Record<L, string | number>>;

export interface MetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** Registries the metric is added to. */
  registers?: ReadonlyArray<{ register(metric: Metric): void }>;
  /** Called on every scrape, before any metric is written; may be async. */
  collect?: () => void | Promise<void>;
}

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** What a registry needs of a metric. */
export interface Metric {
  readonly name: string;
  readonly type: MetricType;
  collect(): void | Promise<void>;
  /** The metric's lines, HELP and TYPE first, no trailing newline. */
  render(): string;
}

/** `NaN`, `+Inf`, `-Inf` as the text format spells them. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** `{a="1",b="x"}`, or '' without labels. */
export function formatLabels(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Series storage shared by the three kinds: one entry per distinct label set. */
export abstract class LabelledMetric<L extends string, S> implements Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  abstract readonly type: MetricType;
  readonly #collect: (() => void | Promise<void>) | undefined;
  protected readonly series = new Map<string, { labels: Array<[string, string]>; state: S }>();

  constructor(config: MetricConfig<L>) {
    if (!METRIC_NAME.test(config.name)) throw new Error(`invalid metric name "${config.name}"`);
    for (const label of config.labelNames ?? []) {
      if (!LABEL_NAME.test(label)) throw new Error(`invalid label name "${label}"`);
    }
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames ?? [];
    this.#collect = config.collect;
    for (const registry of config.registers ?? []) registry.register(this);
  }

  collect(): void | Promise<void> {
    return this.#collect?.();
  }

  /** Forgets every series (a gauge refilled on scrape drops the ports that went away). */
  reset(): void {
    this.series.clear();
  }

  protected abstract initial(): S;

  protected stateFor(labels: LabelValues<L> | undefined): S {
    const pairs: Array<[string, string]> = [];
    for (const [key, value] of Object.entries(labels ?? {}) as Array<[L, string | number | undefined]>) {
      if (value === undefined) continue;
      if (!this.labelNames.includes(key)) throw new Error(`${this.name}: unknown label "${key}"`);
    }
    for (const name of this.labelNames) {
      const value = labels?.[name];
      if (value !== undefined) pairs.push([name, String(value)]);
    }
    const key = JSON.stringify(pairs);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: pairs, state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  protected header(): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}`;
  }

  abstract render(): string;
}

/** Counters and gauges: one number per series. */
abstract class ScalarMetric<L extends string> extends LabelledMetric<L, { value: number }> {
  protected initial(): { value: number } {
    return { value: 0 };
  }

  /** Reads the value of one series (tests and derived series). */
  get(labels?: LabelValues<L>): number {
    return this.stateFor(labels).value;
  }

  render(): string {
    const lines = [this.header()];
    // An unlabelled metric always has its one series, 0 until first touched.
    if (this.labelNames.length === 0 && this.series.size === 0) this.stateFor(undefined);
    for (const { labels, state } of this.series.values()) {
      lines.push(`${this.name}${formatLabels(labels)} ${formatValue(state.value)}`);
    }
    return lines.join('\n');
  }
}

function split<L extends string>(
  labelsOrValue: LabelValues<L> | number | undefined,
  value: number | undefined,
): [LabelValues<L> | undefined, number | undefined] {
  return typeof labelsOrValue === 'number' ? [undefined, labelsOrValue] : [labelsOrValue, value];
}

export class Counter<L extends string = string> extends ScalarMetric<L> {
  readonly type = 'counter' as const;

  inc(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    const [labels, by = 1] = split(labelsOrValue, value);
    if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up (got ${by})`);
    this.stateFor(labels).value += by;
  }
}

export class Gauge<L extends string = string> extends ScalarMetric<L> {
  readonly type: 'gauge' | 'counter' = 'gauge';

  set(labelsOrValue: LabelValues<L> | number, value?: number): void {
    const [labels, to] = split(labelsOrValue, value);
    this.stateFor(labels).value = to ?? 0;
  }

  inc(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    const [labels, by = 1] = split(labelsOrValue, value);
    this.stateFor(labels).value += by;
  }
}

/**
 * A counter whose total is read from elsewhere on scrape (CPU seconds from the OS): typed
 * `counter`, set rather than incremented.
 */
export class ObservedCounter<L extends string = string> extends Gauge<L> {
  override readonly type = 'counter' as const;
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram<L extends string = string> extends LabelledMetric<L, HistogramState> {
  readonly type = 'histogram' as const;
  readonly buckets: readonly number[];

  constructor(config: MetricConfig<L> & { buckets: readonly number[] }) {
    super(config);
    this.buckets = [...new Set(config.buckets)].sort((a, b) => a - b);
  }

  protected initial(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(labelsOrValue: LabelValues<L> | number, value?: number): void {
    const [labels, observed] = split(labelsOrValue, value);
    if (observed === undefined || !Number.isFinite(observed)) return;
    const state = this.stateFor(labels);
    for (let i = 0; i < this.buckets.length; i++) {
      if (observed <= (this.buckets[i] as number)) (state.counts[i] as number)++;
    }
    state.sum += observed;
    state.count += 1;
  }

  render(): string {
    const lines = [this.header()];
    if (this.labelNames.length === 0 && this.series.size === 0) this.stateFor(undefined);
    for (const { labels, state } of this.series.values()) {
      this.buckets.forEach((bound, i) => {
        const with_ = formatLabels([...labels, ['le', formatValue(bound)]]);
        lines.push(`${this.name}_bucket${with_} ${state.counts[i]}`);
      });
      lines.push(`${this.name}_bucket${formatLabels([...labels, ['le', '+Inf']])} ${state.count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${formatValue(state.sum)}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${state.count}`);
    }
    return lines.join('\n');
  }
}
