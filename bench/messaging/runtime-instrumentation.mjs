// Preloaded after bench/support/sdk.mjs for the runtime-instrumentation runs: the official
// @opentelemetry/instrumentation-amqplib or -kafkajs (BENCH_RUNTIME=amqplib|kafkajs), patching
// the CommonJS workload's require as a team's `--require` set-up would.
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';

const which = process.env.BENCH_RUNTIME;
const instrumentations = { amqplib: () => new AmqplibInstrumentation(), kafkajs: () => new KafkaJsInstrumentation() };
if (!instrumentations[which]) throw new Error(`BENCH_RUNTIME must be one of ${Object.keys(instrumentations).join(', ')}`);
registerInstrumentations({ instrumentations: [instrumentations[which]()] });
