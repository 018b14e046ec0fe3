export { Counter, Gauge, Histogram, type LabelValues, type Metric, ObservedCounter } from './metric.js';
export { registerProcessMetrics } from './process-metrics.js';
export { PROMETHEUS_CONTENT_TYPE, Registry } from './registry.js';
