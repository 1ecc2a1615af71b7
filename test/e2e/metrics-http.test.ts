// HTTP duration metrics (issue 14), in process: real Express 5, Fastify 5, Koa 3, NestJS 12 and a plain downstream,
// real fetch, node:http, axios, undici, got and node-fetch, the real tracing and metrics SDKs, read through a MetricReader.
import { metrics } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import got from 'got';
import nodeFetch from 'node-fetch';
import * as undici from 'undici';
import { instrumentAxios } from '../../templates/runtime/axios.js';
import { instrumentExpress } from '../../templates/runtime/express.js';
import { instrumentFastify } from '../../templates/runtime/fastify.js';
import { instrumentGot } from '../../templates/runtime/got.js';
import { instrumentKoa } from '../../templates/runtime/koa.js';
import { instrumentNest } from '../../templates/runtime/nestjs.js';
import { tracedFetch } from '../../templates/runtime/http-client.js';
import { DURATION_BUCKETS, startTimer } from '../../templates/runtime/metrics.js';
import { tracedNodeFetch } from '../../templates/runtime/node-fetch.js';
import { tracedHttp } from '../../templates/runtime/node-http.js';
import { instrumentUndici, tracedUndici } from '../../templates/runtime/undici.js';
import { inProcessMetrics, type HistogramPoint } from '../support/in-process-metrics.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

const require = createRequire(import.meta.url);
const express = require('express');
const Fastify = require('fastify');
const Koa = require('koa');
const Router = require('@koa/router');
const axios = require('axios');
require('reflect-metadata');
const { Controller, Get, HttpCode, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const { exporter, closers } = inProcessTracing();
const { collect } = inProcessMetrics();

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((r) => server.close(r)));
  return (server.address() as AddressInfo).port;
}

function get(url: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    http.request(url, { method }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject).end();
  });
}

/**
 * The points of `name` once `count` spans of `kind` (1 SERVER, 2 CLIENT) ended: the helpers record
 * right after ending the span, and a server ends its span after the client has its answer.
 */
