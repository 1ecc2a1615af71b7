// Runtime benchmark (on demand: `npm run bench:runtime`): autocannon against Express and Fastify
// apps (bench/runtime/apps/*), each scenario run several ways with the same SDK
// (bench/support/sdk.mjs, a span processor that counts spans and drops them):
//   uninstrumented  the app as written (the SDK loaded, nothing instrumented);
//   floor           the app as written with AsyncLocalStorage context propagation switched on
//                   and no span: what any instrumentation that makes its span active pays;
//   span floor      the app as written under bench/runtime/span-floor.mjs: extract, one SERVER
//                   span with the same attributes, the request handled inside it, end. The least
//                   any instrumentation must pay; what otel-instrument adds above it is its own;
//   otel-instrument the app rewritten by the built CLI, in a copy;
//   auto            the app as written under @opentelemetry/auto-instrumentations-node
//                   (http + express; Fastify: http + @fastify/otel);
//   before capture  the app rewritten by the CLI of BENCH_BEFORE (a commit; default 59102a1, the
//                   last one before header capture): with capture unset, otel-instrument must
//                   match it (issue 11's zero-cost claim); BENCH_BEFORE=none skips it;
//   capture         otel-instrument with three request headers captured
//                   (OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS); the plain
//                   otel-instrument variant has nothing configured, its zero-cost case.
// Scenarios: `express` and `fastify` (one bare route; all variants), `express-stack` (Express 5,
// express.json(), helmet-, cors-like, logging and auth middlewares, a router at /api/users),
// `express-scaling` (1, 5 and 15 trivial middlewares, uninstrumented and instrumented: the cost
// per wrapped handler), `fastify-stack` (five onRequest/preHandler hooks, an encapsulated plugin
// with a prefix), `koa` (Koa 3, a @koa/router route under a prefix; auto: http + koa) and `nestjs`
// (NestJS 12 on Express, a controller route under the global prefix; auto: http + express +
// nestjs-core). Every run counts the spans its server ended: a variant that should trace and
// made no span per request (or one that should not and did) fails the bench.
// Rounds interleave a scenario's variants, in an order that rotates every round, so drift on a
// shared machine hits them alike; medians of the rounds (of per-round ratios and differences for
// the goals) are reported. Goals (issue 12): Express stack ≥ 0.90× uninstrumented req/s and ≥ 2×
// auto; Fastify stack within 1.5 µs of CPU per request of the span floor.
// Knobs: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, 3), BENCH_ROUNDS (3), BENCH_CONNECTIONS (16),
// BENCH_SCENARIOS (all of the above), BENCH_BEFORE (59102a1).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEarlierCli, CAPTURE_ENV, copyApp, REQUEST_HEADERS } from './support/apps.mjs';
import { build } from './support/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench/.work/runtime');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SELECTED = (process.env.BENCH_SCENARIOS ?? 'express,express-stack,express-scaling,fastify,fastify-stack,koa,nestjs').split(',');
const BEFORE = process.env.BENCH_BEFORE ?? '59102a1';

const SDK = path.join(root, 'bench/support/sdk.mjs');
const AUTO = path.join(root, 'bench/runtime/auto-instrumentation.mjs');
const CONTEXT_ACTIVE = path.join(root, 'bench/runtime/context-active.mjs');
const SPAN_FLOOR = path.join(root, 'bench/runtime/span-floor.mjs');

