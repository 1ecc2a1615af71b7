// Preloaded (`node --import`) into every benchmark run, instrumented or not: the real
// OpenTelemetry SDK (AsyncLocalStorage context, W3C propagators, always-on sampling of the
// incoming sampled trace) with a span processor that drops every span, so the figures measure
// the instrumentation and span creation, not an exporter.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

/** Receives every started and ended span and keeps none of them. */
class DropSpanProcessor {
  onStart() {}
  onEnd() {}
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
trace.setGlobalTracerProvider(
  new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'runtime-bench' }),
    spanProcessors: [new DropSpanProcessor()],
  }),
);
