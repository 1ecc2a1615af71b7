// kafkajs helper cost per message (on demand: `node bench/kafkajs-helper.mjs`; no broker needed):
// the generated helper (templates/runtime/kafkajs.ts, rendered as the CLI renders it) around a
// stand-in producer whose `send` resolves at once and a stand-in consumer whose `run` hands us
// `eachMessage`, against the floor of two bare SDK spans (one PRODUCER, one CONSUMER made active)
// with no propagation and no attributes worth the name. The real SDK is preloaded as in
// bench/messaging (AsyncLocalStorage, W3C propagators, spans counted and dropped). The gap
// between "traced" and "floor" is what injecting, extracting and computing real attributes
// costs; the broker round trips the end-to-end benchmark (bench/messaging.mjs) adds are not here.
// Knobs: BENCH_OPS (200000), BENCH_ROUNDS (5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench/.work/kafkajs-helper');
const SDK = path.join(root, 'bench/support/sdk.mjs');

if (process.argv[2] !== 'measure') {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) console.error(`warning: build failed, using the existing dist/:\n${build.stdout.slice(0, 2000)}`);
  const { helperClosure, renderHelper } = await import(pathToFileURL(path.join(root, 'dist/src/codemod/helper-modules.js')).href);
  mkdirSync(work, { recursive: true });
  for (const helper of helperClosure(['kafkajs'])) writeFileSync(path.join(work, `${helper}.mjs`), renderHelper(helper, { language: 'js', moduleSystem: 'esm' }));
  const run = spawnSync(process.execPath, ['--import', SDK, fileURLToPath(import.meta.url), 'measure'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  process.exit(run.status ?? 1);
}

const { context, SpanKind, trace } = await import('@opentelemetry/api');
const { instrumentConsumer, instrumentProducer } = await import(pathToFileURL(path.join(work, 'kafkajs.mjs')).href);
const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const payload = Buffer.from(JSON.stringify({ orderId: 'o-123456', items: 3, total: 42.5, currency: 'EUR' }));
const record = (i) => ({ topic: 'orders', messages: [{ key: `order-${i % 100}`, value: payload, headers: { 'x-tenant': 'acme' } }] });
const metadata = [{ topicName: 'orders', partition: 0, baseOffset: '42' }];

const standIn = () => ({ send: async () => metadata });
const plain = standIn();
const traced = instrumentProducer(standIn(), { clientId: 'bench' });

// A message as the consumer receives it: the headers the traced producer wrote, as Buffers.
let written;
await instrumentProducer({ send: async (r) => ((written = r.messages[0]), metadata) }).send(record(1));
const incoming = { ...written, offset: '42', headers: Object.fromEntries(Object.entries(written.headers).map(([k, v]) => [k, Buffer.from(v)])) };
let config;
await instrumentConsumer({ run: async (c) => void (config = c), on() {}, events: { GROUP_JOIN: 'join' } }, { groupId: 'bench' }).run({ eachMessage: async () => {} });
const payloadFor = { topic: 'orders', partition: 0, message: incoming };

const tracer = trace.getTracer('floor');
const FLOOR_ATTRIBUTES = { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' };
const handler = async () => {};
const variants = {
  'send, uninstrumented': (i) => plain.send(record(i)),
  'send, floor (bare PRODUCER span)': (i) => {
    tracer.startSpan('send orders', { kind: SpanKind.PRODUCER, attributes: FLOOR_ATTRIBUTES }).end();
    return plain.send(record(i));
  },
  'send, traced (otel-instrument)': (i) => traced.send(record(i)),
  'process, uninstrumented': () => handler(payloadFor),
  'process, floor (bare CONSUMER span, active)': () => {
    const span = tracer.startSpan('process orders', { kind: SpanKind.CONSUMER, attributes: FLOOR_ATTRIBUTES });
    return context.with(trace.setSpan(context.active(), span), handler, undefined, payloadFor).finally(() => span.end());
  },
  'process, traced (otel-instrument)': () => config.eachMessage(payloadFor),
};

async function perOp(fn) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) await fn(i);
  return Number(process.hrtime.bigint() - started) / OPS / 1000;
}

const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const fn of Object.values(variants)) await perOp(fn); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, fn] of Object.entries(variants)) samples[label].push(await perOp(fn));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`\nkafkajs helper per message: median of ${ROUNDS} rounds of ${OPS} ops, ${process.version}, stand-in clients, real SDK, spans dropped`);
console.log('| operation | µs per message |');
console.log('|---|---|');
for (const [label, values] of Object.entries(samples)) console.log(`| ${label} | ${median(values).toFixed(2)} |`);
