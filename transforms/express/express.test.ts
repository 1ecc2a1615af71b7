import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../src/codemod/instrument-source.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { expressTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [expressTransform]);

/** The call sites the transform reports for a fixture's input, as `kind facts` lines. */
function sitesOf(fixture: string) {
  const file = path.join(fixtures, fixture);
  const outcome = instrumentSource(file, readFileSync(file), {
    transforms: [expressTransform],
    packageType: () => 'commonjs',
    helperSpecifier: () => './otel-instrument/express.js',
  });
  return outcome.sites.map((s) => ({ kind: s.kind, line: s.line, instrumented: s.instrumented, facts: s.facts }));
}

describe('express inventory', () => {
  it('reports every app and router, and each route with its full template (mount paths, route chains)', () => {
    const sites = sitesOf('mount-paths-ts/input.ts');
    expect(sites.filter((s) => s.kind !== 'express.route').map((s) => [s.kind, s.facts.instance, s.instrumented])).toEqual([
      ['express.app', 'app', false],
      ['express.router', 'api', false],
      ['express.router', 'v1', false],
      ['express.app', 'admin', false],
    ]);
    expect(sites.filter((s) => s.kind === 'express.route').map((s) => [s.facts.method, s.facts.route, s.instrumented])).toEqual([
      ['GET', '/api/v1/items/:id', true],
      ['GET', '/api/v1/items', true],
      ['POST', '/api/v1/items', true],
      ['ALL', '/admin/users/:userId', true],
      ['GET', '/', true],
    ]);
  });

  it('prefixes routes registered before the router is mounted', () => {
    const routes = sitesOf('esm-named-import-ts/input.ts').filter((s) => s.kind === 'express.route');
    expect(routes.map((s) => s.facts)).toEqual([{ method: 'GET', route: '/orders/:id', instance: 'orders' }]);
    const health = sitesOf('cjs-destructured-require-cjs/input.cjs').filter((s) => s.kind === 'express.route');
    expect(health.map((s) => s.facts)).toEqual([{ method: 'GET', route: '/health', instance: 'health' }]);
  });

  it('reports the own template, marked unmounted, for a router mounted in another file', () => {
    const routes = sitesOf('routes-module-js/input.js').filter((s) => s.kind === 'express.route');
    expect(routes.map((s) => s.facts)).toEqual([
      { method: 'GET', route: '/:id', instance: 'router', mounted: false, exports: ['default'] },
      { method: 'PATCH', route: '/:id/status', instance: 'router', mounted: false, exports: ['default'] },
    ]);
  });

  it('reports the routes of apps made in factory functions, each app its own', () => {
    const sites = sitesOf('factory-app-js/input.js');
    expect(sites.filter((s) => s.kind === 'express.route').map((s) => s.facts)).toEqual([
      { method: 'GET', route: '/health', instance: 'app' },
      { method: 'DELETE', route: '/cache', instance: 'app' },
    ]);
  });

  it('reports a router built by an imported function and mounted under a prefix', () => {
    const mounts = sitesOf('factory-app-js/input.js').filter((s) => s.kind === 'express.mount');
    expect(mounts.map((s) => s.facts)).toEqual([
      { prefix: '/api/users', module: './users', export: 'usersRouter', instance: 'app' },
      { prefix: '/api/orders', module: './orders', export: 'default', instance: 'app' },
    ]);
    // The module that builds it: its routes name the exported function that returns the router.
    const routes = sitesOf('router-factory-ts/input.ts').filter((s) => s.kind === 'express.route');
    expect(routes.map((s) => s.facts)).toEqual([
      { method: 'GET', route: '/:id', instance: 'router', mounted: false, exports: ['usersRouter'] },
      { method: 'DELETE', route: '/:id/sessions', instance: 'router', mounted: false, exports: ['usersRouter'] },
    ]);
  });

  it('follows an instance assigned without a declaration (sloppy-mode global)', () => {
    const outcome = instrumentSource('/virtual/app.js', Buffer.from("const express = require('express');\napp = express();\napp.get('/sloppy', h);\n"), {
      transforms: [expressTransform],
      packageType: () => 'commonjs',
      helperSpecifier: () => './otel-instrument/express.js',
    });
    expect(outcome.sites.filter((s) => s.kind === 'express.route').map((s) => s.facts.route)).toEqual(['/sloppy']);
  });

  it('does not take a parameter or a local of another function for an instance', () => {
    const outcome = instrumentSource('/virtual/app.js', Buffer.from(
      "const express = require('express');\nconst app = express();\nfunction f(app) { app.get('/not-a-route', h); }\nfunction g() { const app = {}; app.post('/nor-this', h); }\napp.get('/ok', h);\n",
    ), { transforms: [expressTransform], packageType: () => 'commonjs', helperSpecifier: () => './otel-instrument/express.js' });
    expect(outcome.sites.filter((s) => s.kind === 'express.route').map((s) => s.facts.route)).toEqual(['/ok']);
  });

  it('follows assignment chains to the instance name (`var app = module.exports = express()`)', () => {
    const sites = sitesOf('cjs-module-exports-js/input.js');
    expect(sites.map((s) => [s.kind, s.facts.instance, s.facts.route])).toEqual([
      ['express.app', 'app', undefined],
      ['express.router', 'users', undefined],
      ['express.route', 'users', '/users/:name'],
    ]);
  });

  it('reports routers imported from other modules with the prefix they are mounted at', () => {
    const mounts = sitesOf('imported-routers-js/input.js').filter((s) => s.kind === 'express.mount');
    expect(mounts.map((s) => s.facts)).toEqual([
      { prefix: '/api/orders', module: './orders', export: 'orders', instance: 'api' },
      { prefix: '/users', module: './users', export: 'default', instance: 'app' },
      { prefix: '', module: './health', export: 'router', instance: 'app' },
    ]);
  });

  it('finds the same sites, all instrumented, in an already instrumented file', () => {
    const sites = sitesOf('already-instrumented/input.ts');
    expect(sites.map((s) => [s.kind, s.instrumented, s.facts.route])).toEqual([
      ['express.app', true, undefined],
      ['express.router', true, undefined],
      ['express.route', true, '/api/orders/:id'],
    ]);
  });

  it('skips calls through names that hide the import', () => {
    const sites = sitesOf('shadowed-ts/input.ts');
    expect(sites.map((s) => [s.kind, s.facts.instance])).toEqual([
      ['express.app', 'app'],
      ['express.router', 'router'],
    ]);
  });
});
