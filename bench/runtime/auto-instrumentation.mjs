// Preloaded after sdk.mjs for the "auto-instrumented" runs: what a team gets from
// @opentelemetry/auto-instrumentations-node restricted to HTTP and the framework. Express:
// instrumentation-http + instrumentation-express (both in the metapackage). Fastify: the
// metapackage no longer bundles a Fastify instrumentation; the official replacement is
// @fastify/otel, added here beside instrumentation-http.
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { FastifyOtelInstrumentation } from '@fastify/otel';

// Instrumentations patch their modules as soon as they are constructed (enabled by default).
process.env.OTEL_NODE_ENABLED_INSTRUMENTATIONS ??= 'http,express';
getNodeAutoInstrumentations();
new FastifyOtelInstrumentation({ registerOnInitialization: true });
