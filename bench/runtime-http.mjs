// Runtime benchmark (on demand: `npm run bench:runtime`): autocannon against one Express and one
// Fastify route, each run three ways with the same SDK (bench/support/sdk.mjs, a span processor
// that drops spans):
//   uninstrumented  the app as written;
//   otel-instrument the app rewritten by the built CLI, in a copy;
//   auto            the app as written under @opentelemetry/auto-instrumentations-node
//                   (http + express; Fastify: http + @fastify/otel);
//   floor           the app as written with AsyncLocalStorage context propagation switched on
//                   and no span: what any instrumentation that makes its span active pays;
//   before capture  the app rewritten by the CLI of BENCH_BEFORE (a commit; default 59102a1, the
//                   last one before header capture): with capture unset, otel-instrument must
//                   match it (issue 11's zero-cost claim); BENCH_BEFORE=none skips it;
//   capture         otel-instrument with three request headers captured
//                   (OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS); the plain
//                   otel-instrument variant has nothing configured, its zero-cost case.
// Rounds interleave the variants, in an order that rotates every round, so drift on a shared
// machine hits them alike; the median of the rounds is reported. Targets: otel-instrument ≥ 85% of uninstrumented and ≥ 1.7× auto.
// Knobs: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, 3), BENCH_ROUNDS (3), BENCH_CONNECTIONS (16),
// BENCH_FRAMEWORKS (express,fastify), BENCH_BEFORE (59102a1).
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './support/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench/.work/runtime');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SELECTED = (process.env.BENCH_FRAMEWORKS ?? 'express,fastify').split(',');
const BEFORE = process.env.BENCH_BEFORE ?? '59102a1';

const SDK = path.join(root, 'bench/support/sdk.mjs');
const AUTO = path.join(root, 'bench/runtime/auto-instrumentation.mjs');
const CONTEXT_ACTIVE = path.join(root, 'bench/runtime/context-active.mjs');

/** One framework under test: its app, the route it serves, what auto-instrumentation covers. */
const FRAMEWORKS = [
  { name: 'express', wrapper: 'instrumentExpress', auto: 'http,express', route: 'GET /api/items/:id' },
  { name: 'fastify', wrapper: 'instrumentFastify', auto: 'http (+ @fastify/otel)', route: 'GET /api/items/:id' },
].filter((f) => SELECTED.includes(f.name));

/** Every request carries an incoming sampled trace, as traffic inside a traced system does, and three headers a team may capture. */
const HEADERS = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  'x-tenant-id': 'acme',
  'x-request-id': '5f0c6a1e-8d5b-4c1e-9a51-2f3e4d5c6b7a',
  'x-forwarded-for': '203.0.113.7',
};
const CAPTURE_ENV = { OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS: 'x-tenant-id,x-request-id,x-forwarded-for' };