async function pointsOf(name: string, kind: number, count: number): Promise<HistogramPoint[]> {
  for (let i = 0; i < 200 && exporter.getFinishedSpans().filter((s) => s.kind === kind).length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return (await collect()).filter((p) => p.name === name);
}

/** Name, unit and buckets the conventions give, a positive duration, one request per point. */
function expectHistogram(points: HistogramPoint[], name: string): void {
  for (const point of points) {
    expect(point).toMatchObject({ name, unit: 's', boundaries: DURATION_BUCKETS, count: 1 });
    expect(point.sum).toBeGreaterThan(0);
    expect(point.sum).toBeLessThan(5);
  }
}

/** The points' attribute sets, in an order that does not depend on the SDK's. */
const attributesOf = (points: { attributes: Attributes }[]) =>
  points.map((p) => JSON.stringify(Object.entries(p.attributes).sort(([a], [b]) => a.localeCompare(b)))).sort();

const SERVER = 'http.server.request.duration';
const CLIENT = 'http.client.request.duration';

/** One app per framework answering 200, 404, a thrown error and a 503 without one. */
async function expressServer(): Promise<number> {
  const app = instrumentExpress(express());
  app.get('/items/:id', (_req: unknown, res: any) => res.json({ ok: true }));
  app.get('/boom/:id', () => {
    throw new TypeError('boom');
  });
  app.get('/busy/:id', (_req: unknown, res: any) => res.status(503).end());
  return listen(http.createServer(app));
}

async function fastifyServer(): Promise<number> {
  const app = instrumentFastify(Fastify());
  app.get('/items/:id', async () => ({ ok: true }));
  app.get('/boom/:id', async () => {
    throw new TypeError('boom');
  });
  app.get('/busy/:id', async (_request: unknown, reply: any) => reply.code(503).send());
  await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return app.server.address().port;
}

async function koaServer(): Promise<number> {
  const app = instrumentKoa(new Koa());
  const router = new Router();
  router.get('/items/:id', (ctx: any) => {
    ctx.body = { ok: true };
  });
  router.get('/boom/:id', () => {
    throw new TypeError('boom');
  });
  router.get('/busy/:id', (ctx: any) => {
    ctx.status = 503;
  });
  app.use(router.routes());
  app.silent = true; // the thrown error is the test's, not worth a log line
  return listen(http.createServer(app.callback()));
}

/**
 * Nest 12 on its Express adapter, in process: the decorators applied as functions (vitest's
 * transform emits no decorator metadata, and these controllers need none).
 */
async function nestServer(): Promise<number> {
  class Items {
    item() {
      return { ok: true };
    }
    boom(): never {
      throw new TypeError('boom');
    }
    busy() {}
  }
  const method = (name: keyof Items, ...decorators: MethodDecorator[]) => {
    for (const decorate of decorators) decorate(Items.prototype, name, Object.getOwnPropertyDescriptor(Items.prototype, name)!);
  };
  method('item', Get('items/:id'));
  method('boom', Get('boom/:id'));
  method('busy', Get('busy/:id'), HttpCode(503));
  Controller()(Items);
  class App {}
  Module({ controllers: [Items] })(App);
  const app = await instrumentNest(NestFactory.create(App, { logger: false }));
  await app.listen(0, '127.0.0.1');
  closers.push(() => app.close());
  return (app.getHttpServer().address() as AddressInfo).port;
}

describe.each([
  ['Express', expressServer],
  ['Fastify', fastifyServer],
  ['Koa', koaServer],
  ['NestJS', nestServer],
])('%s server', (_name, start) => {
  it('records http.server.request.duration with the route template, never the path', async () => {
    const port = await start();
    const base = `http://127.0.0.1:${port}`;
    expect(await get(`${base}/items/1`)).toBe(200);
    expect(await get(`${base}/items/2?token=secret`)).toBe(200);
    expect(await get(`${base}/boom/3`)).toBe(500);
    expect(await get(`${base}/busy/4`)).toBe(503);
    expect(await get(`${base}/nowhere/5`)).toBe(404);
    expect(await get(`${base}/items/6`, 'PURGE')).toBe(404);
    const points = await pointsOf(SERVER, 1, 6);
    const common = { 'http.request.method': 'GET', 'url.scheme': 'http', 'network.protocol.version': '1.1' };
    // The two /items requests share one point: same attributes, one series.
    const items = points.find((p) => p.attributes['http.route'] === '/items/:id' && p.attributes['http.response.status_code'] === 200)!;
    expect(items).toMatchObject({ count: 2 });
    expectHistogram(points.filter((p) => p !== items), SERVER);
    expect(attributesOf(points)).toEqual(
      attributesOf([
        { ...common, 'http.route': '/items/:id', 'http.response.status_code': 200 },
        { ...common, 'http.route': '/boom/:id', 'http.response.status_code': 500, 'error.type': 'TypeError' },
        { ...common, 'http.route': '/busy/:id', 'http.response.status_code': 503, 'error.type': '503' },
        { ...common, 'http.response.status_code': 404 },
        { ...common, 'http.request.method': '_OTHER', 'http.response.status_code': 404 },
      ].map((attributes) => ({ attributes }))),
    );
  });
});

describe('clients', () => {
  let port: number;
  const downstream = async () => {
    port ??= await listen(
      http.createServer((req, res) => {
        res.statusCode = req.url === '/fail' ? 503 : 200;
        res.end('{}');
      }),
    );
    return `http://127.0.0.1:${port}`;
  };
  /** A port nothing listens on. */
  const closedPort = async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: free } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    return free;
  };

  const expected = (serverPort: number) => {
    const common = { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': serverPort, 'url.scheme': 'http' };
    return [
      { ...common, 'http.response.status_code': 200 },
      { ...common, 'http.response.status_code': 503, 'error.type': '503' },
    ];
  };

  async function expectClientPoints(refusedPort: number): Promise<void> {
    const points = await pointsOf(CLIENT, 2, 3);
    expectHistogram(points, CLIENT);
    const refused = { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': refusedPort, 'url.scheme': 'http', 'error.type': 'ECONNREFUSED' };
    expect(attributesOf(points)).toEqual(attributesOf([...expected(port), refused].map((attributes) => ({ attributes }))));
  }

  it('fetch: 200, 503 and a refused connection', async () => {
    const base = await downstream();
    await (await tracedFetch(`${base}/ok?token=secret`)).text();
    await (await tracedFetch(`${base}/fail`)).text();
    const refused = await closedPort();
    await expect(tracedFetch(`http://127.0.0.1:${refused}/x`)).rejects.toThrow();
    await expectClientPoints(refused);
  });

  it('node:http: the same', async () => {
    const base = await downstream();
    const call = (url: string) =>
      new Promise<void>((resolve, reject) => {
        tracedHttp(http.get, url, (res) => {
          res.resume();
          res.on('end', resolve);
        }).on('error', reject);
      });
    await call(`${base}/ok`);
    await call(`${base}/fail`);
    const refused = await closedPort();
    await expect(call(`http://127.0.0.1:${refused}/x`)).rejects.toThrow();
    await expectClientPoints(refused);
  });

  it('axios: the same, a rejected status included', async () => {
    const base = await downstream();
    const instance = instrumentAxios(axios.create());
    await instance.get(`${base}/ok`);
    await expect(instance.get(`${base}/fail`)).rejects.toThrow('503');
    const refused = await closedPort();
    await expect(instance.get(`http://127.0.0.1:${refused}/x`)).rejects.toThrow();
    await expectClientPoints(refused);
  });

  it('undici (issue 13): the same, through a traced Pool and tracedUndici(request)', async () => {
    const base = await downstream();
    const pool = instrumentUndici(new undici.Pool(base));
    closers.push(() => pool.close());
    await (await pool.request({ path: '/ok', method: 'GET' })).body.dump();
    await (await pool.request({ path: '/fail', method: 'GET' })).body.dump();
    const refused = await closedPort();
    await expect(tracedUndici(undici.request)(`http://127.0.0.1:${refused}/x`)).rejects.toThrow();
    await expectClientPoints(refused);
  });

  it('got (issue 13): the same, a rejected status included', async () => {
    const base = await downstream();
    const api = instrumentGot(got.extend({ retry: { limit: 0 } }));
    await api(`${base}/ok`);
    await expect(api(`${base}/fail`)).rejects.toThrow('503');
    const refused = await closedPort();
    await expect(api(`http://127.0.0.1:${refused}/x`)).rejects.toThrow();
    await expectClientPoints(refused);
  });

  it('node-fetch (issue 13): the same', async () => {
    const base = await downstream();
    const fetch = tracedNodeFetch(nodeFetch);
    await (await fetch(`${base}/ok`)).text();
    await (await fetch(`${base}/fail`)).text();
    const refused = await closedPort();
    await expect(fetch(`http://127.0.0.1:${refused}/x`)).rejects.toThrow();
    await expectClientPoints(refused);
  });
});

describe('without a meter provider', () => {
  afterAll(() => exporter.reset());

  it('times nothing and records nothing; spans are unchanged', async () => {
    const registered = metrics.getMeterProvider();
    metrics.disable();
    try {
      expect(startTimer()).toBeUndefined();
      const port = await expressServer();
      expect(await get(`http://127.0.0.1:${port}/items/1`)).toBe(200);
      await (await tracedFetch(`http://127.0.0.1:${port}/items/2`)).text();
      await new Promise((r) => setTimeout(r, 50));
      expect(exporter.getFinishedSpans().length).toBe(3);
    } finally {
      metrics.setGlobalMeterProvider(registered);
    }
    expect(await collect()).toEqual([]);
    // Registered again: the helpers ask the global provider anew and record.
    expect(startTimer()).toBeTypeOf('number');
  });
});
