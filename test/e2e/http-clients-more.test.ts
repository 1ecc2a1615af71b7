// Outgoing HTTP end to end for undici, got and node-fetch: example apps are copied, instrumented
// by the built CLI, started with the real SDK, and asked over loopback to call a real downstream
// server; every call must meet the client contract (test/e2e/client-contract.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '../support/app-process.js';
import { copyApp, runCli } from '../support/cli.js';
import { startDownstream, type Downstream } from '../support/downstream.js';
import { repoRoot } from '../support/golden.js';
import { linkPackageAlias } from '../support/package-alias.js';
import { call, clientSpanCheck, closedPort, okUnlessFail } from './client-contract.js';

const APPS = path.join(repoRoot, 'test/e2e/apps');

describe('undici, got and node-fetch end to end', { timeout: 120_000 }, () => {
  let downstream: Downstream;
  let refusedUrl: string;
  const apps: AppProcess[] = [];
  const expectClientSpan = clientSpanCheck(() => downstream);
  /** A call to the closed port: answered ECONNREFUSED, its span with error.type and the exception. */
  async function expectRefused(app: AppProcess, name: string) {
    const result = await call(app, name);
    expect(result.answer).toEqual({ error: 'ECONNREFUSED' });
    const client = expectClientSpan(result, { method: 'GET', url: `${refusedUrl}/nothing-here`, errorType: 'ECONNREFUSED' });
    expect(client.events.map((e) => e.name)).toEqual(['exception']);
  }

  beforeAll(async () => {
    downstream = await startDownstream({ answer: okUnlessFail });
    refusedUrl = `http://127.0.0.1:${await closedPort()}`;
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await downstream?.close();
  });

  /** Copies, instruments and starts an app; its calls file as rewritten. */
  function instrumentedApp(dir: string, entry: string, prepare?: (copy: string) => void): { app: () => AppProcess; rewritten: () => string } {
    let app: AppProcess;
    let rewritten: string;
    beforeAll(async () => {
      const copy = copyApp(path.join(APPS, dir), dir);
      prepare?.(copy);
      const run = runCli(['.'], copy);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      rewritten = readFileSync(path.join(copy, entry.replace('server', 'calls')), 'utf8');
      app = await startApp(path.join(copy, entry), { env: { DOWNSTREAM_URL: downstream.url, REFUSED_URL: refusedUrl } });
      apps.push(app);
    });
    beforeEach(async () => {
      await app.reset();
      downstream.received.length = 0;
    });
    return { app: () => app, rewritten: () => rewritten };
  }

  describe('ESM TypeScript app (undici 7, got 14, node-fetch 3)', () => {
    const { app, rewritten } = instrumentedApp('http-clients-more-esm-ts', 'server.ts');

    it('the CLI rewrote every undici birth site and module call', () => {
      expect(rewritten()).toMatch(/instrumentUndici\(new Pool\(/);
      expect(rewritten()).toMatch(/instrumentUndici\(new Agent\(/);
      expect(rewritten()).toMatch(/tracedUndici\(request\)\(/);
      expect(rewritten()).toMatch(/tracedUndici\(undiciFetch\)\(/);
      expect(rewritten()).toMatch(/tracedFetch\(/);
    });

    it('undici request on the global dispatcher: query value redacted, caller headers unchanged', async () => {
      const result = await call(app(), 'undici-request');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
      expectClientSpan(result, { method: 'GET', url: `${downstream.url}/undici/request?token=REDACTED&keep=1`, downstreamPath: '/undici/request?token=s3cret&keep=1', status: 200 });
    });

    it('undici Pool request: the pool origin, caller headers unchanged and sent', async () => {
      const result = await call(app(), 'undici-pool');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes', 'content-type': 'text/plain' } });
      expectClientSpan(result, { method: 'POST', url: `${downstream.url}/undici/pool`, downstreamPath: '/undici/pool', status: 200 });
      expect(downstream.received[0]!.headers['x-caller']).toBe('yes');
    });

    it('undici Pool: a 5xx response sets error.type to the status code', async () => {
      const result = await call(app(), 'undici-pool-5xx');
      expect(result.answer).toEqual({ status: 503 });
      expectClientSpan(result, { method: 'GET', url: `${downstream.url}/undici/fail`, downstreamPath: '/undici/fail', status: 503, errorType: '503' });
    });

    it('undici fetch with a Request: the Request is not mutated', async () => {
      const result = await call(app(), 'undici-fetch');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
      expectClientSpan(result, { method: 'PATCH', url: `${downstream.url}/undici/fetch`, downstreamPath: '/undici/fetch', status: 200 });
    });

    it('undici: connection refused sets error.type and records the exception', async () => {
      await expectRefused(app(), 'undici-refused');
    });

    it('global fetch over an instrumented global dispatcher: one span, tracedFetch’s', async () => {
      const result = await call(app(), 'undici-global-fetch');
      expect(result.answer).toEqual({ status: 200 });
      expectClientSpan(result, { method: 'PUT', url: `${downstream.url}/undici/global-fetch`, downstreamPath: '/undici/global-fetch', status: 200 });
    });

    it('undici Agent request with an origin', async () => {
      const result = await call(app(), 'undici-agent');
      expectClientSpan(result, { method: 'DELETE', url: `${downstream.url}/undici/agent`, downstreamPath: '/undici/agent', status: 200 });
    });

    it('the CLI rewrote every got instance and default-instance call', () => {
      expect(rewritten()).toMatch(/instrumentGot\(got\.extend\(/);
      expect(rewritten()).toMatch(/instrumentGot\(got\)\(/);
      expect(rewritten()).toMatch(/instrumentGot\(got\)\.stream\.put\(/);
    });

    it('got default instance: query value redacted, caller headers unchanged', async () => {
      const result = await call(app(), 'got-default');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
      expectClientSpan(result, { method: 'GET', url: `${downstream.url}/got/default?api_key=REDACTED&keep=1`, downstreamPath: '/got/default?api_key=k3y&keep=1', status: 200 });
    });

    it('got instance from got.extend: prefixUrl, caller options unchanged, instance headers sent', async () => {
      const result = await call(app(), 'got-instance');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
      expectClientSpan(result, { method: 'POST', url: `${downstream.url}/got/instance`, downstreamPath: '/got/instance', status: 200 });
      expect(downstream.received[0]!.headers).toMatchObject({ 'x-caller': 'yes', 'x-client': 'stock' });
    });

    it('got: a 5xx response got rejects sets error.type to the status code', async () => {
      const result = await call(app(), 'got-5xx');
      expect(result.answer).toEqual({ status: 503 });
      expectClientSpan(result, { method: 'GET', url: `${downstream.url}/got/fail`, downstreamPath: '/got/fail', status: 503, errorType: '503' });
    });

    it('got: connection refused sets error.type and records the exception', async () => {
      await expectRefused(app(), 'got-refused');
    });

    it('got.stream.put: a stream call gets its span too', async () => {
      const result = await call(app(), 'got-stream');
      expect(result.answer).toEqual({ status: 200 });
      expectClientSpan(result, { method: 'PUT', url: `${downstream.url}/got/stream`, downstreamPath: '/got/stream', status: 200 });
    });

    it('the CLI rewrote every node-fetch call', () => {
      expect(rewritten()).toMatch(/tracedNodeFetch\(nodeFetch\)\(/);
      expect(rewritten()).not.toMatch(/[^(]nodeFetch\(/);
    });

    it('node-fetch 3 with a string: sensitive query value redacted, caller headers unchanged', async () => {
      const result = await call(app(), 'node-fetch-string');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
      expectClientSpan(result, { method: 'GET', url: `${downstream.url}/node-fetch/string?password=REDACTED&keep=1`, downstreamPath: '/node-fetch/string?password=pw&keep=1', status: 200 });
      expect(downstream.received[0]!.headers['x-caller']).toBe('yes');
    });

    it('node-fetch 3 with its Request: the Request is not mutated, its headers sent', async () => {
      const result = await call(app(), 'node-fetch-request');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
      expectClientSpan(result, { method: 'PATCH', url: `${downstream.url}/node-fetch/request`, downstreamPath: '/node-fetch/request', status: 200 });
      expect(downstream.received[0]!.headers['x-caller']).toBe('yes');
    });

    it('node-fetch 3: 5xx and connection refused set error.type', async () => {
      const failed = await call(app(), 'node-fetch-5xx');
      expectClientSpan(failed, { method: 'GET', url: `${downstream.url}/node-fetch/fail`, downstreamPath: '/node-fetch/fail', status: 503, errorType: '503' });
      await app().reset();
      const refused = await call(app(), 'node-fetch-refused');
      expect(refused.answer).toEqual({ error: 'ECONNREFUSED' });
      expectClientSpan(refused, { method: 'GET', url: `${refusedUrl}/nothing-here`, errorType: 'ECONNREFUSED' });
    });
  });

  describe('CommonJS JavaScript app (node-fetch 2, undici Client)', () => {
    const { app, rewritten } = instrumentedApp('http-clients-more-cjs', 'server.js', (copy) => linkPackageAlias(copy, 'node-fetch', 'node-fetch2'));

    it('the CLI rewrote the node-fetch calls and the undici Client', () => {
      expect(rewritten()).toMatch(/tracedNodeFetch\(fetch\)\(`/);
      expect(rewritten()).toMatch(/instrumentUndici\(new undici\.Client\(/);
    });

    it('node-fetch 2 with a string: redacted, caller headers unchanged', async () => {
      const result = await call(app(), 'node-fetch2-string');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' }, major: '2' });
      expectClientSpan(result, { method: 'POST', url: `${downstream.url}/node-fetch2/string?token=REDACTED&keep=1`, downstreamPath: '/node-fetch2/string?token=s3cret&keep=1', status: 200 });
    });

    it('node-fetch 2 with its Request: not mutated, its headers sent', async () => {
      const result = await call(app(), 'node-fetch2-request');
      expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
      expectClientSpan(result, { method: 'PUT', url: `${downstream.url}/node-fetch2/request`, downstreamPath: '/node-fetch2/request', status: 200 });
      expect(downstream.received[0]!.headers['x-caller']).toBe('yes');
    });

    it('node-fetch 2: connection refused sets error.type and records the exception', async () => {
      await expectRefused(app(), 'node-fetch2-refused');
    });

    it('undici Client: the span has the client’s origin', async () => {
      const result = await call(app(), 'undici-client');
      expectClientSpan(result, { method: 'GET', url: `${downstream.url}/undici/client`, downstreamPath: '/undici/client', status: 200 });
    });
  });
});
