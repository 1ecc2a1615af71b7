// Preloaded into a project under test through NODE_OPTIONS (`--import`), so it reaches the
// process that runs the project whatever starts it (npm, ts-node, tsx, node): the real
// OpenTelemetry SDK with W3C propagators and the real OTLP/HTTP exporter, sending each finished
// span to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the test's receiver, test/support/otlp-receiver.ts).
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'project-under-test' }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter())],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
trace.setGlobalTracerProvider(provider);
