// What every instrumented HTTP server must do end to end, whatever its framework: the `it(...)`
// cases test/e2e/express.test.ts and test/e2e/fastify.test.ts register for each of their apps.
// The apps share one route table (/api/v1/items/:id, /api/v1/fail, /health…) so one set of
// expectations holds for all; what only one framework has stays in its own test file.
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { AppProcess, SpanRecord } from '../support/app-process.js';
import { copyApp, runCli } from '../support/cli.js';
import { hex, incomingTrace, startDownstream, type Downstream } from '../support/downstream.js';
import { repoRoot } from '../support/golden.js';
import { linkPackageAlias, loadedMajor } from '../support/package-alias.js';

export const SERVER = 1;
export const CLIENT = 2;
export const STATUS_UNSET = 0;
export const STATUS_ERROR = 2;
/** The tracer name of the spans our helpers start. */
export const OUR_SCOPE = 'otel-instrument';
/** The real @opentelemetry/instrumentation-http, preloaded with `--import`. */
const APPS = path.join(repoRoot, 'test/e2e/apps');
export const RUNTIME_INSTRUMENTATION = path.join(APPS, 'fastify-runtime-instrumentation/preload.mjs');
const RUNTIME_SCOPE = '@opentelemetry/instrumentation-http';

const serverSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === SERVER);
const clientSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === CLIENT);

/** The type errors of `files` compiled as an instrumented app is, under strict (empty when it type-checks). */
export function strictTypeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(repoRoot, 'node_modules/@types')],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Waits for the request's SERVER span (and `clients` CLIENT spans); there must be exactly one. */
export async function oneServerSpan(app: AppProcess, clients = 0) {
  const spans = await app.waitForSpans((s) => serverSpans(s).length >= 1 && clientSpans(s).length >= clients);
  expect(serverSpans(spans)).toHaveLength(1);
  return { server: serverSpans(spans)[0]!, clients: clientSpans(spans), spans };
}

/** One downstream service for the calling file's tests: started before them, closed after. */
export function useDownstream(): () => Downstream {
  let downstream: Downstream | undefined;
  beforeAll(async () => {
    downstream = await startDownstream();
  });
  afterAll(async () => {
    await downstream?.close();
  });
  return () => downstream!;
}

/** A started app under test, the URL it answers on and the downstream it calls. */
export interface RunningServer {
  app: AppProcess;
  base: string;
  downstream: Downstream;
}

/**
 * Starts the app (`start` gets the downstream URL) before the enclosing describe's tests and
 * stops it after them; before each test its spans and the downstream's requests are cleared.
 * The returned handle is filled in once the app is up.
 */
export function useRunningServer(downstream: () => Downstream, start: (downstreamUrl: string) => Promise<AppProcess>): RunningServer {
  const server = {} as RunningServer;
  beforeAll(async () => {
    server.downstream = downstream();
    server.app = await start(server.downstream.url);
    server.base = `http://127.0.0.1:${server.app.ready.port}`;
  });
  afterAll(async () => {
    await server.app?.stop();
  });
  beforeEach(async () => {
    await server.app.reset();
    server.downstream.received.length = 0;
  });
  return server;
}

/** An example app (a folder of test/e2e/apps) and the framework major it must load. */
export interface ServerApp {
  label: string;
  dir: string;
  /** The file that creates the app. */
  entry: string;
  major: string;
  /** The repo's npm alias of that major (`express4`), linked as the copy's node_modules/<framework>. */
  alias?: string;
}

/** Where the frameworks differ in what the shared routes answer or in how they are written. */
export interface ServerFramework<App extends ServerApp = ServerApp> {
  /** The package the apps load (`express`). */
  package: string;
  /** What runs before the handler and loses the request's context, in a test title. */
  contextLoser: string;
  /** The body the app's error handling answers `GET /api/v1/fail` with. */
  failBody: unknown;
  /** Checks what the CLI wrote into the copy (the framework's wrapping of the app). */
  checkRewrite(copy: string, app: App): void;
}

/**
 * Copies the app, runs the real CLI on it and checks the rewrite, that a second look finds
 * nothing left to do, and that the app really loads the framework major under test.
 */
