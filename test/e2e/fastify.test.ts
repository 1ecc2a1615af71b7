// Fastify end to end: example apps (Fastify 5 CommonJS, Fastify 5 ESM TypeScript, Fastify 4
// CommonJS) are copied, instrumented by the built CLI, started with the real SDK, and called over
// loopback; their outgoing calls reach a real downstream HTTP server.
import { randomBytes } from 'node:crypto';
import { readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type AppProcess, type SpanRecord } from '../support/app-process.js';
import { copyApp, runCli } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';

const APPS = path.join(repoRoot, 'test/e2e/apps');
const RUNTIME_INSTRUMENTATION = path.join(APPS, 'fastify-runtime-instrumentation/preload.mjs');

const SERVER = 1;
const CLIENT = 2;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;
const OUR_SCOPE = 'otel-instrument';

/** What the downstream service saw of one request. */
interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** The service the apps call: records every request, answers like a stock service. */
async function startDownstream(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ available: 3 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A fresh incoming W3C context: the caller's trace and span ids and the header. */
function incomingTrace() {
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

const serverSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === SERVER);
const clientSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === CLIENT);

/** Waits for `count` SERVER spans (and `clients` CLIENT spans) and returns the only server span. */
async function oneServerSpan(app: AppProcess, clients = 0) {
  const spans = await app.waitForSpans((s) => serverSpans(s).length >= 1 && clientSpans(s).length >= clients);
  expect(serverSpans(spans)).toHaveLength(1);
  return { server: serverSpans(spans)[0]!, clients: clientSpans(spans), spans };
}

interface AppUnderTest {
  label: string;
  dir: string;
  entry: string;
  /** Runs before the app is instrumented, in the copy (e.g. link the Fastify major under test). */
  prepare?: (copy: string) => void;
}

