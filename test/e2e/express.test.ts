// Express end to end: example apps (Express 5 CommonJS, Express 5 ESM TypeScript, Express 4
// CommonJS) are copied, instrumented by the built CLI, started with the real SDK, and called over
// loopback; their outgoing calls reach a real downstream HTTP server. The cases every framework
// shares are in server-contract.ts; this file adds what only Express has.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { startApp } from '../support/app-process.js';
import { copyApp, runCli } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';
import { linkPackageAlias, loadedMajor } from '../support/package-alias.js';
import { oneServerSpan, RUNTIME_INSTRUMENTATION, runtimeEnrichmentContract, serverContract, useDownstream, useRunningServer, type ServerFramework } from './server-contract.js';

const APPS = path.join(repoRoot, 'test/e2e/apps');

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
const linkExpress4 = (copy: string) => linkPackageAlias(copy, 'express', 'express4');

const EXPRESS: ServerFramework = {
  contextLoser: 'a middleware',
  // The apps' error middleware answers with the message.
  failBody: { error: 'order lookup failed' },
};

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
  expect(loadedMajor(path.join(copy, target.entry), 'express')).toBe(target.major);
  return copy;
}

const downstream = useDownstream();

for (const target of APPS_UNDER_TEST) {
  describe(`${target.label}, instrumented by the CLI`, () => {
    let copy: string;
    const server = useRunningServer(downstream, (url) => {
      copy = instrumentedCopy(target);
      return startApp(path.join(copy, target.entry), { env: { DOWNSTREAM_URL: url } });
    });

    serverContract(server, EXPRESS);

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
      startApp(path.join(instrumentedCopy(target), target.entry), { env: { DOWNSTREAM_URL: url, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` } }),
    );

    runtimeEnrichmentContract(server);
  });
}
