// Messaging benchmark (on demand: `npm run bench:messaging`; needs `bash scripts/brokers.sh start`):
// messages per second through an amqplib publish → consume pair and a kafkajs producer →
// consumer pair (bench/messaging/*-pair.cjs), each run several ways with the same SDK
// (bench/support/sdk.mjs: a span processor that counts spans and drops them):
//   uninstrumented   the workload as written;
//   otel-instrument  the workload rewritten by the built CLI, in a copy;
//   runtime          the workload as written under @opentelemetry/instrumentation-amqplib / -kafkajs;
//   sdk floor        (amqplib) the workload as written with amqplib patched to make two bare spans
//                    per message, no propagation (bench/messaging/sdk-floor.mjs): the least any
//                    instrumentation with a producer and a consumer span can cost with this SDK;
//   sdk floor + traceparent  the same, each message also carrying its span's `traceparent` header:
//                    the least an instrumentation that propagates context can cost (the header
//                    costs amqplib and the broker too);
//   context on       (kafkajs) the workload as written with the SDK's AsyncLocalStorage context
//                    manager switched on once (BENCH_CONTEXT_ON, bench/support/sdk.mjs): what its
//                    async hook costs a promise-heavy client before any span is made.
// Each run is a fresh process: warm-up messages, then the measured ones, from the first publish
// to the last delivery. Rounds interleave the variants (in an order that rotates every round) so
// drift on a shared machine hits them alike; the median of the rounds is reported. Besides the
// client's CPU time per message, the broker's is read from /proc (the pid `scripts/brokers.sh
// status` reports; whole run including warm-up and set-up, and whatever else uses the broker
// meanwhile): on a machine where clients and broker share the cores, throughput follows the sum
// of the two. Target: otel-instrument ≥ 90% of uninstrumented.
// Knobs: BENCH_ROUNDS (7), BENCH_SYSTEMS (amqplib,kafkajs), BENCH_MESSAGES / BENCH_WARMUP_MESSAGES
// (per system defaults below).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './support/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench/.work/messaging');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SELECTED = (process.env.BENCH_SYSTEMS ?? 'amqplib,kafkajs').split(',');

const SDK = path.join(root, 'bench/support/sdk.mjs');
const RUNTIME = path.join(root, 'bench/messaging/runtime-instrumentation.mjs');
const FLOOR = path.join(root, 'bench/messaging/sdk-floor.mjs');

/** One messaging client under test: its workload and what proves the CLI rewrote it. */
const SYSTEMS = [
  { name: 'amqplib', broker: 'rabbitmq', workload: 'amqplib-pair.cjs', messages: 50000, warmup: 5000, rewritten: /instrumentConnection\(/g, runtime: '@opentelemetry/instrumentation-amqplib', floor: true },
  { name: 'kafkajs', broker: 'kafka', workload: 'kafkajs-pair.cjs', messages: 20000, warmup: 3000, rewritten: /otel-instrument\/kafkajs/g, runtime: '@opentelemetry/instrumentation-kafkajs', contextOn: true },
].filter((s) => SELECTED.includes(s.name));

/** The workload copies: pristine (uninstrumented and runtime) and rewritten by the built CLI. */
function prepare(system) {
  const pristine = path.join(work, `${system.name}-pristine`);
  const instrumented = path.join(work, `${system.name}-instrumented`);
  for (const dir of [pristine, instrumented]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(root, 'bench/messaging', system.workload), path.join(dir, system.workload));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `${system.name}-bench`, private: true, type: 'commonjs' }, null, 2));
  }
  const cli = spawnSync(process.execPath, [path.join(root, 'bin/otel-instrument.js'), '.'], { cwd: instrumented, encoding: 'utf8' });
  if (cli.status !== 0) throw new Error(`otel-instrument failed on ${system.name} (${cli.status}):\n${cli.stderr}`);
  const rewrites = readFileSync(path.join(instrumented, system.workload), 'utf8').match(system.rewritten)?.length ?? 0;
  if (rewrites === 0) console.error(`warning: otel-instrument did not rewrite the ${system.name} workload (is its transform registered?)`);
  return { pristine, instrumented, isInstrumented: rewrites > 0 };
}