const EXPRESS = { name: 'express', wrapper: 'instrumentExpress', auto: 'http + express', autoEnv: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express' } };
const FASTIFY = { name: 'fastify', wrapper: 'instrumentFastify', auto: 'http + @fastify/otel', autoEnv: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' } };
const KOA = { name: 'koa', wrapper: 'instrumentKoa', auto: 'http + koa', autoEnv: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,koa' } };
const NESTJS = { name: 'nestjs', wrapper: 'instrumentNest', auto: 'http + express + nestjs-core', autoEnv: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,nestjs-core' } };
const MIDDLEWARE_COUNTS = [1, 5, 15];

/**
 * A variant: which copy of the app (pristine, instrumented, before), the preloads and
 * environment, and how many spans per request it must end (0, 1, or at least 1).
 */
const variant = {
  uninstrumented: (env = {}, label = 'uninstrumented') => ({ label, app: 'pristine', preloads: [SDK], env, spans: 'none' }),
  floor: () => ({ label: 'floor', app: 'pristine', preloads: [SDK, CONTEXT_ACTIVE], env: {}, spans: 'none' }),
  spanFloor: (route) => ({ label: 'span floor', app: 'pristine', preloads: [SDK, SPAN_FLOOR], env: { BENCH_FLOOR_ROUTE: route }, spans: 'one' }),
  ours: (env = {}, label = 'otel-instrument') => ({ label, app: 'instrumented', preloads: [SDK], env, spans: 'one' }),
  capture: () => ({ label: 'capture', app: 'instrumented', preloads: [SDK], env: CAPTURE_ENV, spans: 'one' }),
  before: () => ({ label: 'before capture', app: 'before', preloads: [SDK], env: {}, spans: 'one' }),
  auto: (framework) => ({ label: 'auto', app: 'pristine', preloads: [SDK, AUTO], env: framework.autoEnv, spans: 'some' }),
};

/** Each scenario: an app under bench/runtime/apps, the route it serves, its variants. */
const SCENARIOS = [
  {
    name: 'express', app: 'express', framework: EXPRESS, route: '/api/items/:id', path: '/api/items/42',
    variants: [variant.uninstrumented(), variant.floor(), variant.ours(), variant.capture(), variant.before(), variant.auto(EXPRESS)],
  },
  {
    name: 'express-stack', app: 'express-stack', framework: EXPRESS, route: '/api/users/:id', path: '/api/users/42',
    variants: [variant.uninstrumented(), variant.spanFloor('/api/users/:id'), variant.ours(), variant.auto(EXPRESS)],
  },
  {
    name: 'express-scaling', app: 'express-scaling', framework: EXPRESS, route: '/api/items/:id', path: '/api/items/42',
    variants: MIDDLEWARE_COUNTS.flatMap((n) => [
      variant.uninstrumented({ BENCH_MIDDLEWARES: String(n) }, `uninstrumented, ${n} middleware${n > 1 ? 's' : ''}`),
      variant.ours({ BENCH_MIDDLEWARES: String(n) }, `otel-instrument, ${n} middleware${n > 1 ? 's' : ''}`),
    ]),
  },
  {
    name: 'fastify', app: 'fastify', framework: FASTIFY, route: '/api/items/:id', path: '/api/items/42',
    variants: [variant.uninstrumented(), variant.floor(), variant.ours(), variant.capture(), variant.before(), variant.auto(FASTIFY)],
  },
  {
    name: 'fastify-stack', app: 'fastify-stack', framework: FASTIFY, route: '/api/users/:id', path: '/api/users/42',
    variants: [variant.uninstrumented(), variant.floor(), variant.spanFloor('/api/users/:id'), variant.ours(), variant.auto(FASTIFY)],
  },
  {
    name: 'koa', app: 'koa', framework: KOA, route: '/api/items/:id', path: '/api/items/42',
    variants: [variant.uninstrumented(), variant.floor(), variant.ours(), variant.auto(KOA)],
  },
  {
    name: 'nestjs', app: 'nestjs', framework: NESTJS, route: '/api/items/:id', path: '/api/items/42',
    variants: [variant.uninstrumented(), variant.floor(), variant.ours(), variant.auto(NESTJS)],
  },
].filter((s) => SELECTED.includes(s.name));

/** The app copies the scenario's variants need: pristine, instrumented by the built CLI, by an earlier commit's CLI. */
function prepareApps(scenario, earlierCli) {
  const wanted = new Set(scenario.variants.map((v) => v.app));
  const dirs = {};
  for (const app of wanted) {
    const dir = path.join(work, `${scenario.app}-${app}`);
    const cli = { pristine: undefined, instrumented: path.join(root, 'bin/otel-instrument.js'), before: earlierCli }[app];
    if (app !== 'pristine' && cli === undefined) continue;
    if (copyApp(scenario.app, dir, { cli, wrapper: scenario.framework.wrapper }) || app === 'pristine') dirs[app] = dir;
  }
  return dirs;
}

/** Starts `server.js` in `dir` with the preloads; resolves with its port once it prints READY. */
function startServer(dir, preloads, env = {}) {
  const execArgv = preloads.flatMap((p) => ['--import', p]);
  const child = spawn(process.execPath, [...execArgv, 'server.js'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`server in ${dir} exited with ${code}:\n${out}`));
    const onData = (data) => {
      out += data;
      const match = /^READY (.*)$/m.exec(out);
      if (match) {
        child.stdout.off('data', onData);
        child.off('exit', onExit);
        resolve({ port: JSON.parse(match[1]).port, pid: child.pid, stop: () => stopServer(child).then(() => out) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (data) => (out += data));
    child.once('exit', onExit);
  });
}

/** SIGTERM, which bench/support/sdk.mjs turns into a normal exit that prints the span count. */
function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function load(url, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: REQUEST_HEADERS }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * Fails the run when a variant did not trace as it must: one SERVER span per answered request
 * for otel-instrument and the span floor (give or take the requests autocannon cut off at the
 * end of its two runs, at most one per connection each), at least one for auto-instrumentation,
 * none for the others.
 */
function checkSpans(label, expected, ended, requests) {
  const slack = 2 * CONNECTIONS;
  const ok = { none: ended === 0, one: Math.abs(ended - requests) <= slack, some: ended >= requests - slack }[expected];
  if (!ok) throw new Error(`${label}: ${ended} spans for ${requests} requests, expected ${expected === 'none' ? 'none' : expected === 'one' ? 'one each' : 'at least one each'}: it no longer traces as it should`);
}

/** One run of a variant: start it, check the route answers, warm up, measure, stop, count its spans. */
async function measure(dir, v, pathname) {
  const server = await startServer(dir, v.preloads, v.env);
  let output;
  let sample;
  try {
    const url = `http://127.0.0.1:${server.port}${pathname}`;
    const check = await fetch(url, { headers: REQUEST_HEADERS });
    if (check.status !== 200) throw new Error(`${url} answered ${check.status}`);
    await check.arrayBuffer();
    const warm = await load(url, WARMUP);
    const cpuBefore = cpuSeconds(server.pid);
    const result = await load(url, DURATION);
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    if (result.errors || result.non2xx) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    // Server CPU per request: steadier than req/s on a busy machine, since it ignores waiting.
    sample = { rps: result.requests.average, p99: result.latency.p99, cpuUs: (1e6 * cpu) / result.requests.total, requests: 1 + warm.requests.total + result.requests.total };
  } finally {
    output = await server.stop();
  }
  const spans = /^SPANS (.*)$/m.exec(output);
  if (!spans) throw new Error(`${v.label}: the server printed no span count:\n${output.slice(-2000)}`);
  const { ended, capturing } = JSON.parse(spans[1]);
  checkSpans(v.label, v.spans, ended, sample.requests);
  // The capture variant must have recorded its headers on every span (and no other variant any).
  if ((v.env === CAPTURE_ENV ? ended : 0) !== capturing) throw new Error(`${v.label}: ${capturing} of ${ended} spans carry a captured header`);
  sample.spansPerRequest = ended / sample.requests;
  return sample;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

mkdirSync(work, { recursive: true });
build();
const earlierCli = SCENARIOS.some((s) => s.variants.some((v) => v.app === 'before')) ? buildEarlierCli(BEFORE, work) : undefined;
const results = [];
for (const scenario of SCENARIOS) {
  const dirs = prepareApps(scenario, earlierCli);
  const variants = scenario.variants.filter((v) => dirs[v.app]);
  const samples = Object.fromEntries(variants.map((v) => [v.label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // The order rotates every round, so no variant always runs first (or right after another).
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const v of order) {
      const sample = await measure(dirs[v.app], v, scenario.path);
      samples[v.label].push(sample);
      console.error(`${scenario.name} round ${round + 1}/${ROUNDS} ${v.label}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99} ms, ${sample.cpuUs.toFixed(1)} µs CPU/request, ${sample.spansPerRequest.toFixed(2)} spans/request`);
    }
  }
  results.push({ scenario, samples });
}

/** Medians over the rounds of one figure, of a ratio and of a difference taken within each round. */
const medianOf = (samples, label, key) => (samples[label] ? median(samples[label].map((s) => s[key])) : undefined);
const perRound = (samples, a, b, key, combine) => (samples[a] && samples[b] ? median(samples[a].map((s, i) => combine(s[key], samples[b][i][key]))) : undefined);
const ratio = (samples, a, b) => perRound(samples, a, b, 'rps', (x, y) => x / y);
const cpuOver = (samples, a, b) => perRound(samples, a, b, 'cpuUs', (x, y) => x - y);
const times = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)}×`);
const percent = (x) => (x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const micros = (x) => (x === undefined ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} µs`);
const met = (ok) => (ok === undefined ? '' : ok ? ' (met)' : ' (missed)');
const byName = Object.fromEntries(results.map((r) => [r.scenario.name, r]));

const cores = os.cpus().length;
console.log(`\nRuntime benchmark: ${DURATION} s per run after ${WARMUP} s warm-up, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved rounds, ${process.version}, ${cores} cores (server and autocannon share them)\n`);
console.log('| scenario, route | variant | req/s | p99 latency | server CPU per request | spans per request |');
console.log('|---|---|---|---|---|---|');
for (const { scenario, samples } of results) {
  for (const label of Object.keys(samples)) {
    const name = { auto: `auto-instrumented (${scenario.framework.auto})`, floor: 'floor: context propagation on, no span', 'span floor': 'span floor: extract, one span, end', capture: 'otel-instrument, 3 request headers captured', 'before capture': `otel-instrument at ${BEFORE} (no capture code)` }[label] ?? label;
    console.log(`| ${scenario.name} \`GET ${scenario.route}\` | ${name} | ${Math.round(medianOf(samples, label, 'rps'))} | ${medianOf(samples, label, 'p99')} ms | ${medianOf(samples, label, 'cpuUs').toFixed(1)} µs | ${medianOf(samples, label, 'spansPerRequest').toFixed(2)} |`);
  }
}

console.log('\n| scenario | otel-instrument / uninstrumented req/s | otel-instrument / auto req/s | CPU per request over uninstrumented: span floor | otel-instrument | auto | otel-instrument over span floor |');
console.log('|---|---|---|---|---|---|---|');
for (const { scenario, samples } of results) {
  if (!samples['otel-instrument']) continue;
  const stack = scenario.name === 'express-stack';
  const overFloor = cpuOver(samples, 'otel-instrument', 'span floor');
  const fastifyGoal = scenario.name === 'fastify-stack' && overFloor !== undefined ? overFloor <= 1.5 : undefined;
  const r = ratio(samples, 'otel-instrument', 'uninstrumented');
  const a = ratio(samples, 'otel-instrument', 'auto');
  console.log(`| ${scenario.name} | ${percent(r)}${stack ? ` (goal ≥ 90%)${met(r >= 0.9)}` : ''} | ${times(a)}${stack ? ` (goal ≥ 2×)${met(a >= 2)}` : ''} | ${micros(cpuOver(samples, 'span floor', 'uninstrumented'))} | ${micros(cpuOver(samples, 'otel-instrument', 'uninstrumented'))} | ${micros(cpuOver(samples, 'auto', 'uninstrumented'))} | ${micros(overFloor)}${fastifyGoal !== undefined ? ` (goal ≤ 1.5 µs)${met(fastifyGoal)}` : ''} |`);
}

const scaling = byName['express-scaling'];
if (scaling) {
  const s = scaling.samples;
  const label = (kind, n) => `${kind}, ${n} middleware${n > 1 ? 's' : ''}`;
  // The instrumentation's added CPU per request at each count; its growth per added middleware is what one wrapped handler costs.
  const added = (n) => perRound(s, label('otel-instrument', n), label('uninstrumented', n), 'cpuUs', (x, y) => x - y);
  console.log('\n| middlewares | CPU per request, uninstrumented | otel-instrument | added | cost per wrapped handler (from 1) |');
  console.log('|---|---|---|---|---|');
  for (const n of MIDDLEWARE_COUNTS) {
    const perHandler = n === 1 ? undefined : median(s[label('otel-instrument', n)].map((x, i) => (x.cpuUs - s[label('uninstrumented', n)][i].cpuUs - (s[label('otel-instrument', 1)][i].cpuUs - s[label('uninstrumented', 1)][i].cpuUs)) / (n - 1)));
    console.log(`| ${n} | ${medianOf(s, label('uninstrumented', n), 'cpuUs').toFixed(1)} µs | ${medianOf(s, label('otel-instrument', n), 'cpuUs').toFixed(1)} µs | ${micros(added(n))} | ${perHandler === undefined ? '—' : `${Math.round(1000 * perHandler)} ns`} |`);
  }
}

const captureRows = results.filter((r) => r.samples.capture || r.samples['before capture']);
if (captureRows.length > 0) {
  console.log(`\n| scenario | unset / ${BEFORE} req/s | CPU per request, unset over ${BEFORE} | capture 3 headers / unset req/s | CPU per request, capture over unset |`);
  console.log('|---|---|---|---|---|');
  for (const { scenario, samples } of captureRows) {
    console.log(`| ${scenario.name} | ${percent(ratio(samples, 'otel-instrument', 'before capture'))} | ${micros(cpuOver(samples, 'otel-instrument', 'before capture'))} | ${percent(ratio(samples, 'capture', 'otel-instrument'))} | ${micros(cpuOver(samples, 'capture', 'otel-instrument'))} |`);
  }
}
writeFileSync(path.join(work, 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cores, DURATION, WARMUP, ROUNDS, CONNECTIONS, results: results.map(({ scenario, samples }) => ({ scenario: scenario.name, route: scenario.route, samples })) }, null, 2));
