// Cost per log line of the trace ids (on demand: `npm run bench:logs`; no broker needed): the real
// pino, winston and bunyan writing JSON lines to a stream that drops them, each as created plain
// and as the generated helpers wrap it (templates/runtime/{pino,winston,bunyan}.ts rendered as the
// CLI renders them), inside an active span of the real SDK (ids written) and outside any span (the
// lookup only), against the same logger writing the same three fields by its own means (pino's
// mixin returning constants, winston's defaultMeta, bunyan's fields): what any way of putting ids
// in lines costs the logger itself. The real SDK is preloaded as in the other runtime benchmarks.
// Rounds interleave the variants; each figure is the best round's CPU time per line (user + system:
// steadier than wall time on a shared machine; the best round is the least disturbed one).
// Knobs: BENCH_LINES (50000), BENCH_ROUNDS (9), BENCH_PROFILE (otel; also ecs, datadog).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, root } from './support/build.mjs';

const work = path.join(root, 'bench/.work/logs');
const SDK = path.join(root, 'bench/support/sdk.mjs');

if (process.argv[2] !== 'measure') {
  build();
  const { helperClosure, renderHelper } = await import(pathToFileURL(path.join(root, 'dist/src/codemod/helper-modules.js')).href);
  mkdirSync(work, { recursive: true });
  for (const helper of helperClosure(['pino', 'winston', 'bunyan'])) writeFileSync(path.join(work, `${helper}.mjs`), renderHelper(helper, { language: 'js', moduleSystem: 'esm' }));
  const env = { ...process.env, OTEL_INSTRUMENT_LOG_FIELDS: process.env.BENCH_PROFILE ?? 'otel' };
  // gc() before each measurement: garbage a variant leaves is not charged to the next one.
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', SDK, fileURLToPath(import.meta.url), 'measure'], { cwd: work, encoding: 'utf8', env, stdio: ['ignore', 'inherit', 'inherit'] });
  process.exit(run.status ?? 1);
}

const require = createRequire(path.join(root, 'package.json'));
const { trace } = await import('@opentelemetry/api');
const { Writable } = await import('node:stream');
const pino = require('pino');
const winston = require('winston');
const bunyan = require('bunyan');
const { tracePino } = await import(pathToFileURL(path.join(work, 'pino.mjs')).href);
const { traceWinston } = await import(pathToFileURL(path.join(work, 'winston.mjs')).href);
const { traceBunyan } = await import(pathToFileURL(path.join(work, 'bunyan.mjs')).href);

