// Outgoing-HTTP helper benchmark (on demand: `node bench/http-client.mjs`, after `npm run build`):
// sequential requests to a loopback server in a child process, each client plain and through
// its otel-instrument helper (tracedHttp, instrumentAxios, tracedFetch, tracedUndici /
// instrumentUndici, instrumentGot, tracedNodeFetch), with the real SDK and a span processor that
// drops spans (and counts them: a traced variant that starts none fails the run), inside a
// sampled parent context as under a SERVER span. undici also runs under the runtime
// auto-instrumentation, @opentelemetry/instrumentation-undici, enabled for its batches only.
// Plain and traced run in alternating batches; reported: the median µs per request and the
// median of the per-round traced/plain ratios (robust to drift on a shared machine).
// Knobs: BENCH_BATCH (requests per batch, default 100), BENCH_ROUNDS (41).
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import axios from 'axios';
import got from 'got';
import nodeFetch from 'node-fetch';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Pool, request as undiciRequest } from 'undici';
import { helperClosure, renderHelper } from '../dist/src/codemod/helper-modules.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);

if (process.argv[2] === 'server') {
  const server = http.createServer((req, res) => {
    req.resume();
    res.end('ok');
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  await main();
}

async function main() {
  let started = 0;
  const dropSpans = { onStart: () => void started++, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [dropSpans] }));

  // The helpers exactly as the CLI writes them into an ESM JavaScript project.
  const helpers = path.join(root, 'bench/.work/http-client/otel-instrument');
  mkdirSync(helpers, { recursive: true });
  for (const id of helperClosure(['node-http', 'axios', 'http-client', 'undici', 'got', 'node-fetch'])) writeFileSync(path.join(helpers, `${id}.mjs`), renderHelper(id, { language: 'js', moduleSystem: 'esm' }));
  const load = (id) => import(pathToFileURL(path.join(helpers, `${id}.mjs`)).href);
  const { tracedHttp } = await load('node-http');
  const { instrumentAxios } = await load('axios');
  const { tracedFetch } = await load('http-client');
  const { instrumentUndici, tracedUndici } = await load('undici');
  const { instrumentGot } = await load('got');
  const { tracedNodeFetch } = await load('node-fetch');
  // Constructed enabled (it decides by its config whether to trace), then off except for its batches.
  const undiciAuto = new UndiciInstrumentation();
  undiciAuto.disable();

  const server = fork(fileURLToPath(import.meta.url), ['server']);
  const { port } = await new Promise((resolve) => server.once('message', resolve));
  const url = `http://127.0.0.1:${port}/items?id=1`;
  const get = (fn) => new Promise((resolve, reject) => fn(url, (res) => res.resume().on('end', resolve)).on('error', reject));
  const plainAxios = axios.create();
  const tracedAxios = instrumentAxios(axios.create());
  const origin = new URL(url).origin;
  const plainPool = new Pool(origin);
  const tracedPool = instrumentUndici(new Pool(origin));
  const undiciGet = (send) => send(url).then((r) => r.body.dump());
  const poolGet = (pool) => pool.request({ path: '/items?id=1', method: 'GET' }).then((r) => r.body.dump());
  const plainGot = got.extend({ retry: { limit: 0 } });
  const tracedGot = instrumentGot(plainGot);

  /** Plain and traced variant of each client, measured in alternating batches; the traced one may need switching on. */
  const pairs = [
    ['http.get', () => get(http.get), 'tracedHttp(http.get)', () => get((...a) => tracedHttp(http.get, ...a))],
    ['axios instance', () => plainAxios.get(url), 'instrumentAxios(instance)', () => tracedAxios.get(url)],
    ['fetch', () => fetch(url).then((r) => r.arrayBuffer()), 'tracedFetch', () => tracedFetch(url).then((r) => r.arrayBuffer())],
    ['undici request', () => undiciGet(undiciRequest), 'tracedUndici(request)', () => undiciGet(tracedUndici(undiciRequest))],
    ['undici request', () => undiciGet(undiciRequest), 'instrumentation-undici (runtime)', () => undiciGet(undiciRequest), undiciAuto],
    ['undici Pool', () => poolGet(plainPool), 'instrumentUndici(new Pool)', () => poolGet(tracedPool)],
    ['got instance', () => plainGot(url).text(), 'instrumentGot(instance)', () => tracedGot(url).text()],
    ['node-fetch 3', () => nodeFetch(url).then((r) => r.arrayBuffer()), 'tracedNodeFetch(fetch)', () => tracedNodeFetch(nodeFetch)(url).then((r) => r.arrayBuffer())],
  ];
  const parent = trace.setSpanContext(context.active(), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
  const batch = async (run, instrumentation) => {
    instrumentation?.enable();
    const t0 = process.hrtime.bigint();
    await context.with(parent, async () => {
      for (let i = 0; i < BATCH; i++) await run();
    });
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / BATCH;
    instrumentation?.disable();
    return us;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`| client | µs per request | traced / plain (median of ${ROUNDS} paired batches of ${BATCH}) |`);
  console.log('|---|---:|---:|');
  for (const [plainName, plain, tracedName, tracedRun, instrumentation] of pairs) {
    const traced = () => batch(tracedRun, instrumentation);
    const before = started;
    await batch(plain);
    if (started !== before) throw new Error(`${plainName}: the plain variant started spans`);
    await traced(); // warm-up
    if (started === before) throw new Error(`${tracedName}: started no span`);
    const plainUs = [];
    const tracedUs = [];
    const ratios = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so drift on a shared machine hits both alike.
      let t, p;
      if (round % 2) {
        t = await traced();
        p = await batch(plain);
      } else {
        p = await batch(plain);
        t = await traced();
      }
      tracedUs.push(t);
      plainUs.push(p);
      ratios.push(t / p);
    }
    console.log(`| ${plainName} | ${median(plainUs).toFixed(1)} | |`);
    console.log(`| ${tracedName} | ${median(tracedUs).toFixed(1)} | ${median(ratios).toFixed(2)}× |`);
  }
  await Promise.all([plainPool.close(), tracedPool.close()]);
  server.kill();
}
