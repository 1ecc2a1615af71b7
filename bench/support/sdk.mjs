// Preloaded (`node --import`) into every runtime and messaging benchmark run, instrumented or not: the real
// OpenTelemetry SDK (AsyncLocalStorage context, W3C trace context and baggage propagators,
// always-on sampling) with a span processor that counts spans and keeps none, so the figures
// measure instrumentation and span creation, not an exporter. The count, printed at exit as
// `SPANS {"ended":N,"capturing":M}` (also on SIGTERM), shows that a variant really traced (and, M,
// that a capture variant really recorded its headers).
// BENCH_CONTEXT_ON=1 makes a context active once at start-up, as the first span an instrumentation
// runs code in does: from then on the AsyncLocalStorage context manager's async hook runs for
// every promise and async resource the process creates, traced or not (and V8's fast paths for
// `await` are off). The uninstrumented workload run this way shows what that alone costs.
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

let ended = 0;
let capturing = 0;

/** Receives every started and ended span, counts the ended ones (and those with a captured header) and keeps none. */
class CountAndDropSpanProcessor {
  onStart() {}
  onEnd(span) {
    ended++;
    // A key lookup, not a scan: the capture variants list x-tenant-id.
    if (span.attributes['http.request.header.x-tenant-id'] !== undefined) capturing++;
  }
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
    resource: resourceFromAttributes({ 'service.name': 'otel-instrument-bench' }),
    spanProcessors: [new CountAndDropSpanProcessor()],
  }),
);
if (process.env.BENCH_CONTEXT_ON === '1') context.with(ROOT_CONTEXT, () => undefined);
process.on('exit', () => console.error(`SPANS ${JSON.stringify({ ended, capturing })}`));
// The runtime bench stops its servers with SIGTERM: exit normally so the count is printed.
process.once('SIGTERM', () => process.exit(0));
