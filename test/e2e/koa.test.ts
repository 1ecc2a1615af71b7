// Koa end to end: an example CommonJS app, run on Koa 3 and on Koa 2, with @koa/router 15, is
// copied, instrumented by the built CLI, started with the real SDK, and called over loopback; its
// outgoing calls reach a real downstream HTTP server. The cases every framework shares are in
// server-contract.ts; this file adds what only Koa has.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../support/app-process.js';
import { instrumentedCopy, oneServerSpan, RUNTIME_INSTRUMENTATION, runtimeEnrichmentContract, serverContract, useDownstream, useRunningServer, type ServerApp, type ServerFramework } from './server-contract.js';

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

describe('Koa 3 with runtime HTTP instrumentation already installed', () => {
  const server = useRunningServer(downstream, (url) =>
    startApp(path.join(instrumentedCopy(APPS_UNDER_TEST[0]!, KOA), 'server.js'), { env: { DOWNSTREAM_URL: url, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` } }),
  );

  runtimeEnrichmentContract(server);
});
