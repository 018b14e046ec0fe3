import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from '../../src/http/prometheus/index.js';

describe('Prometheus text writer', () => {
  it('writes HELP, TYPE and samples; escapes label values and help; spells NaN and infinities', async () => {
    const registry = new Registry();
    const registers = [registry];
    new Counter({ name: 'a_total', help: 'line one\nback\\slash', registers }).inc(2);
    const gauge = new Gauge<'port'>({ name: 'b', help: 'b', labelNames: ['port'], registers });
    gauge.set({ port: 'quote " back \\ new\nline' }, Number.NaN);
    gauge.set({ port: 'inf' }, Number.POSITIVE_INFINITY);
    const text = await registry.metrics();
    expect(text).toBe(
      [
        '# HELP a_total line one\\nback\\\\slash',
        '# TYPE a_total counter',
        'a_total 2',
        '# HELP b b',
        '# TYPE b gauge',
        'b{port="quote \\" back \\\\ new\\nline"} NaN',
        'b{port="inf"} +Inf',
        '',
      ].join('\n'),
    );
    expect(registry.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('writes cumulative histogram buckets with +Inf, sum and count per label set', async () => {
    const registry = new Registry();
    const h = new Histogram<'kind'>({
      name: 'lat_seconds',
      help: 'latency',
      labelNames: ['kind'],
      buckets: [1, 0.1, 0.5],
      registers: [registry],
    });
    for (const v of [0.05, 0.3, 0.3, 2]) h.observe({ kind: 'x' }, v);
    const lines = (await registry.metrics()).split('\n').filter((l) => l.startsWith('lat_seconds'));
    expect(lines).toEqual([
      'lat_seconds_bucket{kind="x",le="0.1"} 1',
      'lat_seconds_bucket{kind="x",le="0.5"} 3',
      'lat_seconds_bucket{kind="x",le="1"} 3',
      'lat_seconds_bucket{kind="x",le="+Inf"} 4',
      'lat_seconds_sum{kind="x"} 2.65',
      'lat_seconds_count{kind="x"} 4',
    ]);
  });

  it('runs every collect before writing, and refuses what Prometheus would reject', async () => {
    const registry = new Registry();
    let filled = 0;
    const late = new Gauge({ name: 'late', help: 'set by an earlier collect', registers: [registry] });
    new Gauge({
      name: 'early',
      help: 'fills the other',
      registers: [registry],
      collect: async () => {
        await new Promise((r) => setTimeout(r, 5));
        filled += 1;
        late.set(filled);
      },
    });
    expect(await registry.metrics()).toContain('\nlate 1\n');
    const counter = new Counter<'a'>({ name: 'c_total', help: 'c', labelNames: ['a'] });
    expect(() => counter.inc({ a: 'x' }, -1)).toThrow(/only goes up/);
    expect(() => counter.inc({ b: 'x' } as never)).toThrow(/unknown label "b"/);
    expect(() => new Counter({ name: 'bad-name', help: 'x' })).toThrow(/invalid metric name/);
    expect(() => registry.register(late)).toThrow(/already registered/);
  });
});