/** The CLI of an earlier commit, extracted and built beside the work tree (node_modules shared); undefined when none is asked for. */
function buildEarlierCli(commit) {
  if (commit === 'none') return undefined;
  const dir = path.join(work, `cli-${commit}`);
  if (!existsSync(path.join(dir, 'dist/src/cli.js'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('git', ['archive', commit], { cwd: root, maxBuffer: 1 << 28 });
    if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr}`);
    spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`building ${commit} failed:\n${tsc.stdout}`);
  }
  return path.join(dir, 'bin/otel-instrument.js');
}

/** Copies the app into `dir` and, with a CLI, rewrites it there; true when the framework's wrapper was applied. */
function copyApp(framework, dir, cli) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(root, 'bench/runtime/apps', framework.name), dir, { recursive: true });
  if (!cli) return false;
  const run = spawnSync(process.execPath, [cli, '.'], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${cli} failed on ${framework.name} (${run.status}):\n${run.stderr}`);
  const wrapped = readFileSync(path.join(dir, 'server.js'), 'utf8').includes(`${framework.wrapper}(`);
  if (!wrapped) console.error(`warning: ${cli} did not wrap the ${framework.name} app (is its transform registered?)`);
  return wrapped;
}

/** The app copies: pristine (uninstrumented and auto), instrumented by the built CLI, and by an earlier commit's CLI. */
function prepareApps(framework, earlierCli) {
  const pristine = path.join(work, `${framework.name}-pristine`);
  const instrumented = path.join(work, `${framework.name}-instrumented`);
  const before = path.join(work, `${framework.name}-before`);
  copyApp(framework, pristine);
  const isInstrumented = copyApp(framework, instrumented, path.join(root, 'bin/otel-instrument.js'));
  const hasBefore = earlierCli !== undefined && copyApp(framework, before, earlierCli);
  return { pristine, instrumented, isInstrumented, before: hasBefore ? before : undefined };
}

/** Starts `server.js` in `dir` with the preloads; resolves with its port once it prints READY. */
function startServer(dir, preloads, env = {}) {
  const execArgv = preloads.flatMap((p) => ['--import', p]);
  const child = spawn(process.execPath, [...execArgv, 'server.js'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (data) => {
      out += data;
      const match = /^READY (.*)$/m.exec(out);
      if (match) {
        child.stdout.off('data', onData);
        resolve({ port: JSON.parse(match[1]).port, pid: child.pid, stop: () => stopServer(child) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (data) => (out += data));
    child.once('exit', (code) => reject(new Error(`server in ${dir} exited with ${code}:\n${out}`)));
  });
}

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
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: HEADERS }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Requests per second of one variant: warm up, then measure. */
async function measure(dir, preloads, env, pathname) {
  const server = await startServer(dir, preloads, env);
  try {
    const url = `http://127.0.0.1:${server.port}${pathname}`;
    const check = await fetch(url, { headers: HEADERS });
    if (check.status !== 200) throw new Error(`${url} answered ${check.status}`);
    await load(url, WARMUP);
    const cpuBefore = cpuSeconds(server.pid);
    const result = await load(url, DURATION);
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    if (result.errors || result.non2xx) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    // Server CPU per request: steadier than req/s on a busy machine, since it ignores waiting.
    return { rps: result.requests.average, p99: result.latency.p99, cpuUs: (1e6 * cpu) / result.requests.total };
  } finally {
    await server.stop();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

mkdirSync(work, { recursive: true });
build();
const earlierCli = buildEarlierCli(BEFORE);
const rows = [];
for (const framework of FRAMEWORKS) {
  const apps = prepareApps(framework, earlierCli);
  const variants = [
    { label: 'uninstrumented', dir: apps.pristine, preloads: [SDK], env: {} },
    { label: 'floor', dir: apps.pristine, preloads: [SDK, CONTEXT_ACTIVE], env: {} },
    ...(apps.isInstrumented
      ? [
          { label: 'otel-instrument', dir: apps.instrumented, preloads: [SDK], env: {} },
          { label: 'capture', dir: apps.instrumented, preloads: [SDK], env: CAPTURE_ENV },
        ]
      : []),
    ...(apps.before ? [{ label: 'before capture', dir: apps.before, preloads: [SDK], env: {} }] : []),
    { label: 'auto', dir: apps.pristine, preloads: [SDK, AUTO], env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: framework.name === 'express' ? 'http,express' : 'http' } },
  ];
  const samples = Object.fromEntries(variants.map((v) => [v.label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // The order rotates every round, so no variant always runs first (or right after another).
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const variant of order) {
      const sample = await measure(variant.dir, variant.preloads, variant.env, '/api/items/42');
      samples[variant.label].push(sample);
      console.error(`${framework.name} round ${round + 1}/${ROUNDS} ${variant.label}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99} ms, ${sample.cpuUs.toFixed(1)} µs CPU/request`);
    }
  }
  const pick = (key) => Object.fromEntries(Object.entries(samples).map(([label, s]) => [label, median(s.map((x) => x[key]))]));
  rows.push({ framework, rps: pick('rps'), p99: pick('p99'), cpuUs: pick('cpuUs') });
}

const cores = os.cpus().length;
const percent = (a, b) => (a === undefined ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
const times = (a, b) => (a === undefined ? 'n/a' : `${(a / b).toFixed(2)}×`);
console.log(`\nRuntime benchmark: ${DURATION} s per run after ${WARMUP} s warm-up, ${CONNECTIONS} connections, median of ${ROUNDS} rounds, ${process.version}, ${cores} cores (server and autocannon share them)\n`);
console.log('| framework, route | variant | req/s | p99 latency | server CPU per request |');
console.log('|---|---|---|---|---|');
for (const { framework, rps, p99, cpuUs } of rows) {
  for (const label of Object.keys(rps)) {
    const name = { auto: `auto-instrumented (${framework.auto})`, floor: 'uninstrumented + context propagation on (floor)', capture: 'otel-instrument, 3 request headers captured', 'before capture': `otel-instrument at ${BEFORE} (no capture code)` }[label] ?? label;
    console.log(`| ${framework.name} \`${framework.route}\` | ${name} | ${Math.round(rps[label])} | ${p99[label]} ms | ${cpuUs[label].toFixed(1)} µs |`);
  }
}
console.log('\n| framework | otel-instrument / uninstrumented req/s (target ≥ 85%) | floor / uninstrumented req/s | otel-instrument / auto req/s (target ≥ 1.7×) | CPU per request over uninstrumented: floor | otel-instrument | auto |');
console.log('|---|---|---|---|---|---|---|');
for (const { framework, rps, cpuUs } of rows) {
  const ours = rps['otel-instrument'];
  const extra = (label) => (cpuUs[label] === undefined ? 'n/a' : `+${(cpuUs[label] - cpuUs.uninstrumented).toFixed(1)} µs`);
  console.log(`| ${framework.name} | ${percent(ours, rps.uninstrumented)} | ${percent(rps.floor, rps.uninstrumented)} | ${times(ours, rps.auto)} | ${extra('floor')} | ${extra('otel-instrument')} | ${extra('auto')} |`);
}
console.log(`\n| framework | unset / ${BEFORE} req/s | CPU per request, unset over ${BEFORE} | capture 3 headers / unset req/s | CPU per request, capture over unset |`);
console.log('|---|---|---|---|---|');
for (const { framework, rps, cpuUs } of rows) {
  const delta = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${a >= b ? '+' : ''}${(a - b).toFixed(1)} µs`);
  const ours = 'otel-instrument';
  console.log(`| ${framework.name} | ${percent(rps[ours], rps['before capture'])} | ${delta(cpuUs[ours], cpuUs['before capture'])} | ${percent(rps.capture, rps[ours])} | ${delta(cpuUs.capture, cpuUs[ours])} |`);
}
writeFileSync(path.join(work, 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cores, DURATION, WARMUP, ROUNDS, CONNECTIONS, rows }, null, 2));
