'use strict';
// Preloaded into a project under test through NODE_OPTIONS (`--require`), so it reaches the
// process that runs the project whatever starts it (npm, ts-node, tsx, node). CommonJS on
// purpose: `--import` makes Node load the main module through the ESM loader, which breaks
// `ts-node src/index.ts` ("Unknown file extension .ts") where the real start command works.
// The real OpenTelemetry SDK with W3C propagators and the real OTLP/HTTP exporter, sending each
// finished span to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (test/support/otlp-receiver.ts).
const { context, propagation, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || 'project-under-test' }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter())],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
trace.setGlobalTracerProvider(provider);
