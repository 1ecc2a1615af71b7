// Runtime HTTP instrumentation installed beside the generated code, as a team that already runs
// @opentelemetry/auto-instrumentations-node would have it: the real @opentelemetry/instrumentation-http
// starts a SERVER span for every incoming request. The generated Fastify helper must enrich that
// span instead of starting a second one. Loaded with NODE_OPTIONS=--import by test/e2e/fastify.test.ts.
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';

// Only the http instrumentation; instrumentations enable (patch) themselves when constructed and
// take the global tracer provider the span collector registers.
process.env.OTEL_NODE_ENABLED_INSTRUMENTATIONS ??= 'http';
getNodeAutoInstrumentations();
