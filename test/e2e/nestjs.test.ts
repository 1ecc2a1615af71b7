// NestJS end to end: one example app (TypeScript, compiled with tsc for Nest's decorator
// metadata) is copied, instrumented by the built CLI, compiled, started with the real SDK on
// Nest 12's Express adapter and on its Fastify adapter, and called over loopback; its outgoing
// calls reach a real downstream HTTP server. The cases every framework shares are in
// server-contract.ts; this file adds what only Nest has: guards, pipes, exception filters, global
// prefix and URI versioning in the route.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../support/app-process.js';
import { repoRoot } from '../support/golden.js';
import { instrumentedCopy, oneServerSpan, RUNTIME_INSTRUMENTATION, runtimeEnrichmentContract, serverContract, STATUS_ERROR, STATUS_UNSET, useDownstream, useRunningServer, type ServerApp, type ServerFramework } from './server-contract.js';

interface NestApp extends ServerApp {
  adapter: 'express' | 'fastify';
}

const NEST: ServerFramework<NestApp> = {
  package: '@nestjs/core',
  contextLoser: 'a Nest middleware',
  // Nest's built-in exception filter.
  failBody: { statusCode: 500, message: 'Internal server error' },
  checkRewrite(copy) {
    const main = readFileSync(path.join(copy, 'src/main.ts'), 'utf8');
    expect(main).toContain('await instrumentNest(NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false }))');
    expect(main).toContain('await instrumentNest(NestFactory.create(AppModule, { logger: false }))');
    // The express transform wraps the app given to the adapter: the Nest helper must not trace it twice.
    expect(main).toContain('await instrumentNest(NestFactory.create(AppModule, new ExpressAdapter(instrumentExpress(express())), { logger: false }))');
  },
};

const APPS_UNDER_TEST: NestApp[] = [
  { label: 'NestJS 12, Express adapter', dir: 'nestjs-ts', entry: 'src/main.ts', major: '12', adapter: 'express' },
  { label: 'NestJS 12, Fastify adapter', dir: 'nestjs-ts', entry: 'src/main.ts', major: '12', adapter: 'fastify' },
];

let compiled: string | undefined;

/**
 * Instruments a copy with the CLI and compiles it with the repository's tsc, once for the file
 * (the adapter is chosen at start): the entry to run.
 */
function compiledCopy(target: NestApp): string {
  if (compiled) return compiled;
  const copy = instrumentedCopy(target, NEST);
  const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', copy], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  compiled = path.join(copy, 'dist/main.js');
  return compiled;
}

const downstream = useDownstream();

for (const target of APPS_UNDER_TEST) {
  describe(`${target.label}, instrumented by the CLI`, () => {
    const server = useRunningServer(downstream, (url) => startApp(compiledCopy(target), { env: { DOWNSTREAM_URL: url, NEST_ADAPTER: target.adapter }, timeoutMs: 60_000 }));

    serverContract(server, NEST);

    it('names a controller route outside the global prefix (excluded) after its controller path', async () => {
      expect((await fetch(`${server.base}/health`)).status).toBe(200);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /health');
      expect(span.attributes['http.route']).toBe('/health');
    });

    it('records an error thrown by a guard, with its cause chain', async () => {
      expect((await fetch(`${server.base}/api/v1/guarded`)).status).toBe(500);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /api/v1/guarded');
      expect(span.status.code).toBe(STATUS_ERROR);
      const exception = span.events.find((e) => e.name === 'exception')!.attributes!;
      expect(exception['exception.message']).toBe('session store down');
      expect(exception['exception.stacktrace']).toContain('Caused by: Error: ECONNRESET');
    });

    it('does not count a pipe’s validation failure (400) as a server error', async () => {
      expect((await fetch(`${server.base}/api/v1/pages/abc`)).status).toBe(400);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /api/v1/pages/:page');
      expect(span.status.code).toBe(STATUS_UNSET);
      expect(span.events).toEqual([]);
    });

    it('keeps the status a scoped exception filter chose (502) and records the exception it answered', async () => {
      const res = await fetch(`${server.base}/api/v1/reserve/A-1`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ error: 'bad gateway', sku: 'A-1' });
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /api/v1/reserve/:sku');
      expect(span.attributes['http.response.status_code']).toBe(502);
      expect(span.attributes['error.type']).toBe('StockUnavailableError');
      const exception = span.events.find((e) => e.name === 'exception')!.attributes!;
      expect(exception['exception.stacktrace']).toContain('Caused by: Error: warehouse offline');
    });

    it('records what an exception filter throws itself, with the error it was handling as its cause', async () => {
      expect((await fetch(`${server.base}/api/v1/audit`)).status).toBe(500);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /api/v1/audit');
      expect(span.status.code).toBe(STATUS_ERROR);
      const exceptions = span.events.filter((e) => e.name === 'exception');
      expect(exceptions).toHaveLength(1);
      expect(exceptions[0]!.attributes!['exception.message']).toBe('audit filter failed');
      expect(exceptions[0]!.attributes!['exception.stacktrace']).toContain('Caused by: Error: audit trail missing');
    });
  });
}

describe('NestJS 12, Express adapter given an app the express transform instrumented', () => {
  const server = useRunningServer(downstream, (url) => startApp(compiledCopy(APPS_UNDER_TEST[0]!), { env: { DOWNSTREAM_URL: url, NEST_ADAPTER: 'express-instance' }, timeoutMs: 60_000 }));

  it('starts one SERVER span per request, named after the full route, and records errors once', async () => {
    const res = await fetch(`${server.base}/api/v1/items/5`);
    expect(res.status).toBe(200);
    const { server: span, clients } = await oneServerSpan(server.app, 1);
    expect(span.name).toBe('GET /api/v1/items/:id');
    expect(clients[0]!.parentSpanId).toBe(span.spanId);

    await server.app.reset();
    expect((await fetch(`${server.base}/api/v1/fail`)).status).toBe(500);
    const failed = await oneServerSpan(server.app);
    expect(failed.server.events.filter((e) => e.name === 'exception')).toHaveLength(1);
  });
});

for (const target of APPS_UNDER_TEST) {
  describe(`${target.label} with runtime HTTP instrumentation already installed`, () => {
    const server = useRunningServer(downstream, (url) =>
      startApp(compiledCopy(target), { env: { DOWNSTREAM_URL: url, NEST_ADAPTER: target.adapter, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` }, timeoutMs: 60_000 }),
    );

    runtimeEnrichmentContract(server);
  });
}