/** Broker name → pid, from `scripts/brokers.sh status` ("rabbitmq: running on … (pid 123)"). */
function brokerPids() {
  let status = '';
  try {
    status = execFileSync('bash', [path.join(root, 'scripts/brokers.sh'), 'status'], { encoding: 'utf8' });
  } catch (error) {
    status = `${error.stdout ?? ''}`;
  }
  return Object.fromEntries([...status.matchAll(/^(\w+):\s+running.*pid (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (µs, user + system) a process has used so far, or undefined where /proc cannot tell. */
function processCpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** One run in a fresh process: messages/s of the measured phase and spans per message. */
function measure(system, dir, preloads, env) {
  const execArgv = preloads.flatMap((p) => ['--import', p]);
  const brokerPid = BROKER_PIDS[system.broker];
  const brokerBefore = processCpuMicros(brokerPid);
  const total = Number(process.env.BENCH_MESSAGES ?? system.messages);
  const warmup = Number(process.env.BENCH_WARMUP_MESSAGES ?? system.warmup);
  const result = spawnSync(process.execPath, [...execArgv, system.workload], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, BENCH_MESSAGES: String(total), BENCH_WARMUP_MESSAGES: String(warmup), ...env },
  });
  const brokerAfter = processCpuMicros(brokerPid);
  const out = `${result.stdout}${result.stderr}`;
  const run = /^RESULT (.*)$/m.exec(result.stdout);
  const spans = /^SPANS (.*)$/m.exec(result.stderr);
  if (result.status !== 0 || !run || !spans) throw new Error(`${system.name} run in ${dir} failed (${result.status ?? result.signal}):\n${out.slice(-3000)}`);
  const { messages, seconds, cpuMicros } = JSON.parse(run[1]);
  const brokerCpuPerMessage = brokerBefore === undefined || brokerAfter === undefined ? NaN : (brokerAfter - brokerBefore) / (total + warmup);
  return { rate: messages / seconds, cpuPerMessage: cpuMicros / messages, brokerCpuPerMessage, spansPerMessage: JSON.parse(spans[1]).ended / (total + warmup) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

mkdirSync(work, { recursive: true });
build();
const BROKER_PIDS = brokerPids();
const rows = [];
for (const system of SYSTEMS) {
  const copies = prepare(system);
  const variants = [
    { label: 'uninstrumented', dir: copies.pristine, preloads: [SDK], env: {} },
    ...(copies.isInstrumented ? [{ label: 'otel-instrument', dir: copies.instrumented, preloads: [SDK], env: {} }] : []),
    { label: 'runtime', dir: copies.pristine, preloads: [SDK, RUNTIME], env: { BENCH_RUNTIME: system.name } },
    ...(system.contextOn ? [{ label: 'context on', dir: copies.pristine, preloads: [SDK], env: { BENCH_CONTEXT_ON: '1' } }] : []),
    ...(system.floor
      ? [
          { label: 'sdk floor', dir: copies.pristine, preloads: [SDK, FLOOR], env: {} },
          { label: 'sdk floor + traceparent', dir: copies.pristine, preloads: [SDK, FLOOR], env: { BENCH_FLOOR_TRACEPARENT: '1' } },
        ]
      : []),
  ];
  const samples = Object.fromEntries(variants.map((v) => [v.label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // The order rotates every round, so no variant always runs first (or right after another).
    for (const variant of variants.map((_, i) => variants[(i + round) % variants.length])) {
      const sample = measure(system, variant.dir, variant.preloads, variant.env);
      samples[variant.label].push(sample);
      console.error(`${system.name} round ${round + 1}/${ROUNDS} ${variant.label}: ${Math.round(sample.rate)} msg/s, ${sample.cpuPerMessage.toFixed(1)} µs CPU/msg, broker ${sample.brokerCpuPerMessage.toFixed(1)} µs/msg, ${sample.spansPerMessage.toFixed(2)} spans/msg`);
    }
  }
  const rate = Object.fromEntries(Object.entries(samples).map(([label, s]) => [label, median(s.map((x) => x.rate))]));
  const cpu = Object.fromEntries(Object.entries(samples).map(([label, s]) => [label, median(s.map((x) => x.cpuPerMessage))]));
  const broker = Object.fromEntries(Object.entries(samples).map(([label, s]) => [label, median(s.map((x) => x.brokerCpuPerMessage))]));
  const spans = Object.fromEntries(Object.entries(samples).map(([label, s]) => [label, median(s.map((x) => x.spansPerMessage))]));
  rows.push({ system: system.name, runtime: system.runtime, rate, cpu, broker, spans, samples });
}

const cores = os.cpus().length;
console.log(`\nMessaging benchmark: median of ${ROUNDS} rounds, ${process.version}, ${cores} cores (clients and brokers share them), spans counted and dropped`);
console.log('| pair | variant | messages/s | vs uninstrumented (target ≥ 90%) | client CPU per message | broker CPU per message | spans per message |');
console.log('|---|---|---|---|---|---|---|');
for (const { system, runtime, rate, cpu, broker, spans } of rows) {
  for (const label of Object.keys(rate)) {
    const name = label === 'runtime' ? `runtime (${runtime})` : label === 'sdk floor' ? 'sdk floor (2 bare spans, no propagation)' : label === 'sdk floor + traceparent' ? 'sdk floor + traceparent header (no other propagation work)' : label === 'context on' ? 'uninstrumented, context manager on (no spans)' : label;
    const share = label === 'uninstrumented' ? '100%' : `${((100 * rate[label]) / rate.uninstrumented).toFixed(1)}%`;
    console.log(`| ${system} | ${name} | ${Math.round(rate[label])} | ${share} | ${cpu[label].toFixed(1)} µs | ${Number.isNaN(broker[label]) ? 'n/a' : `${broker[label].toFixed(1)} µs`} | ${spans[label].toFixed(2)} |`);
  }
}
writeFileSync(path.join(work, 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cores, ROUNDS, rows }, null, 2));
