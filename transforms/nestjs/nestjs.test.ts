import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../src/codemod/instrument-source.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { nestjsTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [nestjsTransform]);

/** The call sites the transform reports for a fixture's input. */
function sitesOf(fixture: string) {
  const file = path.join(fixtures, fixture);
  const outcome = instrumentSource(file, readFileSync(file), {
    transforms: [nestjsTransform],
    packageType: () => 'module',
    helperSpecifier: () => './otel-instrument/nestjs.js',
  });
  return outcome.sites.map((s) => ({ kind: s.kind, instrumented: s.instrumented, facts: s.facts }));
}

describe('nestjs inventory', () => {
  it('reports the application with its global prefix, the paths it excludes, and URI versioning', () => {
    expect(sitesOf('main-express-ts/input.ts')).toEqual([{ kind: 'nestjs.app', instrumented: false, facts: { instance: 'app', prefix: '/api', versioning: 'uri', versionPrefix: 'v' } }]);
    expect(sitesOf('main-fastify-adapter-ts/input.ts').map((s) => s.facts)).toEqual([{ instance: 'app', prefix: '/v2', prefixExclude: ['/health', '/metrics'] }]);
  });

  it('reports each controller route with its controller and method paths, methods and versions', () => {
    expect(sitesOf('controllers-ts/input.ts').map((s) => s.facts)).toEqual([
      { method: 'GET', route: '/orders/:id', controller: 'OrdersController', mounted: false },
      { method: 'POST', route: '/orders', controller: 'OrdersController', mounted: false },
      { method: 'DELETE', route: '/orders/:id', controller: 'OrdersController', mounted: false, version: '2' },
      { method: 'DELETE', route: '/orders/by-ref/:ref', controller: 'OrdersController', mounted: false, version: '2' },
      { method: 'GET', route: '/users', controller: 'UsersController', mounted: false, version: '1' },
      { method: 'GET', route: '/users', controller: 'UsersController', mounted: false, version: '2' },
    ]);
  });

  it('finds the application instrumented in an already instrumented file', () => {
    expect(sitesOf('already-instrumented/input.ts')).toEqual([{ kind: 'nestjs.app', instrumented: true, facts: { instance: 'app' } }]);
  });
});
