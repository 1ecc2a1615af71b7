// Preloaded into an instrumented app under test (`node --import`): the real OpenTelemetry SDK
// with an in-memory exporter and W3C propagators. The test asks for the finished spans over the
// IPC channel, so nothing in the app under test knows it is being observed.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'app-under-test' }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
trace.setGlobalTracerProvider(provider);

/** A finished span as plain JSON: what tests assert on. */
export function serialise(span) {
  return {
    name: span.name,
    kind: span.kind,
    scope: span.instrumentationScope.name,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: l.attributes })),
    startTime: span.startTime,
    endTime: span.endTime,
  };
}

process.on('message', (message) => {
  if (message?.type === 'spans') {
    process.send?.({ type: 'spans', id: message.id, spans: exporter.getFinishedSpans().map(serialise) });
  } else if (message?.type === 'reset') {
    exporter.reset();
    process.send?.({ type: 'reset', id: message.id });
  }
});
