// Express end to end: example apps (Express 5 CommonJS, Express 5 ESM TypeScript, Express 4
// CommonJS) are copied, instrumented by the built CLI, started with the real SDK, and called over
// loopback; their outgoing calls reach a real downstream HTTP server. The cases every framework
// shares are in server-contract.ts; this file adds what only Express has.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../support/app-process.js';
import { instrumentedCopy, oneServerSpan, RUNTIME_INSTRUMENTATION, runtimeEnrichmentContract, serverContract, strictTypeErrors, useDownstream, useRunningServer, type ServerApp, type ServerFramework } from './server-contract.js';

interface ExpressApp extends ServerApp {
  /** The file that creates the routers. */
  routes: string;
}

const EXPRESS: ServerFramework<ExpressApp> = {
  package: 'express',
  contextLoser: 'a middleware',
  // The apps' error middleware answers with the message.
  failBody: { error: 'order lookup failed' },
  checkRewrite(copy, app) {
    expect(readFileSync(path.join(copy, app.entry), 'utf8')).toContain('const app = instrumentExpress(express());');
    const routes = readFileSync(path.join(copy, app.routes), 'utf8');
    expect(routes).toMatch(/const v1 = instrumentRouter\((express\.)?Router\(\)\);/);
    expect(routes).toMatch(/const api = instrumentRouter\((express\.)?Router\(\)\);/);
  },
};

const APPS_UNDER_TEST: ExpressApp[] = [
  { label: 'Express 5, CommonJS JavaScript', dir: 'express5-cjs', entry: 'server.js', routes: 'routes.js', major: '5' },
  { label: 'Express 5, ESM TypeScript', dir: 'express5-esm-ts', entry: 'server.ts', routes: 'routes.ts', major: '5' },
  { label: 'Express 4, CommonJS JavaScript', dir: 'express4-cjs', entry: 'server.js', routes: 'routes.js', major: '4', alias: 'express4' },
];

const downstream = useDownstream();

for (const target of APPS_UNDER_TEST) {
  describe(`${target.label}, instrumented by the CLI`, () => {
    let copy: string;
    const server = useRunningServer(downstream, (url) => {
      copy = instrumentedCopy(target, EXPRESS);
      return startApp(path.join(copy, target.entry), { env: { DOWNSTREAM_URL: url } });
    });

    serverContract(server, EXPRESS);

    it.runIf(target.entry.endsWith('.ts'))('still type-checks under strict once instrumented', () => {
      const files = readdirSync(copy, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.includes('node_modules'));
      expect(files).toContain(path.join('otel-instrument', 'express.ts'));
      expect(strictTypeErrors(files.map((f) => path.join(copy, f)))).toEqual([]);
    });

    it('names routes declared with route(...) chains in a mounted router, per method', async () => {
      const { app, base } = server;
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
      const { app, base } = server;
      expect((await fetch(`${base}/reports/2025`)).status).toBe(200);
      expect((await oneServerSpan(app)).server.name).toBe('GET /reports/:year');

      await app.reset();
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const { server: span } = await oneServerSpan(app);
      expect(span.name).toBe('GET /health');
      expect(span.attributes['http.route']).toBe('/health');
    });

    it('includes the mount path of a sub-app', async () => {
      const { app, base } = server;
      const res = await fetch(`${base}/admin/users/u-1`);
      expect(await res.json()).toEqual({ user: 'u-1' });
      const { server: span } = await oneServerSpan(app);
      expect(span.name).toBe('GET /admin/users/:userId');
      expect(span.attributes['http.route']).toBe('/admin/users/:userId');
    });
  });
}

for (const target of APPS_UNDER_TEST.filter((t) => t.entry.endsWith('.js'))) {
  describe(`${target.label}, with runtime HTTP instrumentation already installed`, () => {
    const server = useRunningServer(downstream, (url) =>
      startApp(path.join(instrumentedCopy(target, EXPRESS), target.entry), { env: { DOWNSTREAM_URL: url, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` } }),
    );

    runtimeEnrichmentContract(server);
  });
}