/** `node_modules/fastify` in the copy → the repo's `fastify4` alias, so the app's own `require('fastify')` loads Fastify 4. */
function linkFastify4(copy: string): void {
  mkdirSync(path.join(copy, 'node_modules'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules/fastify4'), path.join(copy, 'node_modules/fastify'), 'dir');
}

const APPS_UNDER_TEST: AppUnderTest[] = [
  { label: 'Fastify 5, CommonJS JavaScript', dir: 'fastify5-cjs', entry: 'server.js' },
  { label: 'Fastify 5, ESM TypeScript', dir: 'fastify5-esm-ts', entry: 'server.ts' },
  { label: 'Fastify 4, CommonJS JavaScript', dir: 'fastify4-cjs', entry: 'server.js', prepare: linkFastify4 },
];

/** Copies the app, runs the real CLI on it and checks that it wrapped the instance. */
function instrumentedCopy(target: AppUnderTest): string {
  const copy = copyApp(path.join(APPS, target.dir), target.dir);
  target.prepare?.(copy);
  const run = runCli(['.'], copy);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(readFileSync(path.join(copy, target.entry), 'utf8')).toMatch(/instrumentFastify\((Fastify|fastify)\(\{ logger: false \}\)\)/);
  return copy;
}

let downstream: Awaited<ReturnType<typeof startDownstream>>;
beforeAll(async () => {
  downstream = await startDownstream();
});
afterAll(async () => {
  await downstream?.close();
});

for (const target of APPS_UNDER_TEST) {
  describe(`${target.label}, instrumented by the CLI`, () => {
    let app: AppProcess;
    let base: string;

    beforeAll(async () => {
      const copy = instrumentedCopy(target);
      if (target.dir === 'fastify4-cjs') {
        // The link really resolves to Fastify 4.
        const version = JSON.parse(readFileSync(path.join(copy, 'node_modules/fastify/package.json'), 'utf8')).version as string;
        expect(version).toMatch(/^4\./);
      }
      app = await startApp(path.join(copy, target.entry), { env: { DOWNSTREAM_URL: downstream.url }, timeoutMs: 60_000 });
      base = `http://127.0.0.1:${app.ready.port}`;
    });
    afterAll(async () => {
      await app?.stop();
    });
    beforeEach(async () => {
      await app.reset();
      downstream.received.length = 0;
    });

    it('continues the incoming trace, names the span after the prefixed route and forwards baggage', async () => {
      const incoming = incomingTrace();
      const res = await fetch(`${base}/api/v1/items/42?page=2&token=abc123`, {
        headers: { traceparent: incoming.traceparent, baggage: 'tenant=acme,session=s3cr3t', 'user-agent': 'e2e-client/1.0' },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: '42', stock: { available: 3 } });

      const { server, clients, spans } = await oneServerSpan(app, 1);
      expect(server.scope).toBe(OUR_SCOPE);
      expect(server.name).toBe('GET /api/v1/items/:id');
      expect(server.traceId).toBe(incoming.traceId);
      expect(server.parentSpanId).toBe(incoming.parentId);
      expect(server.status.code).toBe(STATUS_UNSET);
      expect(server.attributes).toEqual({
        'http.request.method': 'GET',
        'url.path': '/api/v1/items/42',
        'url.query': 'page=2&token=REDACTED',
        'url.scheme': 'http',
        'network.protocol.version': '1.1',
        'server.address': '127.0.0.1',
        'server.port': app.ready.port,
        'client.address': '127.0.0.1',
        'user_agent.original': 'e2e-client/1.0',
        'http.route': '/api/v1/items/:id',
        'http.response.status_code': 200,
      });

      // The handler's outgoing call is a child of the SERVER span, in the same trace.
      expect(clients).toHaveLength(1);
      const client = clients[0]!;
      expect(client.traceId).toBe(incoming.traceId);
      expect(client.parentSpanId).toBe(server.spanId);
      expect(client.attributes['url.full']).toBe(`${downstream.url}/stock/42`);

      // Downstream continues the same trace under the CLIENT span, with the caller's baggage.
      expect(downstream.received).toHaveLength(1);
      const sent = downstream.received[0]!;
      expect(sent.path).toBe('/stock/42');
      expect(sent.headers.traceparent).toBe(`00-${incoming.traceId}-${client.spanId}-01`);
      expect(String(sent.headers.baggage).split(',').sort()).toEqual(['session=s3cr3t', 'tenant=acme']);

      // Neither baggage nor secrets from the query leak into telemetry.
      const telemetry = JSON.stringify(spans);
      expect(telemetry).not.toContain('s3cr3t');
      expect(telemetry).not.toContain('abc123');
    });

    it('names routes declared with route({...}) inside a prefixed plugin', async () => {
      const res = await fetch(`${base}/api/orders/7`, { headers: { traceparent: incomingTrace().traceparent } });
      expect(res.status).toBe(200);
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET /api/orders/:orderId');
      expect(server.attributes['http.route']).toBe('/api/orders/:orderId');
    });

    it('names routes of the root instance', async () => {
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET /health');
      expect(server.attributes['http.route']).toBe('/health');
    });

    it('traces a POST with a body, propagating to the downstream call', async () => {
      const incoming = incomingTrace();
      const res = await fetch(`${base}/api/v1/items`, {
        method: 'POST',
        headers: { traceparent: incoming.traceparent, 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'A-1' }),
      });
      expect(res.status).toBe(201);
      const { server, clients } = await oneServerSpan(app, 1);
      expect(server.name).toBe('POST /api/v1/items');
      expect(server.parentSpanId).toBe(incoming.parentId);
      expect(server.attributes['http.response.status_code']).toBe(201);
      expect(clients[0]!.parentSpanId).toBe(server.spanId);
      expect(clients[0]!.name).toBe('POST');
      expect(downstream.received[0]!.method).toBe('POST');
      expect(downstream.received[0]!.headers.traceparent).toBe(`00-${incoming.traceId}-${clients[0]!.spanId}-01`);
      // Request bodies never become attributes.
      expect(JSON.stringify(server.attributes)).not.toContain('A-1');
    });

    it('runs the handler in the request context even after a hook that loses it', async () => {
      const incoming = incomingTrace();
      expect((await fetch(`${base}/api/v1/pooled`, { headers: { traceparent: incoming.traceparent } })).status).toBe(200);
      const { server, clients } = await oneServerSpan(app, 1);
      expect(server.name).toBe('GET /api/v1/pooled');
      expect(clients[0]!.traceId).toBe(incoming.traceId);
      expect(clients[0]!.parentSpanId).toBe(server.spanId);
    });

    it('records an error from the error path with its cause chain, as a 5xx server error', async () => {
      const incoming = incomingTrace();
      const res = await fetch(`${base}/api/v1/fail`, { headers: { traceparent: incoming.traceparent } });
      expect(res.status).toBe(500);
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET /api/v1/fail');
      expect(server.parentSpanId).toBe(incoming.parentId);
      expect(server.status.code).toBe(STATUS_ERROR);
      expect(server.attributes['error.type']).toBe('Error');
      expect(server.attributes['http.response.status_code']).toBe(500);
      const exceptions = server.events.filter((e) => e.name === 'exception');
      expect(exceptions).toHaveLength(1);
      const exception = exceptions[0]!.attributes!;
      expect(exception['exception.type']).toBe('Error');
      expect(exception['exception.message']).toBe('order lookup failed');
      expect(exception['exception.stacktrace']).toMatch(/^Error: order lookup failed\n/);
      expect(exception['exception.stacktrace']).toContain('\nCaused by: TypeError: connection reset by stock service');
    });

    it('does not record an error Fastify answers with a 4xx: the client’s error', async () => {
      expect((await fetch(`${base}/api/v1/invalid`)).status).toBe(400);
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET /api/v1/invalid');
      expect(server.attributes['http.response.status_code']).toBe(400);
      expect(server.attributes['error.type']).toBeUndefined();
      expect(server.status.code).toBe(STATUS_UNSET);
      expect(server.events).toEqual([]);
    });

    it('marks a 5xx answered without an exception with error.type = the status code', async () => {
      expect((await fetch(`${base}/api/unavailable`)).status).toBe(503);
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET /api/unavailable');
      expect(server.status.code).toBe(STATUS_ERROR);
      expect(server.attributes['error.type']).toBe('503');
      expect(server.events).toEqual([]);
    });

    it('treats an unmatched request (404) as the client’s error: no route, no ERROR status', async () => {
      expect((await fetch(`${base}/api/v1/nothing-here`)).status).toBe(404);
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET');
      expect(server.attributes['http.route']).toBeUndefined();
      expect(server.attributes['http.response.status_code']).toBe(404);
      expect(server.attributes['error.type']).toBeUndefined();
      expect(server.status.code).toBe(STATUS_UNSET);
    });

    it('starts a new root trace for an untraced request, and its downstream call joins it', async () => {
      expect((await fetch(`${base}/api/v1/items/9`)).status).toBe(200);
      const { server, clients } = await oneServerSpan(app, 1);
      expect(server.parentSpanId).toBeUndefined();
      expect(server.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(server.traceId).not.toBe('0'.repeat(32));
      expect(clients[0]!.traceId).toBe(server.traceId);
      expect(downstream.received[0]!.headers.traceparent).toBe(`00-${server.traceId}-${clients[0]!.spanId}-01`);
    });

    it('does not throw on a malformed traceparent: the request is served as a new root', async () => {
      const malformed = ['garbage', `00-${'z'.repeat(32)}-${hex(8)}-01`, `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`, `00-${hex(16)}-${hex(8)}`, ''];
      for (const traceparent of malformed) {
        await app.reset();
        const res = await fetch(`${base}/api/orders/1`, { headers: { traceparent, baggage: '%%%not-baggage' } });
        expect(res.status, traceparent).toBe(200);
        const { server } = await oneServerSpan(app);
        expect(server.parentSpanId, traceparent).toBeUndefined();
        expect(server.name).toBe('GET /api/orders/:orderId');
      }
    });
  });
}

describe('Fastify 5 with runtime HTTP instrumentation already installed', () => {
  let app: AppProcess;
  let base: string;

  beforeAll(async () => {
    const copy = instrumentedCopy(APPS_UNDER_TEST[0]!);
    app = await startApp(path.join(copy, 'server.js'), {
      env: { DOWNSTREAM_URL: downstream.url, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` },
      timeoutMs: 60_000,
    });
    base = `http://127.0.0.1:${app.ready.port}`;
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    await app.reset();
    downstream.received.length = 0;
  });

  it('enriches the runtime SERVER span instead of starting a second one', async () => {
    const incoming = incomingTrace();
    const res = await fetch(`${base}/api/v1/items/42`, { headers: { traceparent: incoming.traceparent } });
    expect(res.status).toBe(200);
    const { server, clients } = await oneServerSpan(app, 1);
    expect(server.scope).toBe('@opentelemetry/instrumentation-http');
    expect(server.traceId).toBe(incoming.traceId);
    expect(server.parentSpanId).toBe(incoming.parentId);
    expect(server.attributes['http.route']).toBe('/api/v1/items/:id');
    expect(server.name).toBe('GET /api/v1/items/:id');
    expect(clients).toHaveLength(1);
    expect(clients[0]!.scope).toBe(OUR_SCOPE);
    expect(clients[0]!.parentSpanId).toBe(server.spanId);
    expect(downstream.received[0]!.headers.traceparent).toBe(`00-${incoming.traceId}-${clients[0]!.spanId}-01`);
  });

  it('records the error with its cause chain on the runtime SERVER span', async () => {
    expect((await fetch(`${base}/api/v1/fail`)).status).toBe(500);
    const { server } = await oneServerSpan(app);
    expect(server.scope).toBe('@opentelemetry/instrumentation-http');
    expect(server.attributes['http.route']).toBe('/api/v1/fail');
    expect(server.status.code).toBe(STATUS_ERROR);
    expect(server.attributes['error.type']).toBe('Error');
    const exception = server.events.find((e) => e.name === 'exception')!.attributes!;
    expect(exception['exception.stacktrace']).toContain('Caused by: TypeError: connection reset by stock service');
  });
});