export function instrumentedCopy<App extends ServerApp>(app: App, framework: ServerFramework<App>): string {
  const copy = copyApp(path.join(APPS, app.dir), app.dir);
  if (app.alias) linkPackageAlias(copy, framework.package, app.alias);
  const run = runCli(['.'], copy);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  framework.checkRewrite(copy, app);
  const check = runCli(['--check', '.'], copy);
  expect(check.stdout + check.stderr).toBe('');
  expect(check.status).toBe(0);
  expect(loadedMajor(path.join(copy, app.entry), framework.package)).toBe(app.major);
  return copy;
}

/** Registers the cases every instrumented server passes, against the app `server` runs. */
export function serverContract(server: RunningServer, framework: Pick<ServerFramework, 'contextLoser' | 'failBody'>): void {
  it('continues the incoming trace, names the span after the full route and forwards baggage', async () => {
    const { app, base, downstream } = server;
    const incoming = incomingTrace();
    const res = await fetch(`${base}/api/v1/items/42?page=2&token=abc123`, {
      headers: { traceparent: incoming.traceparent, tracestate: 'vendor=opaque-1', baggage: 'tenant=acme,session=s3cr3t', 'user-agent': 'e2e-client/1.0' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '42', stock: { available: 3 } });

    const { server: span, clients, spans } = await oneServerSpan(app, 1);
    expect(span.scope).toBe(OUR_SCOPE);
    expect(span.name).toBe('GET /api/v1/items/:id');
    expect(span.traceId).toBe(incoming.traceId);
    expect(span.parentSpanId).toBe(incoming.parentId);
    expect(span.status.code).toBe(STATUS_UNSET);
    expect(span.attributes).toEqual({
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
    expect(client.parentSpanId).toBe(span.spanId);
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

  it('traces a POST with a body, propagating to the downstream call', async () => {
    const { app, base, downstream } = server;
    const incoming = incomingTrace();
    const res = await fetch(`${base}/api/v1/items`, {
      method: 'POST',
      headers: { traceparent: incoming.traceparent, 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'A-1' }),
    });
    expect(res.status).toBe(201);
    const { server: span, clients } = await oneServerSpan(app, 1);
    expect(span.name).toBe('POST /api/v1/items');
    expect(span.parentSpanId).toBe(incoming.parentId);
    expect(span.attributes['http.response.status_code']).toBe(201);
    expect(clients[0]!.parentSpanId).toBe(span.spanId);
    expect(clients[0]!.name).toBe('POST');
    expect(downstream.received[0]!.method).toBe('POST');
    expect(downstream.received[0]!.headers.traceparent).toBe(`00-${incoming.traceId}-${clients[0]!.spanId}-01`);
    // Request bodies never become attributes.
    expect(JSON.stringify(span.attributes)).not.toContain('A-1');
  });

  it(`runs the handler in the request context even after ${framework.contextLoser} that loses it`, async () => {
    const incoming = incomingTrace();
    expect((await fetch(`${server.base}/api/v1/pooled`, { headers: { traceparent: incoming.traceparent } })).status).toBe(200);
    const { server: span, clients } = await oneServerSpan(server.app, 1);
    expect(span.name).toBe('GET /api/v1/pooled');
    expect(clients[0]!.traceId).toBe(incoming.traceId);
    expect(clients[0]!.parentSpanId).toBe(span.spanId);
  });

  it('records an error thrown by a handler with its cause chain, as a 5xx server error', async () => {
    const incoming = incomingTrace();
    const res = await fetch(`${server.base}/api/v1/fail`, { headers: { traceparent: incoming.traceparent } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual(framework.failBody);
    const { server: span } = await oneServerSpan(server.app);
    expect(span.name).toBe('GET /api/v1/fail');
    expect(span.parentSpanId).toBe(incoming.parentId);
    expect(span.status.code).toBe(STATUS_ERROR);
    expect(span.attributes['error.type']).toBe('Error');
    expect(span.attributes['http.response.status_code']).toBe(500);
    const exceptions = span.events.filter((e) => e.name === 'exception');
    expect(exceptions).toHaveLength(1);
    const exception = exceptions[0]!.attributes!;
    expect(exception['exception.type']).toBe('Error');
    expect(exception['exception.message']).toBe('order lookup failed');
    expect(exception['exception.stacktrace']).toMatch(/^Error: order lookup failed\n/);
    expect(exception['exception.stacktrace']).toContain('\nCaused by: TypeError: connection reset by stock service');
  });

  it('does not count an error answered with a 4xx as a server error: the client’s error', async () => {
    expect((await fetch(`${server.base}/api/v1/invalid`)).status).toBe(400);
    const { server: span } = await oneServerSpan(server.app);
    expect(span.name).toBe('GET /api/v1/invalid');
    expect(span.attributes['http.response.status_code']).toBe(400);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.status.code).toBe(STATUS_UNSET);
    expect(span.events).toEqual([]);
  });

  it('marks a 5xx answered without an exception with error.type = the status code', async () => {
    expect((await fetch(`${server.base}/api/unavailable`)).status).toBe(503);
    const { server: span } = await oneServerSpan(server.app);
    expect(span.name).toBe('GET /api/unavailable');
    expect(span.status.code).toBe(STATUS_ERROR);
    expect(span.attributes['error.type']).toBe('503');
    expect(span.events).toEqual([]);
  });

  it('treats an unmatched request (404) as the client’s error: no route, no ERROR status', async () => {
    expect((await fetch(`${server.base}/api/v1/nothing-here`)).status).toBe(404);
    const { server: span } = await oneServerSpan(server.app);
    expect(span.name).toBe('GET');
    expect(span.attributes['http.route']).toBeUndefined();
    expect(span.attributes['http.response.status_code']).toBe(404);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.status.code).toBe(STATUS_UNSET);
  });

  it('starts a new root trace for an untraced request, and its downstream call joins it', async () => {
    expect((await fetch(`${server.base}/api/v1/items/9`)).status).toBe(200);
    const { server: span, clients } = await oneServerSpan(server.app, 1);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.traceId).not.toBe('0'.repeat(32));
    expect(clients[0]!.traceId).toBe(span.traceId);
    expect(server.downstream.received[0]!.headers.traceparent).toBe(`00-${span.traceId}-${clients[0]!.spanId}-01`);
  });

  it('does not throw on a malformed traceparent: the request is served as a new root', async () => {
    const malformed = ['garbage', `00-${'z'.repeat(32)}-${hex(8)}-01`, `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`, `00-${hex(16)}-${hex(8)}`, ''];
    for (const traceparent of malformed) {
      await server.app.reset();
      const res = await fetch(`${server.base}/api/orders/1`, { headers: { traceparent, baggage: '%%%not-baggage' } });
      expect(res.status, traceparent).toBe(200);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.parentSpanId, traceparent).toBeUndefined();
      expect(span.name).toBe('GET /api/orders/:orderId');
    }
  });
}

/**
 * Registers the cases for an app started with the runtime instrumentation-http preloaded
 * (`RUNTIME_INSTRUMENTATION`): our helpers enrich its SERVER span instead of starting another.
 */
export function runtimeEnrichmentContract(server: RunningServer): void {
  it('enriches the runtime SERVER span instead of starting a second one', async () => {
    const incoming = incomingTrace();
    const res = await fetch(`${server.base}/api/v1/items/42`, { headers: { traceparent: incoming.traceparent } });
    expect(res.status).toBe(200);
    const { server: span, clients } = await oneServerSpan(server.app, 1);
    expect(span.scope).toBe(RUNTIME_SCOPE);
    expect(span.traceId).toBe(incoming.traceId);
    expect(span.parentSpanId).toBe(incoming.parentId);
    expect(span.attributes['http.route']).toBe('/api/v1/items/:id');
    expect(span.name).toBe('GET /api/v1/items/:id');
    expect(clients).toHaveLength(1);
    expect(clients[0]!.scope).toBe(OUR_SCOPE);
    expect(clients[0]!.parentSpanId).toBe(span.spanId);
    expect(server.downstream.received[0]!.headers.traceparent).toBe(`00-${incoming.traceId}-${clients[0]!.spanId}-01`);
  });

  it('records the error with its cause chain on the runtime SERVER span', async () => {
    expect((await fetch(`${server.base}/api/v1/fail`)).status).toBe(500);
    const { server: span } = await oneServerSpan(server.app);
    expect(span.scope).toBe(RUNTIME_SCOPE);
    expect(span.attributes['http.route']).toBe('/api/v1/fail');
    expect(span.status.code).toBe(STATUS_ERROR);
    expect(span.attributes['error.type']).toBe('Error');
    const exception = span.events.find((e) => e.name === 'exception')!.attributes!;
    expect(exception['exception.stacktrace']).toContain('Caused by: TypeError: connection reset by stock service');
  });
}
