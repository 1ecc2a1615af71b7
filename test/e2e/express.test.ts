// Express end to end: example apps (Express 5 CommonJS, Express 5 ESM TypeScript, Express 4
// CommonJS) are copied, instrumented by the built CLI, started with the real SDK, and called over
// loopback; their outgoing calls reach a real downstream HTTP server.
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type AppProcess, type SpanRecord } from '../support/app-process.js';
import { copyApp, runCli } from '../support/cli.js';
import { hex, incomingTrace, startDownstream, type Downstream } from '../support/downstream.js';
import { repoRoot } from '../support/golden.js';

const APPS = path.join(repoRoot, 'test/e2e/apps');
/** The real @opentelemetry/instrumentation-http, preloaded (shared with the Fastify e2e). */
const RUNTIME_INSTRUMENTATION = path.join(APPS, 'fastify-runtime-instrumentation/preload.mjs');

const SERVER = 1;
const CLIENT = 2;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;
const OUR_SCOPE = 'otel-instrument';

const serverSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === SERVER);
const clientSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === CLIENT);

/** Waits for the request's SERVER span (and `clients` CLIENT spans); there must be exactly one. */
async function oneServerSpan(app: AppProcess, clients = 0) {
  const spans = await app.waitForSpans((s) => serverSpans(s).length >= 1 && clientSpans(s).length >= clients);
  expect(serverSpans(spans)).toHaveLength(1);
  return { server: serverSpans(spans)[0]!, clients: clientSpans(spans), spans };
}

interface AppUnderTest {
  label: string;
  dir: string;
  /** The file that creates the app, and the one that creates the routers. */
  entry: string;
  routes: string;
  /** The Express major the app must actually load. */
  major: '4' | '5';
  /** Runs before the app is instrumented, in the copy (e.g. link the Express major under test). */
  prepare?: (copy: string) => void;
}

