import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A reader the test pulls from: what the SDK would export, when the test asks. */
class PullReader extends MetricReader {
  constructor() {
    // Delta: each collection holds what was recorded since the last one.
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** One histogram data point as the SDK exports it, with its instrument's name, unit and buckets. */
export interface HistogramPoint {
  name: string;
  unit: string;
  boundaries: number[];
  attributes: Attributes;
  count: number;
  sum: number;
}

/** Every histogram point recorded since the last collection (all scopes). */
export async function collectHistograms(reader: MetricReader): Promise<HistogramPoint[]> {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`metric collection failed: ${errors.map(String).join('; ')}`);
  const points: HistogramPoint[] = [];
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.dataPointType !== DataPointType.HISTOGRAM) continue;
      for (const point of metric.dataPoints) {
        const value = point.value as Histogram;
        points.push({ name: metric.descriptor.name, unit: metric.descriptor.unit, boundaries: value.buckets.boundaries, attributes: point.attributes, count: value.count, sum: value.sum ?? 0 });
      }
    }
  }
  return points;
}

/**
 * The real metrics SDK as the global meter provider for one describe block; `collect()` gives the
 * histogram points recorded since the previous call (reset before each test).
 */
export function inProcessMetrics(): { collect: () => Promise<HistogramPoint[]>; reader: MetricReader } {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  beforeAll(() => {
    metrics.setGlobalMeterProvider(provider);
  });
  beforeEach(async () => {
    await reader.collect();
  });
  afterAll(async () => {
    metrics.disable();
    await provider.shutdown();
  });
  return { collect: () => collectHistograms(reader), reader };
}
