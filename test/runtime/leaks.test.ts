// Nothing leaked: credentials and sensitive query values never reach an attribute, whatever form
// the request target takes. The generated helpers in process against real Express 4/5 and
// Fastify 4/5 servers (requests written on a raw TCP socket, as a proxy sends them), real
// clients and the real SDK.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { redactQuery, SENSITIVE_QUERY_KEYS } from '../../templates/runtime/common.js';
import { instrumentExpress } from '../../templates/runtime/express.js';
import { instrumentFastify } from '../../templates/runtime/fastify.js';
import { instrumentAxios } from '../../templates/runtime/axios.js';
import { tracedFetch } from '../../templates/runtime/http-client.js';
import { tracedHttp } from '../../templates/runtime/node-http.js';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
beforeEach(() => exporter.reset());

const require = createRequire(import.meta.url);
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  contextManager.disable();
});

/** Every value a secret in these tests takes: none may appear in any attribute. */
const SECRETS = ['alice', 's3cr3t', 'v-amz-sig', 'v-amz-cred', 'v-goog-cred', 'v-pwd', 'v-nested', 'v-encoded', 'v-dotted'];
const SENSITIVE_QUERY =
  'X-Amz-Signature=v-amz-sig&X-Amz-Credential=v-amz-cred&X-Goog-Credential=v-goog-cred&pwd=v-pwd' +
  '&user[password]=v-nested&user%5Bpassword%5D=v-encoded&auth.token=v-dotted&page=2';
const REDACTED_QUERY =
  'X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&X-Goog-Credential=REDACTED&pwd=REDACTED' +
  '&user[password]=REDACTED&user%5Bpassword%5D=REDACTED&auth.token=REDACTED&page=2';

function expectNoSecrets(spans: ReadableSpan[]): void {
  const values = spans.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]);
  for (const secret of SECRETS) expect(values.filter((v) => v.includes(secret)), secret).toEqual([]);
}

async function spansOf(kind: number, count: number): Promise<ReadableSpan[]> {
  for (let i = 0; i < 200; i++) {
    const spans = exporter.getFinishedSpans().filter((s) => s.kind === kind);
    if (spans.length >= count) return spans;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`expected ${count} spans of kind ${kind}, got ${exporter.getFinishedSpans().length} spans`);
}

