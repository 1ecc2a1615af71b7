// Preloaded (`node --import`) into the `MeterProvider` variant of bench/metrics.mjs: the real
// metrics SDK as the global meter provider, with a reader that is only collected at exit (no
// exporter: the figures measure recording and aggregation, not an export). The count of
// http.server.request.duration measurements, printed at exit as `METRICS {"recorded":N}`, shows
// the helpers really recorded one per request.
import { metrics } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

class AtExitReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const reader = new AtExitReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
process.once('beforeExit', async () => {
  const { resourceMetrics } = await reader.collect();
  let recorded = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== 'http.server.request.duration' || metric.dataPointType !== DataPointType.HISTOGRAM) continue;
      for (const point of metric.dataPoints) recorded += point.value.count;
    }
  }
  console.error(`METRICS ${JSON.stringify({ recorded })}`);
});
