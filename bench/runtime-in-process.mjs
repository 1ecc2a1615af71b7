// The runtime bench without sockets (on demand: `npm run bench:runtime-in-process`). The socket
// bench (bench/runtime-http.mjs) cannot resolve a microsecond on a shared 2-core machine:
// autocannon and the kernel's loopback work share the cores with the server. Here each variant
// is one process that loads an app (bench/runtime/apps/*) with the same SDK
// (bench/support/sdk.mjs), hands its HTTP server requests as Node does (`emit('request', req,
// res)`: a real IncomingMessage and ServerResponse on a socket stand-in that drops what is
// written), CONCURRENCY in flight, and reports its CPU time per request:
//   uninstrumented   the app as written;
//   span floor       the app as written under bench/runtime/span-floor.mjs (as in the socket
//                    bench): extract the W3C context, one SERVER span with the same attributes
//                    otel-instrument sets (route known), the request run with it active, end;
//   otel-instrument  the app rewritten by the built CLI;
//   before           the app rewritten by the CLI of BENCH_BEFORE (a commit; unset: skipped).
// Scenarios: fastify-stack and express-stack (those four), express-scaling (1, 5, 15 and 50
// middlewares, uninstrumented and instrumented: the cost per wrapped handler), and
// express-capture, fastify-capture (issue 11: the same stacks with the helpers of 59102a1, the
// last commit without header capture, of e9ef8b6, the commit that added it, nothing configured,
// the current ones unset, and the current ones capturing three request headers).
// Rounds interleave a scenario's variants, in an order that rotates every round; medians of the
// per-round differences are reported. Goal (issue 12): Fastify within 1.5 µs of CPU per request
// of the span floor. Each process counts its spans: a variant that should trace and did not (or
// should not and did) fails the bench.
// Knobs: BENCH_REQUESTS (per run, default 40000), BENCH_WARMUP_REQUESTS (10000), BENCH_ROUNDS (7),
// BENCH_CONCURRENCY (16), BENCH_SCENARIOS (fastify-stack,express-stack,express-scaling; the
// capture pair only when named), BENCH_BEFORE,
// BENCH_MIDDLEWARE_COUNTS (1,5,15,50).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { buildEarlierCli, CAPTURE_ENV, copyApp, REQUEST_HEADERS } from './support/apps.mjs';
import { build, root } from './support/build.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40_000);
const WARMUP = Number(process.env.BENCH_WARMUP_REQUESTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SELECTED = (process.env.BENCH_SCENARIOS ?? 'fastify-stack,express-stack,express-scaling').split(',');
const BEFORE = process.env.BENCH_BEFORE ?? 'none';
// 1, 5 and 15 as real stacks have; 50 so that the per-handler cost stands out of the noise.
const MIDDLEWARE_COUNTS = (process.env.BENCH_MIDDLEWARE_COUNTS ?? '1,5,15,50').split(',').map(Number);
// The benchmarked request headers, with the host and user agent a client over the network sends.
const HEADERS = { host: '127.0.0.1:3000', 'user-agent': 'bench', ...REQUEST_HEADERS };
/** The commits either side of header capture (issue 11): its zero-cost-when-unset claim is their difference. */
const WITHOUT_CAPTURE = '59102a1';
const WITH_CAPTURE = 'e9ef8b6';

/**
 * A request handed to the app's HTTP server as Node's server hands it over (`emit('request')`),
 * with a real IncomingMessage and ServerResponse on a socket stand-in that accepts and drops
 * what is written. The server's own bookkeeping when a response finishes (detach the socket,
 * `close` on the next tick) is repeated here.
 */
function fakeRequest(server, url) {
  const socket = new Duplex({ read() {}, write(chunk, encoding, callback) { callback(); } });
  Object.assign(socket, { remoteAddress: '127.0.0.1', remotePort: 50000, localAddress: '127.0.0.1', localPort: 3000, encrypted: undefined });
  const req = new http.IncomingMessage(socket);
  req.method = 'GET';
  req.url = url;
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  req.headers = { ...HEADERS };
  req.push(null);
  const res = new http.ServerResponse(req);
  res.assignSocket(socket);
  return new Promise((resolve, reject) => {
    res.once('finish', () => {
      res.detachSocket(socket);
      process.nextTick(() => {
        res.emit('close');
        resolve(res.statusCode);
      });
    });
    res.once('error', reject);
    server.emit('request', req, res);
  });
}

/** In a variant's process: load the app, warm up, measure; prints `RESULT {...}`. */
async function child(dir, url) {
  const app = createRequire(path.join(dir, 'server.js'))('./server.js');
  // An Express app is a request listener; a Fastify app has its server once ready.
  const server = typeof app.handle === 'function' ? http.createServer(app) : (await app.ready(), app.server);
  const drive = async (count) => {
    let left = count;
    const lane = async () => {
      while (left-- > 0) {
        const status = await fakeRequest(server, url);
        if (status !== 200) throw new Error(`${url} answered ${status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  };
  await drive(WARMUP);
  const before = process.cpuUsage();
  const started = process.hrtime.bigint();
  await drive(REQUESTS);
  const cpu = process.cpuUsage(before);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`RESULT ${JSON.stringify({ cpuUs: (cpu.user + cpu.system) / REQUESTS, rps: REQUESTS / seconds })}`);
}

/** In the parent: one run of a variant in a fresh process, its spans checked. */
function runVariant(scenario, dir, v) {
  const preloads = [path.join(root, 'bench/support/sdk.mjs'), ...(v.floor ? [path.join(root, 'bench/runtime/span-floor.mjs')] : [])];
  const env = { ...process.env, BENCH_FLOOR_ROUTE: scenario.route, ...v.env };
  const run = spawnSync(process.execPath, [...preloads.flatMap((p) => ['--import', p]), import.meta.filename, '--child', dir, scenario.path], { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`${v.label} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
  const result = JSON.parse(/^RESULT (.*)$/m.exec(run.stdout)[1]);
  const { ended, capturing } = JSON.parse(/^SPANS (.*)$/m.exec(run.stderr)[1]);
  const expected = v.spans ? WARMUP + REQUESTS : 0;
  if (ended !== expected) throw new Error(`${v.label}: ${ended} spans for ${WARMUP + REQUESTS} requests, expected ${expected}: it no longer traces as it should`);
  const expectedCapturing = v.env === CAPTURE_ENV ? expected : 0;
  if (capturing !== expectedCapturing) throw new Error(`${v.label}: ${capturing} spans with a captured header, expected ${expectedCapturing}`);
  return { ...result, spansPerRequest: ended / (WARMUP + REQUESTS) };
}

const plural = (n) => `${n} middleware${n > 1 ? 's' : ''}`;
const STACK_VARIANTS = [
  { label: 'uninstrumented', app: 'pristine', spans: false },
  { label: 'span floor', app: 'pristine', spans: true, floor: true },
  { label: 'otel-instrument', app: 'instrumented', spans: true },
  { label: 'before', app: 'before', spans: true },
];
const SCENARIOS = [
  { name: 'fastify-stack', wrapper: 'instrumentFastify', route: '/api/users/:id', path: '/api/users/42', variants: STACK_VARIANTS },
  { name: 'express-stack', wrapper: 'instrumentExpress', route: '/api/users/:id', path: '/api/users/42', variants: STACK_VARIANTS },
  {
    name: 'express-scaling', wrapper: 'instrumentExpress', route: '/api/items/:id', path: '/api/items/42',
    variants: MIDDLEWARE_COUNTS.flatMap((n) => [
      { label: `uninstrumented, ${plural(n)}`, app: 'pristine', spans: false, env: { BENCH_MIDDLEWARES: String(n) } },
      { label: `otel-instrument, ${plural(n)}`, app: 'instrumented', spans: true, env: { BENCH_MIDDLEWARES: String(n) } },
      { label: `before, ${plural(n)}`, app: 'before', spans: true, env: { BENCH_MIDDLEWARES: String(n) } },
    ]),
  },
  ...['express', 'fastify'].map((framework) => ({
    name: `${framework}-capture`, app: `${framework}-stack`, wrapper: framework === 'express' ? 'instrumentExpress' : 'instrumentFastify', route: '/api/users/:id', path: '/api/users/42',
    variants: [
      { label: 'uninstrumented', app: 'pristine', spans: false },
      { label: `at ${WITHOUT_CAPTURE}`, app: `at:${WITHOUT_CAPTURE}`, spans: true },
      { label: `at ${WITH_CAPTURE}, unset`, app: `at:${WITH_CAPTURE}`, spans: true },
      { label: 'otel-instrument, unset', app: 'instrumented', spans: true },
      { label: 'otel-instrument, 3 headers captured', app: 'instrumented', spans: true, env: CAPTURE_ENV },
    ],
  })),
].filter((s) => SELECTED.includes(s.name));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)} µs`;

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const work = path.join(root, 'bench/.work/runtime-in-process');
  mkdirSync(work, { recursive: true });
  build();
  const clis = { instrumented: path.join(root, 'bin/otel-instrument.js'), before: buildEarlierCli(BEFORE, work) };
  for (const v of SCENARIOS.flatMap((s) => s.variants)) {
    if (v.app.startsWith('at:')) clis[v.app] ??= buildEarlierCli(v.app.slice(3), work);
  }
  console.log(`Runtime bench in process (no sockets, ${CONCURRENCY} in flight): ${REQUESTS} requests per run after ${WARMUP}, median of ${ROUNDS} interleaved rounds, ${process.version}${clis.before ? `; before = ${BEFORE}` : ''}`);
  for (const scenario of SCENARIOS) {
    const appName = scenario.app ?? scenario.name;
    const dirs = { pristine: path.join(work, `${scenario.name}-pristine`) };
    copyApp(appName, dirs.pristine);
    for (const app of new Set(scenario.variants.map((v) => v.app).filter((a) => a !== 'pristine'))) {
      if (!clis[app]) continue;
      dirs[app] = path.join(work, `${scenario.name}-${app.replace(':', '-')}`);
      if (!copyApp(appName, dirs[app], { cli: clis[app], wrapper: scenario.wrapper })) throw new Error(`${scenario.name} was not instrumented by ${clis[app]}`);
    }
    const variants = scenario.variants.filter((v) => dirs[v.app]);
    const samples = Object.fromEntries(variants.map((v) => [v.label, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of variants.map((_, i) => variants[(i + round) % variants.length])) {
        const sample = runVariant(scenario, dirs[v.app], v);
        samples[v.label].push(sample);
        console.error(`${scenario.name} round ${round + 1}/${ROUNDS} ${v.label}: ${sample.cpuUs.toFixed(2)} µs CPU/request`);
      }
    }
    const over = (a, b) => median(samples[a].map((s, i) => s.cpuUs - samples[b][i].cpuUs));
    const base = (label) => scenario.name.endsWith('-capture') ? 'uninstrumented' : label.replace(/^(otel-instrument|before|span floor)/, 'uninstrumented').replace(/^uninstrumented$/, 'uninstrumented');
    console.log(`\n| ${scenario.name} \`GET ${scenario.route}\` | CPU per request | over uninstrumented | spans per request |`);
    console.log('|---|---|---|---|');
    for (const v of variants) {
      const cpu = median(samples[v.label].map((s) => s.cpuUs));
      const name = v.app === 'before' ? v.label.replace('before', `otel-instrument at ${BEFORE}`) : v.label;
      console.log(`| ${name} | ${cpu.toFixed(2)} µs | ${v.app === 'pristine' && !v.floor ? '—' : signed(over(v.label, base(v.label)))} | ${median(samples[v.label].map((s) => s.spansPerRequest)).toFixed(2)} |`);
    }
    if (samples['span floor']) {
      const gap = over('otel-instrument', 'span floor');
      const goal = scenario.name === 'fastify-stack' ? ` (goal ≤ 1.5 µs: ${gap <= 1.5 ? 'met' : 'missed'})` : '';
      console.log(`\n${scenario.name}: otel-instrument over the span floor ${signed(gap)} per request${goal}`);
    }
    if (samples.before) console.log(`${scenario.name}: otel-instrument over ${BEFORE} ${signed(over('otel-instrument', 'before'))} per request`);
    if (scenario.name.endsWith('-capture')) {
      console.log(`\n${scenario.name}: the capture code, nothing configured (${WITH_CAPTURE} over ${WITHOUT_CAPTURE}) ${signed(over(`at ${WITH_CAPTURE}, unset`, `at ${WITHOUT_CAPTURE}`))} per request; three request headers captured (over unset) ${signed(over('otel-instrument, 3 headers captured', 'otel-instrument, unset'))}`);
    }
    if (scenario.name === 'express-scaling') {
      // What one more wrapped middleware costs: the growth of the added CPU from 1 to n middlewares, per middleware.
      const added = (kind, n, i) => samples[`${kind}, ${plural(n)}`][i].cpuUs - samples[`uninstrumented, ${plural(n)}`][i].cpuUs;
      for (const kind of ['otel-instrument', ...(samples[`before, ${plural(1)}`] ? ['before'] : [])]) {
        const perHandler = MIDDLEWARE_COUNTS.slice(1).map((n) => `${n}: ${Math.round((1000 * median(samples[`${kind}, ${plural(n)}`].map((_, i) => (added(kind, n, i) - added(kind, 1, i)) / (n - 1)))))} ns`);
        console.log(`\n${kind === 'before' ? `otel-instrument at ${BEFORE}` : kind}: added CPU per request ${MIDDLEWARE_COUNTS.map((n) => `${plural(n)} ${signed(median(samples[`${kind}, ${plural(n)}`].map((_, i) => added(kind, n, i))))}`).join(', ')}; cost per wrapped handler, from 1 to ${perHandler.join(', ')}`);
      }
    }
  }
}
