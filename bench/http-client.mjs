// Outgoing-HTTP helper benchmark (on demand: `node bench/http-client.mjs`, after `npm run build`):
// sequential requests to a loopback server in a child process, each client plain and through
// its otel-instrument helper (tracedHttp, instrumentAxios, tracedFetch), with the real SDK and a
// span processor that drops spans, inside a sampled parent context as under a SERVER span.
// Plain and traced run in alternating batches; reported: the median µs per request and the
// median of the per-round traced/plain ratios (robust to drift on a shared machine).
// Knobs: BENCH_BATCH (requests per batch, default 100), BENCH_ROUNDS (41).
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import axios from 'axios';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  const dropSpans = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [dropSpans] }));

  // The helpers exactly as the CLI writes them into an ESM JavaScript project.
  const helpers = path.join(root, 'bench/.work/http-client/otel-instrument');
  mkdirSync(helpers, { recursive: true });
  for (const id of helperClosure(['node-http', 'axios', 'http-client'])) writeFileSync(path.join(helpers, `${id}.mjs`), renderHelper(id, { language: 'js', moduleSystem: 'esm' }));
  const load = (id) => import(pathToFileURL(path.join(helpers, `${id}.mjs`)).href);
  const { tracedHttp } = await load('node-http');
  const { instrumentAxios } = await load('axios');
  const { tracedFetch } = await load('http-client');

  const server = fork(fileURLToPath(import.meta.url), ['server']);
  const { port } = await new Promise((resolve) => server.once('message', resolve));
  const url = `http://127.0.0.1:${port}/items?id=1`;
  const get = (fn) => new Promise((resolve, reject) => fn(url, (res) => res.resume().on('end', resolve)).on('error', reject));
  const plainAxios = axios.create();
  const tracedAxios = instrumentAxios(axios.create());

  /** Plain and traced variant of each client, measured in alternating batches. */
  const pairs = [
    ['http.get', () => get(http.get), 'tracedHttp(http.get)', () => get((...a) => tracedHttp(http.get, ...a))],
    ['axios instance', () => plainAxios.get(url), 'instrumentAxios(instance)', () => tracedAxios.get(url)],
    ['fetch', () => fetch(url).then((r) => r.arrayBuffer()), 'tracedFetch', () => tracedFetch(url).then((r) => r.arrayBuffer())],
  ];
  const parent = trace.setSpanContext(context.active(), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
  const batch = async (run) => {
    const started = process.hrtime.bigint();
    await context.with(parent, async () => {
      for (let i = 0; i < BATCH; i++) await run();
    });
    return Number(process.hrtime.bigint() - started) / 1e3 / BATCH;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`| client | µs per request | traced / plain (median of ${ROUNDS} paired batches of ${BATCH}) |`);
  console.log('|---|---:|---:|');
  for (const [plainName, plain, tracedName, traced] of pairs) {
    await batch(plain);
    await batch(traced); // warm-up
    const plainUs = [];
    const tracedUs = [];
    const ratios = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so drift on a shared machine hits both alike.
      let t, p;
      if (round % 2) {
        t = await batch(traced);
        p = await batch(plain);
      } else {
        p = await batch(plain);
        t = await batch(traced);
      }
      tracedUs.push(t);
      plainUs.push(p);
      ratios.push(t / p);
    }
    console.log(`| ${plainName} | ${median(plainUs).toFixed(1)} | |`);
    console.log(`| ${tracedName} | ${median(tracedUs).toFixed(1)} | ${median(ratios).toFixed(2)}× |`);
  }
  server.kill();
}
