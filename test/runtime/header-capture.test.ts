// Captured HTTP headers (issue 11), in process against real servers (Express 5, Fastify 5, a plain
// downstream) and real clients (fetch, node:http, axios), with the real SDK. The helpers read the
// variables once when they load, so each environment gets a fresh load of the templates.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_HEADER_VALUE_LENGTH, readHeaderCapture } from '../../templates/runtime/common.js';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

const require = createRequire(import.meta.url);
const express = require('express');
const Fastify = require('fastify');
const axios = require('axios');

const VARIABLES = [
  'OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS',
  'OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_RESPONSE_HEADERS',
  'OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_REQUEST_HEADERS',
  'OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_RESPONSE_HEADERS',
  'OTEL_INSTRUMENTATION_CAPTURE_SENSITIVE_HEADERS',
];

/** The helpers as loaded under `env` (the variables above not named in it are unset). */
async function helpersWith(env: Record<string, string>) {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  vi.resetModules();
  try {
    return {
      express: await import('../../templates/runtime/express.js'),
      fastify: await import('../../templates/runtime/fastify.js'),
      client: await import('../../templates/runtime/http-client.js'),
      nodeHttp: await import('../../templates/runtime/node-http.js'),
      axios: await import('../../templates/runtime/axios.js'),
    };
  } finally {
    for (const name of VARIABLES) delete process.env[name];
  }
}
type Helpers = Awaited<ReturnType<typeof helpersWith>>;

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  contextManager.disable();
});
beforeEach(() => exporter.reset());

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The finished spans of `kind` (1 SERVER, 2 CLIENT), once `count` of them are. */
async function spansOf(kind: number, count = 1): Promise<ReadableSpan[]> {
  for (let i = 0; i < 200; i++) {
    const spans = exporter.getFinishedSpans().filter((s) => s.kind === kind);
    if (spans.length >= count) return spans;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`expected ${count} spans of kind ${kind}, got ${exporter.getFinishedSpans().length} spans`);
}

/** The span's captured-header attributes only. */
function headerAttributes(span: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => /^http\.(request|response)\.header\./.test(key)));
}

/** A request whose headers include repeats (`x-multi` twice) and credentials, through plain node:http. */
function send(url: string, headers: http.OutgoingHttpHeaders): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

const INCOMING = { 'X-Tenant-Id': 'acme', 'x-multi': ['a', 'b'], authorization: 'Bearer secret', cookie: 'session=secret', 'x-long': 'v'.repeat(3000) };

async function expressApp(helpers: Helpers): Promise<string> {
  const app = helpers.express.instrumentExpress(express());
  app.get('/items/:id', (_req: unknown, res: any) => {
    res.setHeader('x-served-by', 'express');
    res.setHeader('set-cookie', ['session=new']);
    res.json({ ok: true });
  });
  return listen(http.createServer(app));
}

