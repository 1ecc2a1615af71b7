// Metrics cost (on demand: `npm run bench:metrics`, issue 14): the in-process driver of
// bench/runtime-in-process.mjs (real IncomingMessage/ServerResponse, no sockets, the SDK of
// bench/support/sdk.mjs) on the express-stack app, rewritten by otel-instrument, three ways:
//   before metrics    the helpers of BENCH_BEFORE (a commit; default d50d2b8, the last one before
//                     the metrics helper): spans only;
//   no MeterProvider  today's helpers, nothing registered: one check per request, no timer;
//   MeterProvider     today's helpers under bench/metrics/meter-provider.mjs (the real metrics SDK,
//                     collected at exit): one http.server.request.duration measurement per request.
// Then the hook alone, in one process: `startServerTimer` + `endRequestTimer` as `endServerSpan`
// calls them, 2,000,000 times without and with a MeterProvider (CPU ns per request, median of 3).
// Rounds interleave the variants in a rotating order; medians of per-round differences are
// reported. A variant that traced or measured the wrong number of requests fails the bench.
// Knobs: BENCH_REQUESTS (default 40000), BENCH_WARMUP_REQUESTS (10000), BENCH_ROUNDS (5),
// BENCH_CONCURRENCY (16), BENCH_BEFORE (d50d2b8).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildEarlierCli, copyApp } from './support/apps.mjs';
import { build, root } from './support/build.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40_000);
const WARMUP = Number(process.env.BENCH_WARMUP_REQUESTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BEFORE = process.env.BENCH_BEFORE ?? 'd50d2b8';
const APP = { name: 'express-stack', wrapper: 'instrumentExpress', route: '/api/users/:id', path: '/api/users/42' };
const DRIVER = path.join(root, 'bench/runtime-in-process.mjs');
const SDK = path.join(root, 'bench/support/sdk.mjs');
const METER = path.join(root, 'bench/metrics/meter-provider.mjs');

const VARIANTS = [
  { label: `before metrics (${BEFORE})`, app: 'before', meter: false },
  { label: 'no MeterProvider', app: 'current', meter: false },
  { label: 'MeterProvider', app: 'current', meter: true },
];

/** One run of a variant in a fresh process: CPU per request, its spans and measurements checked. */
function runVariant(dir, v) {
  const preloads = [SDK, ...(v.meter ? [METER] : [])];
  const env = { ...process.env, BENCH_REQUESTS: String(REQUESTS), BENCH_WARMUP_REQUESTS: String(WARMUP) };
  const run = spawnSync(process.execPath, [...preloads.flatMap((p) => ['--import', p]), DRIVER, '--child', dir, APP.path], { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`${v.label} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
  const result = JSON.parse(/^RESULT (.*)$/m.exec(run.stdout)[1]);
  const ended = JSON.parse(/^SPANS (.*)$/m.exec(run.stderr)[1]).ended;
  if (ended !== WARMUP + REQUESTS) throw new Error(`${v.label}: ${ended} spans for ${WARMUP + REQUESTS} requests`);
  if (v.meter) {
    const { recorded } = JSON.parse(/^METRICS (.*)$/m.exec(run.stderr)[1]);
    if (recorded !== WARMUP + REQUESTS) throw new Error(`${v.label}: ${recorded} measurements for ${WARMUP + REQUESTS} requests`);
  }
  return result.cpuUs;
}

/** In a child: the rendered metrics helper's server hook, without then with a MeterProvider. */
async function hookChild(helper) {
  const require = createRequire(helper);
  const { metrics } = require('@opentelemetry/api');
  const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
  const m = require(helper);
  const N = 2_000_000;
  const run = () => {
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const timer = m.startServerTimer('GET', 'http', '1.1');
      if (timer) m.endRequestTimer(m.METRIC_HTTP_SERVER_REQUEST_DURATION, timer, 200, undefined, '/api/users/:id');
    }
    const cpu = process.cpuUsage(before);
    return ((cpu.user + cpu.system) * 1000) / N;
  };
  const middle = () => (run(), [run(), run(), run()].sort((a, b) => a - b)[1]);
  const off = middle();
  class PullReader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new PullReader()] }));
  const on = middle();
  console.log(`RESULT ${JSON.stringify({ off, on })}`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const signed = (x) => `${x >= 0 ? '+' : ''}${(1000 * x).toFixed(0)} ns`;

if (process.argv[2] === '--hook') {
  await hookChild(process.argv[3]);
  process.exit(0);
}

const work = path.join(root, 'bench/.work/metrics');
mkdirSync(work, { recursive: true });
build();
const dirs = { current: path.join(work, 'current'), before: path.join(work, 'before') };
const clis = { current: path.join(root, 'bin/otel-instrument.js'), before: buildEarlierCli(BEFORE, work) };
for (const app of ['current', 'before']) {
  if (!copyApp(APP.name, dirs[app], { cli: clis[app], wrapper: APP.wrapper })) throw new Error(`${APP.name} was not instrumented by ${clis[app]}`);
}
console.log(`Metrics bench in process (${APP.name}, GET ${APP.route}): ${REQUESTS} requests per run after ${WARMUP}, median of ${ROUNDS} interleaved rounds, ${process.version}`);
const samples = Object.fromEntries(VARIANTS.map((v) => [v.label, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const v of VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length])) {
    const cpu = runVariant(dirs[v.app], v);
    samples[v.label].push(cpu);
    console.error(`round ${round + 1}/${ROUNDS} ${v.label}: ${cpu.toFixed(2)} µs CPU/request`);
  }
}
const base = VARIANTS[0].label;
console.log('\n| variant | CPU per request | over before metrics |');
console.log('|---|---|---|');
for (const v of VARIANTS) {
  const over = v.label === base ? '—' : signed(median(samples[v.label].map((s, i) => s - samples[base][i])));
  console.log(`| ${v.label} | ${median(samples[v.label]).toFixed(2)} µs | ${over} |`);
}
const hook = spawnSync(process.execPath, [import.meta.filename, '--hook', path.join(dirs.current, 'otel-instrument/metrics.cjs')], { encoding: 'utf8' });
if (hook.status !== 0) throw new Error(`hook bench failed:\n${hook.stderr}`);
const { off, on } = JSON.parse(/^RESULT (.*)$/m.exec(hook.stdout)[1]);
console.log(`\nThe hook alone (startServerTimer + endRequestTimer): ${off.toFixed(0)} ns per request without a MeterProvider, ${on.toFixed(0)} ns with one.`);
