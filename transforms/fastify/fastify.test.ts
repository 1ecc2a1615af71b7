import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../src/codemod/instrument-source.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { fastifyTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [fastifyTransform]);

/** The call sites the transform reports for a fixture's input. */
function sitesOf(fixture: string) {
  const file = path.join(fixtures, fixture);
  const outcome = instrumentSource(file, readFileSync(file), {
    transforms: [fastifyTransform],
    packageType: () => 'module',
    helperSpecifier: () => './otel-instrument/fastify.js',
  });
  return outcome.sites.map((s) => ({ kind: s.kind, line: s.line, instrumented: s.instrumented, facts: s.facts }));
}

describe('fastify inventory', () => {
  it('reports each instance, and each route with its full template (register prefixes, route({...}), shorthands)', () => {
    const sites = sitesOf('routes-and-plugins-ts/input.ts');
    expect(sites.filter((s) => s.kind === 'fastify.app').map((s) => [s.facts.instance, s.instrumented])).toEqual([
      ['app', false],
      ['server', false],
    ]);
    const routes = sites.filter((s) => s.kind === 'fastify.route');
    expect(routes.every((s) => s.instrumented)).toBe(true);
    expect(routes.map((s) => s.facts).sort((a, b) => `${a.route} ${a.method}`.localeCompare(`${b.route} ${b.method}`))).toEqual([
      { method: 'DELETE', route: '/admin/users/:id', instance: 'admin' },
      { method: 'GET', route: '/api', instance: 'instance' },
      { method: 'GET', route: '/api/orders/:orderId', instance: 'instance' },
      { method: 'HEAD', route: '/api/orders/:orderId', instance: 'instance' },
      { method: 'PUT', route: '/api/orders/:orderId', instance: 'instance' },
      { method: 'ALL', route: '/api/v1/any', instance: 'instance' },
      { method: 'POST', route: '/api/v1/items', instance: 'instance' },
      { method: 'GET', route: '/api/v1/items/:id', instance: 'instance' },
      { method: 'GET', route: '/built', instance: 'server' },
      { method: 'GET', route: '/dyn', instance: 'instance', mounted: false },
      { method: 'GET', route: '/external', instance: 'plugin', mounted: false, exports: ['external'] },
      { method: 'GET', route: '/health', instance: 'app' },
    ]);
  });

  it('reports plugins of other modules registered under a prefix, and the routes those modules export', () => {
    const sites = sitesOf('factory-register-imported-mjs/input.mjs');
    expect(sites.filter((s) => s.kind !== 'fastify.app').map((s) => [s.kind, s.facts])).toEqual([
      ['fastify.route', { method: 'GET', route: '/health', instance: 'app' }],
      ['fastify.mount', { prefix: '/api/users', module: './users.js', export: 'usersRoutes', instance: 'app' }],
      ['fastify.mount', { prefix: '/api/orders', module: './orders.js', export: 'default', instance: 'app' }],
    ]);
    // The plugin module: a function taking a FastifyInstance, and a typed plugin exported as default.
    expect(sitesOf('plugin-module-ts/input.ts').map((s) => s.facts)).toEqual([
      { method: 'GET', route: '/:id', instance: 'app', mounted: false, exports: ['usersRoutes'] },
      { method: 'DELETE', route: '/:id/sessions', instance: 'app', mounted: false, exports: ['usersRoutes'] },
      { method: 'POST', route: '/', instance: 'app', mounted: false, exports: ['default'] },
    ]);
  });

  it('finds the same routes in an already instrumented file, and nothing to do', () => {
    const sites = sitesOf('routes-and-plugins-ts/output.ts');
    expect(sites.every((s) => s.instrumented)).toBe(true);
    expect(sites.filter((s) => s.kind === 'fastify.route')).toHaveLength(12);
  });
});
