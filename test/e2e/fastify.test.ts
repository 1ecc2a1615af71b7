// Fastify end to end: example apps (one CommonJS app run on Fastify 5 and on Fastify 4, an ESM
// TypeScript app on Fastify 5) are copied, instrumented by the built CLI, started with the real
// SDK, and called over loopback; their outgoing calls reach a real downstream HTTP server. The
// cases every framework shares are in server-contract.ts; this file adds what only Fastify has.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../support/app-process.js';
import { incomingTrace } from '../support/downstream.js';
import { instrumentedCopy, oneServerSpan, RUNTIME_INSTRUMENTATION, runtimeEnrichmentContract, serverContract, useDownstream, useRunningServer, type ServerApp, type ServerFramework } from './server-contract.js';

const FASTIFY: ServerFramework = {
  package: 'fastify',
  contextLoser: 'a hook',
  // Fastify's default error handler.
  failBody: { statusCode: 500, error: 'Internal Server Error', message: 'order lookup failed' },
  checkRewrite(copy, app) {
    expect(readFileSync(path.join(copy, app.entry), 'utf8')).toMatch(/instrumentFastify\((Fastify|fastify)\(\{ logger: false \}\)\)/);
  },
};

const APPS_UNDER_TEST: ServerApp[] = [
  { label: 'Fastify 5, CommonJS JavaScript', dir: 'fastify-cjs', entry: 'server.js', major: '5' },
  { label: 'Fastify 5, ESM TypeScript', dir: 'fastify5-esm-ts', entry: 'server.ts', major: '5' },
  { label: 'Fastify 4, CommonJS JavaScript', dir: 'fastify-cjs', entry: 'server.js', major: '4', alias: 'fastify4' },
];

const downstream = useDownstream();

for (const target of APPS_UNDER_TEST) {
  describe(`${target.label}, instrumented by the CLI`, () => {
    const server = useRunningServer(downstream, (url) =>
      startApp(path.join(instrumentedCopy(target, FASTIFY), target.entry), { env: { DOWNSTREAM_URL: url }, timeoutMs: 60_000 }),
    );

    serverContract(server, FASTIFY);

    it('names routes declared with route({...}) inside a prefixed plugin', async () => {
      const res = await fetch(`${server.base}/api/orders/7`, { headers: { traceparent: incomingTrace().traceparent } });
      expect(res.status).toBe(200);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /api/orders/:orderId');
      expect(span.attributes['http.route']).toBe('/api/orders/:orderId');
    });

    it('names routes of the root instance', async () => {
      expect((await fetch(`${server.base}/health`)).status).toBe(200);
      const { server: span } = await oneServerSpan(server.app);
      expect(span.name).toBe('GET /health');
      expect(span.attributes['http.route']).toBe('/health');
    });
  });
}

describe('Fastify 5 with runtime HTTP instrumentation already installed', () => {
  const server = useRunningServer(downstream, (url) =>
    startApp(path.join(instrumentedCopy(APPS_UNDER_TEST[0]!, FASTIFY), 'server.js'), {
      env: { DOWNSTREAM_URL: url, NODE_OPTIONS: `--import ${RUNTIME_INSTRUMENTATION}` },
      timeoutMs: 60_000,
    }),
  );

  runtimeEnrichmentContract(server);
});