async function fastifyApp(helpers: Helpers): Promise<string> {
  const app = helpers.fastify.instrumentFastify(Fastify());
  app.get('/items/:id', async (_request: unknown, reply: any) => {
    reply.header('x-served-by', 'fastify');
    reply.header('set-cookie', 'session=new');
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return `http://127.0.0.1:${app.server.address().port}`;
}

/** A downstream answering with a repeated header and a cookie. */
async function downstream(): Promise<string> {
  return listen(
    http.createServer((req, res) => {
      if (req.url === '/fail') res.statusCode = 503;
      res.setHeader('x-served-by', 'downstream');
      res.setHeader('x-multi', ['1', '2']);
      res.setHeader('set-cookie', 'session=down');
      res.end('{}');
    }),
  );
}

describe('readHeaderCapture', () => {
  it('is empty when nothing is set', () => {
    expect(readHeaderCapture({})).toEqual({ serverRequest: undefined, serverResponse: undefined, clientRequest: undefined, clientResponse: undefined, messaging: undefined });
  });

  it('lower-cases, trims and de-duplicates names; a list of nothing is nothing', () => {
    const capture = readHeaderCapture({ OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS: ' X-Tenant-Id, x-tenant-id ,,X-Request-Id', OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_REQUEST_HEADERS: ' , ' });
    expect(capture.serverRequest).toEqual(['x-tenant-id', 'x-request-id']);
    expect(capture.clientRequest).toBeUndefined();
  });

  it("takes Java's name first, Python's when Java's is unset", () => {
    expect(readHeaderCapture({ OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST: 'x-python' }).serverRequest).toEqual(['x-python']);
    expect(readHeaderCapture({ OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE: 'x-python', OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_RESPONSE_HEADERS: 'x-java' }).clientResponse).toEqual(['x-java']);
    // Set to empty, Java's name still decides: nothing.
    expect(readHeaderCapture({ OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE: 'x-python', OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_RESPONSE_HEADERS: '' }).serverResponse).toBeUndefined();
  });

  it('leaves credentials out unless the second variable allows them', () => {
    const listed = { OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS: 'Authorization,Proxy-Authorization,Cookie,Set-Cookie,x-tenant-id', OTEL_INSTRUMENTATION_MESSAGING_EXPERIMENTAL_CAPTURE_HEADERS: 'authorization' };
    expect(readHeaderCapture(listed)).toMatchObject({ serverRequest: ['x-tenant-id'], messaging: undefined });
    expect(readHeaderCapture({ ...listed, OTEL_INSTRUMENTATION_CAPTURE_SENSITIVE_HEADERS: 'yes' }).serverRequest).toEqual(['x-tenant-id']);
    expect(readHeaderCapture({ ...listed, OTEL_INSTRUMENTATION_CAPTURE_SENSITIVE_HEADERS: 'TRUE' })).toMatchObject({
      serverRequest: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-tenant-id'],
      messaging: ['authorization'],
    });
  });
});

describe('configured', () => {
  let helpers: Helpers;
  let down: string;
  beforeEach(async () => {
    helpers ??= await helpersWith({
      OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS: 'X-Tenant-Id,x-multi,Authorization,cookie,x-long,x-absent',
      OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_RESPONSE_HEADERS: 'x-served-by, set-cookie',
      OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_REQUEST_HEADERS: 'x-tenant-id,authorization',
      OTEL_INSTRUMENTATION_HTTP_CLIENT_CAPTURE_RESPONSE_HEADERS: 'X-Served-By,x-multi,set-cookie',
    });
    down ??= await downstream();
  });

  const serverExpected = (servedBy: string) => ({
    'http.request.header.x-tenant-id': ['acme'],
    'http.request.header.x-multi': ['a', 'b'],
    'http.request.header.x-long': ['v'.repeat(MAX_HEADER_VALUE_LENGTH)],
    'http.response.header.x-served-by': [servedBy],
  });

  it('Express: listed request and response headers, repeats as items, credentials out, long values cut', async () => {
    expect(await send(`${await expressApp(helpers)}/items/1`, INCOMING)).toBe(200);
    const [span] = await spansOf(1);
    expect(headerAttributes(span!)).toEqual(serverExpected('express'));
  });

  it('Fastify: the same, with the headers Fastify hands to writeHead', async () => {
    expect(await send(`${await fastifyApp(helpers)}/items/1`, INCOMING)).toBe(200);
    const [span] = await spansOf(1);
    expect(headerAttributes(span!)).toEqual(serverExpected('fastify'));
  });

  const clientHeaders = { 'X-Tenant-Id': 'acme', Authorization: 'Bearer secret' };

  it('fetch: the request headers sent and the response headers (fetch joins repeats)', async () => {
    await (await helpers.client.tracedFetch(`${down}/x`, { headers: clientHeaders })).text();
    const [span] = await spansOf(2);
    expect(headerAttributes(span!)).toEqual({
      'http.request.header.x-tenant-id': ['acme'],
      'http.response.header.x-served-by': ['downstream'],
      'http.response.header.x-multi': ['1, 2'],
    });
  });

  it('node:http: the same, repeats as items', async () => {
    await new Promise<void>((resolve, reject) => {
      helpers.nodeHttp.tracedHttp(http.get, `${down}/x`, { headers: clientHeaders }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
    const [span] = await spansOf(2);
    expect(headerAttributes(span!)).toEqual({
      'http.request.header.x-tenant-id': ['acme'],
      'http.response.header.x-served-by': ['downstream'],
      'http.response.header.x-multi': ['1', '2'],
    });
  });

  it('axios: the same, on success and on a rejected status', async () => {
    const instance = helpers.axios.instrumentAxios(axios.create({ baseURL: down }));
    await instance.get('/x', { headers: clientHeaders });
    await expect(instance.get('/fail', { headers: clientHeaders })).rejects.toThrow('503');
    const spans = await spansOf(2, 2);
    expect(spans.map((s) => s.attributes['http.response.status_code'])).toEqual([200, 503]);
    for (const span of spans) {
      expect(headerAttributes(span)).toEqual({
        'http.request.header.x-tenant-id': ['acme'],
        'http.response.header.x-served-by': ['downstream'],
        'http.response.header.x-multi': ['1, 2'],
      });
    }
  });
});

describe('sensitive headers allowed', () => {
  it('records a listed credential only with OTEL_INSTRUMENTATION_CAPTURE_SENSITIVE_HEADERS=true', async () => {
    const helpers = await helpersWith({ OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS: 'authorization', OTEL_INSTRUMENTATION_CAPTURE_SENSITIVE_HEADERS: 'true' });
    expect(await send(`${await expressApp(helpers)}/items/1`, INCOMING)).toBe(200);
    const [span] = await spansOf(1);
    expect(headerAttributes(span!)).toEqual({ 'http.request.header.authorization': ['Bearer secret'] });
  });
});

describe('unset', () => {
  it('records no header on server or client spans', async () => {
    const helpers = await helpersWith({});
    const down = await downstream();
    const app = helpers.express.instrumentExpress(express());
    app.get('/call', async (_req: unknown, res: any) => {
      await (await helpers.client.tracedFetch(`${down}/x`, { headers: { 'x-tenant-id': 'acme' } })).text();
      await helpers.axios.instrumentAxios(axios.create()).get(`${down}/x`, { headers: { 'x-tenant-id': 'acme' } });
      res.setHeader('x-served-by', 'express');
      res.end('ok');
    });
    expect(await send(`${await listen(http.createServer(app))}/call`, INCOMING)).toBe(200);
    await spansOf(1);
    const spans = await spansOf(2, 2);
    expect([...spans, ...(await spansOf(1))].map(headerAttributes)).toEqual([{}, {}, {}]);
  });
});
