import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../src/codemod/instrument-source.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { findIn } from '../../test/support/warnings-run.js';
import { koaTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [koaTransform]);

/** The call sites the transform reports for a fixture's input. */
function sitesOf(fixture: string) {
  const file = path.join(fixtures, fixture);
  const outcome = instrumentSource(file, readFileSync(file), {
    transforms: [koaTransform],
    packageType: () => 'module',
    helperSpecifier: () => './otel-instrument/koa.js',
  });
  return outcome.sites.map((s) => ({ kind: s.kind, instrumented: s.instrumented, facts: s.facts }));
}

describe('koa inventory', () => {
  it('reports the app, and each route with its full template (router prefix, nested routers, named routes)', () => {
    expect(sitesOf('esm-default-import-ts/input.ts')).toEqual([
      { kind: 'koa.app', instrumented: false, facts: { instance: 'app' } },
      { kind: 'koa.route', instrumented: true, facts: { method: 'GET', route: '/api/v1/items/:id', instance: 'v1' } },
      { kind: 'koa.route', instrumented: true, facts: { method: 'POST', route: '/api/v1/items', instance: 'v1' } },
      { kind: 'koa.route', instrumented: true, facts: { method: 'GET', route: '/api', instance: 'api' } },
    ]);
  });

  it('reads router.prefix() and chained registrations (`del` is DELETE)', () => {
    expect(sitesOf('cjs-require-js/input.js').filter((s) => s.kind === 'koa.route').map((s) => s.facts)).toEqual([
      { method: 'GET', route: '/orders/:id', instance: 'router' },
      { method: 'DELETE', route: '/orders/:id', instance: 'router' },
    ]);
  });

  it('marks the routes of a router no app of this file uses as unmounted, with its export', () => {
    expect(sitesOf('esm-namespace-import-mjs/input.mjs').map((s) => [s.kind, s.facts])).toEqual([
      ['koa.app', { instance: 'app' }],
      ['koa.route', { method: 'GET', route: '/users/:name', instance: 'users', mounted: false, exports: ['users'] }],
    ]);
  });

  it('finds the same sites, all instrumented, in an already instrumented file', () => {
    expect(sitesOf('already-instrumented/input.ts')).toEqual([
      { kind: 'koa.app', instrumented: true, facts: { instance: 'app' } },
      { kind: 'koa.route', instrumented: true, facts: { method: 'GET', route: '/health', instance: 'router' } },
    ]);
  });

  it('leaves a local class of the same name alone', () => {
    expect(sitesOf('shadowed-ts/input.ts')).toEqual([]);
  });

  it('wraps instances of the file\'s own subclasses of Koa, and warns about an exported one', () => {
    const { sites, warnings } = findIn(koaTransform, path.join(fixtures, 'subclass-ts/input.ts'), ['koa']);
    expect(sites.map((s) => [s.kind, s.line, s.facts.instance])).toEqual([
      ['koa.app', 12, 'app'],
      ['koa.app', 13, 'admin'],
    ]);
    expect(warnings).toEqual(['App extends Koa: its instances made in other modules are not instrumented; wrap them with instrumentKoa(…)']);
  });
});
