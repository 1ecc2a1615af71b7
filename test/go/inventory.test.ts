// The inventory `otel-instrument go` reads sees what the codemod sees, on plain apps: apps made
// in factory functions, routers and plugins built in other modules and mounted under a prefix
// (through chains of modules), and no package.json anywhere (go writes none, so it is no error).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectInventory, type Inventory } from '../../src/go/inventory.js';
import { runCli } from '../support/cli.js';
import { goTestDir } from './cases.js';

// Outside the repository, so that no package.json is found at or above the app.
const work = mkdtempSync(path.join(os.tmpdir(), 'otel-instrument-go-inventory-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copyFixture(name: string, as = name): string {
  const dir = path.join(work, as);
  cpSync(path.join(goTestDir, 'fixtures/apps', name), dir, { recursive: true });
  return dir;
}

const routesOf = (inventory: Inventory) => inventory.routes.map((r) => `${r.method} ${r.route}${r.mounted === false ? ' (unmounted)' : ''} ${r.file}:${r.line}`);

describe('go inventory of plain apps', () => {
  it('Express: routes of an app made in a factory, of routers built by imported functions, mounted through modules', async () => {
    const app = copyFixture('plain-express');
    const { inventory, errors } = await collectInventory([app], app);
    expect(errors).toEqual([]);
    expect(routesOf(inventory)).toEqual([
      'GET /health app.js:10',
      'GET /api/orders/:orderId/items routes/items.js:5',
      'POST /api/orders routes/orders.js:6',
      'GET /api/users/:id routes/users.js:5',
      'DELETE /api/users/:id routes/users.js:6',
    ]);
  });

  it('Fastify: a server built by a function registering a plugin module under a prefix', async () => {
    const app = copyFixture('plain-fastify');
    const { inventory, errors } = await collectInventory([app], app);
    expect(errors).toEqual([]);
    expect(routesOf(inventory)).toEqual(['GET /health server.ts:7', 'GET /api/users/:id users.ts:4']);
  });

  it('Koa: @koa/router routers with prefixes, nested in a router of another module, used by the app', async () => {
    const app = copyFixture('plain-koa');
    const { inventory, errors } = await collectInventory([app], app);
    expect(errors).toEqual([]);
    expect(routesOf(inventory)).toEqual(['GET /health app.js:7', 'GET /api/v1/users/:id routes/users.js:4', 'DELETE /api/v1/users/:id routes/users.js:7']);
  });

  it('NestJS: controller routes get the global prefix (unless it excludes them) and the URI version of the application', async () => {
    const app = copyFixture('plain-nestjs');
    const { inventory, errors } = await collectInventory([app], app);
    expect(errors).toEqual([]);
    expect(routesOf(inventory)).toEqual(['GET /health src/health.controller.ts:5', 'GET /api/orders/:id src/orders/orders.controller.ts:5', 'POST /api/v2/orders src/orders/orders.controller.ts:10']);
  });

  it('a mount cycle between modules ends, its routes left unmounted', async () => {
    const dir = copyFixture('plain-express', 'cycle');
    writeFileSync(path.join(dir, 'a.js'), "const { Router } = require('express');\nconst b = require('./b');\nconst a = Router();\na.get('/x', h);\na.use('/b', b);\nmodule.exports = a;\n");
    writeFileSync(path.join(dir, 'b.js'), "const { Router } = require('express');\nconst a = require('./a');\nconst b = Router();\nb.get('/y', h);\nb.use('/a', a);\nmodule.exports = b;\n");
    const { inventory } = await collectInventory([path.join(dir, 'a.js'), path.join(dir, 'b.js')], dir);
    expect(routesOf(inventory)).toEqual(['GET /x (unmounted) a.js:4', 'GET /y (unmounted) b.js:4']);
  });

  it('`go --json` exits 0 with no package.json at or above the app, and prints the mounted routes', () => {
    const app = copyFixture('plain-express', 'plain-express-cli');
    const result = runCli(['go', '.', '--json'], app);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Inventory).routes.map((r) => `${r.method} ${r.route}`)).toContain('GET /api/users/:id');
  });

  it('outgoing calls through undici, got and node-fetch, with the origin and prefixUrl their instances were made with', async () => {
    const dir = path.join(work, 'clients');
    mkdirSync(dir);
    const file = path.join(dir, 'calls.mjs');
    writeFileSync(
      file,
      [
        "import { Pool, request, fetch } from 'undici';",
        "const pool = new Pool('http://stock.internal:8080');",
        "export const a = () => pool.request({ path: '/stock/1', method: 'GET' });",
        "export const b = () => request('http://prices.internal/prices', { method: 'POST' });",
        "export const c = () => fetch('http://audit.internal/entries', { method: 'PUT' });",
        "import got from 'got';",
        "const api = got.extend({ prefixUrl: 'http://catalog.internal/v1' });",
        "export const d = () => api.delete('items/1');",
        "export const e = () => got.post('http://billing.internal/invoices');",
        "import nodeFetch from 'node-fetch';",
        "export const f = () => nodeFetch('http://users.internal/users', { method: 'PATCH' });",
        '',
      ].join('\n'),
    );
    const { inventory, errors } = await collectInventory([file], dir);
    expect(errors).toEqual([]);
    expect(inventory.httpCalls.map((c) => `${c.method} ${c.url} ${c.file}:${c.line}`)).toEqual([
      'GET http://stock.internal:8080/stock/1 calls.mjs:3',
      'POST http://prices.internal/prices calls.mjs:4',
      'PUT http://audit.internal/entries calls.mjs:5',
      'DELETE http://catalog.internal/v1/items/1 calls.mjs:8',
      'POST http://billing.internal/invoices calls.mjs:9',
      'PATCH http://users.internal/users calls.mjs:11',
    ]);
  });
});