const LINES = Number(process.env.BENCH_LINES ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

/** A destination that drops what it is given, synchronously (no I/O in the figures). */
const nowhere = () => new Writable({ write: (_chunk, _encoding, done) => done(), objectMode: false });
let written = 0;
const pinoSink = { write: () => void written++ };

/** The fields as the otel profile writes them, as constants. */
const FIELDS = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', trace_flags: '01' };
const winstonLogger = (options = {}) => winston.createLogger({ ...options, transports: [new winston.transports.Stream({ stream: nowhere() })] });

const loggers = {
  pino: {
    plain: pino({ base: undefined }, pinoSink),
    // Assigned one by one: `({ ...FIELDS })` costs pino's line 2 µs more by itself.
    fields: pino({ base: undefined, mixin: () => {
      const fields = {};
      fields.trace_id = FIELDS.trace_id;
      fields.span_id = FIELDS.span_id;
      fields.trace_flags = FIELDS.trace_flags;
      return fields;
    } }, pinoSink),
    traced: tracePino(pino)({ base: undefined }, pinoSink),
  },
  winston: { plain: winstonLogger(), fields: winstonLogger({ defaultMeta: FIELDS }), traced: traceWinston(winstonLogger()) },
  bunyan: {
    plain: bunyan.createLogger({ name: 'bench', streams: [{ stream: pinoSink }] }),
    fields: bunyan.createLogger({ name: 'bench', ...FIELDS, streams: [{ stream: pinoSink }] }),
    traced: traceBunyan(bunyan.createLogger({ name: 'bench', streams: [{ stream: pinoSink }] })),
  },
};

/** A pause that lets the streams drain (winston buffers what a synchronous burst writes). */
const drain = () => new Promise((resolve) => setImmediate(resolve));

/** CPU ns per line for `LINES` lines of one logger, written in bursts of 500, drained after each. */
async function measure(logger) {
  globalThis.gc();
  const start = process.cpuUsage();
  for (let i = 0; i < LINES; i++) {
    logger.info({ orderId: i }, 'order placed');
    if (i % 500 === 499) await drain();
  }
  await drain();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / LINES;
}

const tracer = trace.getTracer('bench');
const inSpan = (fn) => tracer.startActiveSpan('request', async (span) => {
  try {
    return await fn();
  } finally {
    span.end();
  }
});

// The traced variants really write the ids (a variant that stopped would look free).
const ID_FIELD = { otel: '"trace_id"', ecs: '"trace.id"', datadog: '"dd.trace_id"' }[process.env.OTEL_INSTRUMENT_LOG_FIELDS];
let last = '';
const capture = { write: (line) => void (last = String(line)) };
const probes = {
  pino: tracePino(pino)({}, capture),
  winston: traceWinston(winston.createLogger({ transports: [new winston.transports.Stream({ stream: new Writable({ write: (chunk, _e, done) => (capture.write(chunk), done()) }) })] })),
  bunyan: traceBunyan(bunyan.createLogger({ name: 'probe', streams: [{ stream: capture }] })),
};
for (const [name, probe] of Object.entries(probes)) {
  await inSpan(async () => {
    probe.info('probe');
    await drain();
  });
  if (!last.includes(ID_FIELD)) throw new Error(`${name}: no ${ID_FIELD} in ${last}`);
}

const samples = {};
const sample = (key, value) => (samples[key] ??= []).push(value);
for (const logger of Object.values(loggers)) for (const variant of Object.values(logger)) await measure(variant); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, { plain, fields, traced }] of Object.entries(loggers)) {
    sample(`${name} plain, in a span`, await inSpan(() => measure(plain)));
    sample(`${name} fields, in a span`, await inSpan(() => measure(fields)));
    sample(`${name} traced, in a span`, await inSpan(() => measure(traced)));
    sample(`${name} plain, no span`, await measure(plain));
    sample(`${name} traced, no span`, await measure(traced));
  }
}
const ns = (key) => Math.min(...samples[key]);

const { loadavg } = await import('node:os');
console.log(`log lines: ${LINES} per round, ${ROUNDS} rounds, profile ${process.env.OTEL_INSTRUMENT_LOG_FIELDS}, node ${process.version}, load average ${loadavg()[0].toFixed(1)}`);
console.log('CPU ns per line (best of the rounds)');
console.log('logger  | plain | same fields, constant | traced | added, in a span | of which the helper | added, no span');
for (const name of Object.keys(loggers)) {
  const added = ns(`${name} traced, in a span`) - ns(`${name} plain, in a span`);
  const helper = ns(`${name} traced, in a span`) - ns(`${name} fields, in a span`);
  const row = [
    name.padEnd(7),
    ns(`${name} plain, in a span`).toFixed(0).padStart(5),
    ns(`${name} fields, in a span`).toFixed(0).padStart(21),
    ns(`${name} traced, in a span`).toFixed(0).padStart(6),
    added.toFixed(0).padStart(16),
    helper.toFixed(0).padStart(19),
    (ns(`${name} traced, no span`) - ns(`${name} plain, no span`)).toFixed(0).padStart(14),
  ];
  console.log(row.join(' | '));
}
// The lines really reached the destinations (pino and bunyan write to the counting sink).
if (written < LINES * ROUNDS * 2 * 5) throw new Error(`only ${written} lines written`);
