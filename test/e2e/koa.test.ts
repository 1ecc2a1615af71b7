// Koa end to end: an example CommonJS app, run on Koa 3 and on Koa 2, with @koa/router 15, and an
// ESM TypeScript app on Koa 3 that leaves errors to Koa's own handler, are
// copied, instrumented by the built CLI, started with the real SDK, and called over loopback; the
// outgoing calls reach a real downstream HTTP server. The cases every framework shares are in
// server-contract.ts; this file adds what only Koa has.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../support/app-process.js';
import { instrumentedCopy, oneServerSpan, RUNTIME_INSTRUMENTATION, runtimeEnrichmentContract, serverContract, STATUS_ERROR, STATUS_UNSET, strictTypeErrors, useDownstream, useRunningServer, type ServerApp, type ServerFramework } from './server-contract.js';

const KOA: ServerFramework = {
  package: 'koa',
  contextLoser: 'a route middleware',
  // The app's first middleware answers errors with their message, and re-emits them.
  failBody: { error: 'order lookup failed' },
  checkRewrite(copy, app) {
    expect(readFileSync(path.join(copy, app.entry), 'utf8')).toContain('const app = instrumentKoa(new Koa());');
  },
};

const APPS_UNDER_TEST: ServerApp[] = [
  { label: 'Koa 3, CommonJS JavaScript', dir: 'koa-cjs', entry: 'server.js', major: '3' },
  { label: 'Koa 2, CommonJS JavaScript', dir: 'koa-cjs', entry: 'server.js', major: '2', alias: 'koa2' },
];

const downstream = useDownstream();

for (const target of APPS_UNDER_TEST) {
  describe(`${target.label}, instrumented by the CLI`, () => {
    const server = useRunningServer(downstream, (url) => startApp(path.join(instrumentedCopy(target, KOA), target.entry), { env: { DOWNSTREAM_URL: url } }));

    serverContract(server, KOA);

    it('names chained routes of a prefixed router, per method', async () => {
      const { app, base } = server;
      expect((await fetch(`${base}/api/orders/7`)).status).toBe(200);
      expect((await oneServerSpan(app)).server.name).toBe('GET /api/orders/:orderId');
      await app.reset();
      expect((await fetch(`${base}/api/orders/7`, { method: 'PUT' })).status).toBe(204);
      const put = await oneServerSpan(app);
      expect(put.server.name).toBe('PUT /api/orders/:orderId');
      expect(put.server.attributes['http.route']).toBe('/api/orders/:orderId');
    });

    it('names routes of a second router used by the app', async () => {
      expect((await fetch(`${server.base}/health`)).status).toBe(200);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /health');
      expect(span.attributes['http.route']).toBe('/health');
    });
  });
}

describe('Koa 3, ESM TypeScript, errors left to Koa’s own handler', () => {
  const target: ServerApp = { label: 'Koa 3, ESM TypeScript', dir: 'koa3-esm-ts', entry: 'server.ts', major: '3' };
  let copy: string;
  const server = useRunningServer(downstream, () => {
    copy = instrumentedCopy(target, { ...KOA, checkRewrite: (dir) => expect(readFileSync(path.join(dir, 'server.ts'), 'utf8')).toContain('const app = instrumentKoa(new Koa());') });
    return startApp(path.join(copy, target.entry));
  });

  it('still type-checks under strict once instrumented', () => {
    expect(strictTypeErrors([path.join(copy, 'server.ts')])).toEqual([]);
  });

  it('records an error Koa answers itself (500), once, with its cause chain', async () => {
    expect((await fetch(`${server.base}/api/fail/3`)).status).toBe(500);
    const { server: span } = await oneServerSpan(server.app);
    expect(span.name).toBe('GET /api/fail/:id');
    expect(span.status.code).toBe(STATUS_ERROR);
    const exceptions = span.events.filter((e) => e.name === 'exception');
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]!.attributes!['exception.stacktrace']).toContain('Caused by: RangeError: disk quota exceeded');
  });

  it('leaves ctx.throw(4xx) as the client’s error', async () => {
    expect((await fetch(`${server.base}/api/teapot`)).status).toBe(418);
    const { server: span } = await oneServerSpan(server.app);
    expect(span.name).toBe('GET /api/teapot');
    expect(span.status.code).toBe(STATUS_UNSET);
    expect(span.events).toEqual([]);
  });
});

describe('Koa 3 with runtime HTTP instrumentation already installed', () => {
  const server = useRunningServer(downstream, (url) =>
    startApp(path.join(instrumentedCopy(APPS_UNDER_TEST[0]!, KOA), 'server.js'), { env: { DOWNSTREAM_URL: url, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` } }),
  );

  runtimeEnrichmentContract(server);
});