/** `node_modules/express` in the copy → the repo's `express4` alias, so the app's own `require('express')` loads Express 4. */
function linkExpress4(copy: string): void {
  mkdirSync(path.join(copy, 'node_modules'), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules/express4'), path.join(copy, 'node_modules/express'), 'dir');
}

const APPS_UNDER_TEST: AppUnderTest[] = [
  { label: 'Express 5, CommonJS JavaScript', dir: 'express5-cjs', entry: 'server.js', routes: 'routes.js', major: '5' },
  { label: 'Express 5, ESM TypeScript', dir: 'express5-esm-ts', entry: 'server.ts', routes: 'routes.ts', major: '5' },
  { label: 'Express 4, CommonJS JavaScript', dir: 'express4-cjs', entry: 'server.js', routes: 'routes.js', major: '4', prepare: linkExpress4 },
];

/** Copies the app, runs the real CLI on it and checks that it wrapped the app and the routers. */
function instrumentedCopy(target: AppUnderTest): string {
  const copy = copyApp(path.join(APPS, target.dir), target.dir);
  target.prepare?.(copy);
  const run = runCli(['.'], copy);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(readFileSync(path.join(copy, target.entry), 'utf8')).toContain('const app = instrumentExpress(express());');
  const routes = readFileSync(path.join(copy, target.routes), 'utf8');
  expect(routes).toMatch(/const v1 = instrumentRouter\((express\.)?Router\(\)\);/);
  expect(routes).toMatch(/const api = instrumentRouter\((express\.)?Router\(\)\);/);
  // A second look finds nothing left to do.
  const check = runCli(['--check', '.'], copy);
  expect(check.stdout + check.stderr).toBe('');
  expect(check.status).toBe(0);
  // The app really loads the Express major under test.
  const manifest = createRequire(path.join(copy, target.entry)).resolve('express/package.json');
  const version = JSON.parse(readFileSync(manifest, 'utf8')).version as string;
  expect(version.split('.')[0]).toBe(target.major);
  return copy;
}

let downstream: Downstream;
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
    let copy: string;

    beforeAll(async () => {
      copy = instrumentedCopy(target);
      app = await startApp(path.join(copy, target.entry), { env: { DOWNSTREAM_URL: downstream.url } });
      base = `http://127.0.0.1:${app.ready.port}`;
    });
    afterAll(async () => {
      await app?.stop();
    });
    beforeEach(async () => {
      await app.reset();
      downstream.received.length = 0;
    });

    it.runIf(target.entry.endsWith('.ts'))('still type-checks under strict once instrumented', () => {
      const files = readdirSync(copy, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.includes('node_modules'));
      expect(files).toContain(path.join('otel-instrument', 'express.ts'));
      const program = ts.createProgram(
        files.map((f) => path.join(copy, f)),
        {
          strict: true,
          noEmit: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(repoRoot, 'node_modules/@types')],
        },
      );
      const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(problems).toEqual([]);
    });

    it('continues the incoming trace, names the span after the full route and forwards baggage', async () => {
      const incoming = incomingTrace();
      const res = await fetch(`${base}/api/v1/items/42?page=2&token=abc123`, {
        headers: { traceparent: incoming.traceparent, tracestate: 'vendor=opaque-1', baggage: 'tenant=acme,session=s3cr3t', 'user-agent': 'e2e-client/1.0' },
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
      expect(sent.headers.tracestate).toBe('vendor=opaque-1');
      expect(String(sent.headers.baggage).split(',').sort()).toEqual(['session=s3cr3t', 'tenant=acme']);

      // Neither baggage nor secrets from the query leak into telemetry.
      const telemetry = JSON.stringify(spans);
      expect(telemetry).not.toContain('s3cr3t');
      expect(telemetry).not.toContain('abc123');
      expect(telemetry).not.toContain('opaque-1');
    });

    it('names routes declared with route(...) chains in a mounted router, per method', async () => {
      expect((await fetch(`${base}/api/orders/7`)).status).toBe(200);
      const get = await oneServerSpan(app);
      expect(get.server.name).toBe('GET /api/orders/:orderId');
      expect(get.server.attributes['http.route']).toBe('/api/orders/:orderId');

      await app.reset();
      expect((await fetch(`${base}/api/orders/7`, { method: 'PUT' })).status).toBe(204);
      const put = await oneServerSpan(app);
      expect(put.server.name).toBe('PUT /api/orders/:orderId');
      expect(put.server.attributes['http.response.status_code']).toBe(204);
    });

    it('names routes of app.route(...) on the app itself, and of the root app', async () => {
      expect((await fetch(`${base}/reports/2025`)).status).toBe(200);
      expect((await oneServerSpan(app)).server.name).toBe('GET /reports/:year');

      await app.reset();
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET /health');
      expect(server.attributes['http.route']).toBe('/health');
    });

    it('includes the mount path of a sub-app', async () => {
      const res = await fetch(`${base}/admin/users/u-1`);
      expect(await res.json()).toEqual({ user: 'u-1' });
      const { server } = await oneServerSpan(app);
      expect(server.name).toBe('GET /admin/users/:userId');
      expect(server.attributes['http.route']).toBe('/admin/users/:userId');
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

    it('runs the handler in the request context even after a middleware that loses it', async () => {
      const incoming = incomingTrace();
      expect((await fetch(`${base}/api/v1/pooled`, { headers: { traceparent: incoming.traceparent } })).status).toBe(200);
      const { server, clients } = await oneServerSpan(app, 1);
      expect(server.name).toBe('GET /api/v1/pooled');
      expect(clients[0]!.traceId).toBe(incoming.traceId);
      expect(clients[0]!.parentSpanId).toBe(server.spanId);
    });

    it('records an error that reaches the error middleware with its cause chain, as a 5xx server error', async () => {
      const incoming = incomingTrace();
      const res = await fetch(`${base}/api/v1/fail`, { headers: { traceparent: incoming.traceparent } });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'order lookup failed' });
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

    it('does not count an error the error middleware answers with a 4xx as a server error', async () => {
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

for (const target of APPS_UNDER_TEST.filter((t) => t.entry.endsWith('.js'))) {
  describe(`${target.label}, with runtime HTTP instrumentation already installed`, () => {
    let app: AppProcess;
    let base: string;

    beforeAll(async () => {
      const copy = instrumentedCopy(target);
      app = await startApp(path.join(copy, target.entry), {
        env: { DOWNSTREAM_URL: downstream.url, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` },
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
}