/** Writes `head` on a raw socket (no client library normalises it) and reads the whole answer. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(head));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('redaction table', () => {
  const cases: [key: string, redacted: boolean][] = [
    // The semantic conventions' list.
    ['AWSAccessKeyId', true], ['Signature', true], ['sig', true], ['X-Goog-Signature', true],
    // Signed-URL parameters and credential names left in clear before.
    ['X-Amz-Signature', true], ['x-amz-signature', true], ['X-Amz-Credential', true], ['X-Amz-Security-Token', true],
    ['X-Goog-Credential', true], ['pwd', true], ['passwd', true], ['refresh_token', true], ['accessToken', true],
    // Nested names: any part.
    ['user[password]', true], ['user[profile][api_key]', true], ['auth.token', true], ['session[id]', false],
    // Whole names only: no substring matches.
    ['page', false], ['keyboard', false], ['monkey', false], ['signatures_count', false], ['q', false],
  ];
  it.each(cases)('%s → redacted: %s', (key, redacted) => {
    expect(redactQuery(`${key}=v&page=1`)).toBe(`${key}=${redacted ? 'REDACTED' : 'v'}&page=1`);
  });

  it('has no two entries that compare equal, and docs/http.md lists exactly it', () => {
    const normalized = SENSITIVE_QUERY_KEYS.map((k) => k.toLowerCase().replace(/[-_]/g, ''));
    expect(new Set(normalized).size).toBe(normalized.length);
    const docs = readFileSync(fileURLToPath(new URL('../../docs/http.md', import.meta.url)), 'utf8');
    const line = docs.split('\n').find((l) => l.startsWith('Sensitive query keys:'));
    expect(line, 'docs/http.md: a line "Sensitive query keys: `a`, `b`, …"').toBeDefined();
    expect([...line!.matchAll(/`([^`]+)`/g)].map((m) => m[1])).toEqual([...SENSITIVE_QUERY_KEYS]);
  });
});

type Server = { port: number };

const servers: [string, () => Promise<Server>][] = [
  ...(['express', 'express4'] as const).map((name): [string, () => Promise<Server>] => [
    name === 'express' ? 'Express 5' : 'Express 4',
    async () => {
      const app = instrumentExpress(require(name)());
      app.get('/users/:id', (_req: unknown, res: { send(body: string): void }) => res.send('ok'));
      const server: http.Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      closers.push(() => new Promise((r) => server.close(r)));
      return { port: (server.address() as AddressInfo).port };
    },
  ]),
  ...(['fastify', 'fastify4'] as const).map((name): [string, () => Promise<Server>] => [
    name === 'fastify' ? 'Fastify 5' : 'Fastify 4',
    async () => {
      const app = instrumentFastify(require(name)());
      app.get('/users/:id', async () => 'ok');
      await app.listen({ port: 0, host: '127.0.0.1' });
      closers.push(() => app.close());
      return { port: (app.server.address() as AddressInfo).port };
    },
  ]),
];

describe.each(servers)('%s SERVER span', (_label, start) => {
  let server: Server;
  beforeEach(async () => {
    server ??= await start();
  });

  it('absolute-form target (as proxies send it): url.path is the path alone, credentials nowhere', async () => {
    const target = `http://alice:s3cr3t@127.0.0.1:${server.port}/users/7?${SENSITIVE_QUERY}`;
    await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    const spans = await spansOf(1, 1);
    expect(spans[0]!.attributes['url.path']).toBe('/users/7');
    expect(spans[0]!.attributes['url.query']).toBe(REDACTED_QUERY);
    expectNoSecrets(spans);
  });

  it('absolute-form target without a path; a Host header with userinfo gives no server.address', async () => {
    await rawRequest(server.port, `GET http://alice:s3cr3t@127.0.0.1:${server.port}?pwd=v-pwd HTTP/1.1\r\nHost: alice@127.0.0.1\r\nConnection: close\r\n\r\n`);
    const spans = await spansOf(1, 1);
    expect(spans[0]!.attributes['url.path']).toBe('/');
    expect(spans[0]!.attributes['url.query']).toBe('pwd=REDACTED');
    expect(spans[0]!.attributes).not.toHaveProperty('server.address');
    expectNoSecrets(spans);
  });

  it('origin-form target: the sensitive query keys are redacted', async () => {
    await rawRequest(server.port, `GET /users/7?${SENSITIVE_QUERY} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    const spans = await spansOf(1, 1);
    expect(spans[0]!.attributes['url.path']).toBe('/users/7');
    expect(spans[0]!.attributes['url.query']).toBe(REDACTED_QUERY);
    expectNoSecrets(spans);
  });
});

describe('CLIENT spans: url.full', () => {
  let port = 0;
  beforeEach(async () => {
    if (port) return;
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((r) => server.close(r)));
    port = (server.address() as AddressInfo).port;
  });
  const redactedUrl = () => `http://127.0.0.1:${port}/p?${REDACTED_QUERY}`;

  it('fetch', async () => {
    await (await tracedFetch(`http://127.0.0.1:${port}/p?${SENSITIVE_QUERY}`)).text();
    const spans = await spansOf(2, 1);
    expect(spans[0]!.attributes['url.full']).toBe(redactedUrl());
    expectNoSecrets(spans);
  });

  it('node:http with credentials in the URL', async () => {
    await new Promise((resolve, reject) => {
      tracedHttp(http.get, `http://alice:s3cr3t@127.0.0.1:${port}/p?${SENSITIVE_QUERY}`, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
    const spans = await spansOf(2, 1);
    expect(spans[0]!.attributes['url.full']).toBe(`http://REDACTED:REDACTED@127.0.0.1:${port}/p?${REDACTED_QUERY}`);
    expectNoSecrets(spans);
  });

  it('node:http through a forward proxy (the absolute URL as the path)', async () => {
    await new Promise((resolve, reject) => {
      const path = `http://alice:s3cr3t@orders.internal:8080/p?${SENSITIVE_QUERY}`;
      tracedHttp(http.get, { host: '127.0.0.1', port, path }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
    const spans = await spansOf(2, 1);
    expect(spans[0]!.attributes['url.full']).toBe(`http://REDACTED:REDACTED@orders.internal:8080/p?${REDACTED_QUERY}`);
    expect(spans[0]!.attributes['server.address']).toBe('orders.internal');
    expectNoSecrets(spans);
  });

  it('axios with credentials in the URL', async () => {
    const axios = instrumentAxios(require('axios').create());
    await axios.get(`http://alice:s3cr3t@127.0.0.1:${port}/p?${SENSITIVE_QUERY}`);
    const spans = await spansOf(2, 1);
    expect(spans[0]!.attributes['url.full']).toBe(`http://REDACTED:REDACTED@127.0.0.1:${port}/p?${REDACTED_QUERY}`);
    expectNoSecrets(spans);
  });
});
