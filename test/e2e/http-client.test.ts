// Outgoing HTTP end to end: example apps (CommonJS JavaScript, ESM TypeScript) whose calls use
// node:http(s), axios and fetch are copied, instrumented by the built CLI, started with the real
// SDK, and asked over loopback to call a real downstream server. Each call must give one CLIENT
// span under the request's SERVER span, and the downstream must receive that span's context.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '../support/app-process.js';
import { copyApp, runCli, tempDir } from '../support/cli.js';
import { hex, startDownstream, type Downstream, type Received } from '../support/downstream.js';
import { repoRoot } from '../support/golden.js';
import { call, clientSpanCheck, closedPort, okUnlessFail, CLIENT, SERVER } from './client-contract.js';

const APPS = path.join(repoRoot, 'test/e2e/apps');

/** A self-signed certificate for 127.0.0.1, for the HTTPS downstream (trusted by the apps via NODE_EXTRA_CA_CERTS). */
function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = tempDir('http-client-tls');
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

describe('outgoing HTTP end to end', { timeout: 120_000 }, () => {
  let downstream: Downstream;
  let secureDownstream: Downstream;
  let certFile: string;
  let refusedUrl: string;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    const received: Received[] = [];
    const tls = selfSignedCertificate();
    certFile = tls.certFile;
    downstream = await startDownstream({ received, answer: okUnlessFail });
    secureDownstream = await startDownstream({ received, answer: okUnlessFail, tls });
    refusedUrl = `http://127.0.0.1:${await closedPort()}`;
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await downstream?.close();
    await secureDownstream?.close();
  });

  const expectClientSpan = clientSpanCheck(() => downstream);

  describe.each([
    { label: 'CommonJS JavaScript', dir: 'http-client-cjs', entry: 'server.js' },
    { label: 'ESM TypeScript', dir: 'http-client-esm-ts', entry: 'server.ts' },
  ])('$label app', ({ dir, entry }) => {
    let app: AppProcess;
    let copy: string;

    beforeAll(async () => {
      copy = copyApp(path.join(APPS, dir), dir);
      const run = runCli(['.'], copy);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      app = await startApp(path.join(copy, entry), {
        env: { DOWNSTREAM_URL: downstream.url, HTTPS_DOWNSTREAM_URL: secureDownstream.url, REFUSED_URL: refusedUrl, NODE_EXTRA_CA_CERTS: certFile },
      });
      apps.push(app);
    });
    beforeEach(async () => {
      await app.reset();
      downstream.received.length = 0;
    });

    it('the CLI rewrote every outgoing call site', () => {
      const calls = readFileSync(path.join(copy, dir.endsWith('ts') ? 'calls.ts' : 'calls.js'), 'utf8');
      expect(calls).toMatch(/tracedHttp\(/);
      expect(calls).toMatch(/tracedAxios\(axios\)/);
      expect(calls).toMatch(/instrumentAxios\(axios\.create\(/);
      expect(calls).toMatch(/tracedFetch\(/);
      expect(calls).not.toMatch(/[^.\w]fetch\(/);
    });

    if (dir === 'http-client-cjs') {
      it('http.get with a URL string and a callback', async () => {
        const result = await call(app, 'http-get-string');
        expect(result.answer).toMatchObject({ status: 200, text: '{"ok":true}' });
        expectClientSpan(result, { method: 'GET', url: `${downstream.url}/http/get-string?page=2`, downstreamPath: '/http/get-string?page=2', status: 200 });
      });

      it('http.request with a URL object and options: the caller headers object is unchanged', async () => {
        const result = await call(app, 'http-request-url');
        expect(result.answer.callerHeaders).toEqual({ 'content-type': 'application/json', 'x-caller': 'yes' });
        expectClientSpan(result, { method: 'POST', url: `${downstream.url}/http/request-url`, downstreamPath: '/http/request-url', status: 200 });
        expect(downstream.received[0]!.headers['x-caller']).toBe('yes');
      });

      it('http.request with an options object and no callback: caller options unchanged', async () => {
        const result = await call(app, 'http-request-options');
        expect(result.answer.callerHeaders).toEqual({ 'x-caller': 'yes' });
        expect(result.answer.callerOptionKeys).toEqual(['hostname', 'port', 'path', 'method', 'headers']);
        expectClientSpan(result, { method: 'PUT', url: `${downstream.url}/http/request-options`, downstreamPath: '/http/request-options', status: 200 });
      });

      it('credentials and sensitive query values are redacted in url.full', async () => {
        const result = await call(app, 'http-redacted');
        expectClientSpan(result, {
          method: 'GET',
          url: `http://REDACTED:REDACTED@127.0.0.1:${downstream.port}/http/redacted?token=REDACTED&keep=1`,
          downstreamPath: '/http/redacted?token=s3cret&keep=1',
          status: 200,
        });
        // The real request still carried them.
        expect(downstream.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('svc:hunter2').toString('base64')}`);
      });

      it('a response nobody reads still ends the span', async () => {
        const result = await call(app, 'http-unread');
        expect(result.answer).toEqual({ status: 'closed' });
        expectClientSpan(result, { method: 'GET', url: `${downstream.url}/http/unread`, downstreamPath: '/http/unread', status: 200 });
      });

      it('http: a 5xx response sets error.type to the status code', async () => {
        const result = await call(app, 'http-5xx');
        expect(result.answer).toMatchObject({ status: 503 });
        expectClientSpan(result, { method: 'GET', url: `${downstream.url}/fail`, downstreamPath: '/fail', status: 503, errorType: '503' });
      });

      it('http: connection refused sets error.type and records the exception', async () => {
        const result = await call(app, 'http-refused');
        expect(result.answer).toEqual({ error: 'ECONNREFUSED' });
        const client = expectClientSpan(result, { method: 'GET', url: `${refusedUrl}/nothing-here`, errorType: 'ECONNREFUSED' });
        expect(client.events.map((e) => e.name)).toEqual(['exception']);
      });

      it('axios default instance: query values redacted, caller headers unchanged', async () => {
        const result = await call(app, 'axios-default');
        expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
        expectClientSpan(result, {
          method: 'GET',
          url: `${downstream.url}/axios/default?api_key=REDACTED&keep=1`,
          downstreamPath: '/axios/default?api_key=k3y&keep=1',
          status: 200,
        });
      });

      it('axios default instance: a call opted out with the ignore comment stays untraced', async () => {
        await call(app, 'axios-default'); // the default instance's traced alias is in use
        await app.reset();
        downstream.received.length = 0;
        const res = await fetch(`http://127.0.0.1:${app.ready.port}/call/axios-ignored`, { headers: { traceparent: `00-${hex(16)}-${hex(8)}-01` } });
        expect(await res.json()).toEqual({ status: 200 });
        const spans = await app.waitForSpans((s) => s.some((x) => x.kind === SERVER));
        expect(spans.filter((s) => s.kind === CLIENT)).toEqual([]);
        expect(downstream.received).toHaveLength(1);
        // Nothing injected context into the opted-out request.
        expect(downstream.received[0]!.headers.traceparent).toBeUndefined();
      });

      it('axios instance from axios.create: caller config unchanged, instance headers sent', async () => {
        const result = await call(app, 'axios-instance');
        expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' }, callerConfigKeys: ['headers'] });
        expectClientSpan(result, { method: 'POST', url: `${downstream.url}/axios/instance`, downstreamPath: '/axios/instance', status: 200 });
        expect(downstream.received[0]!.headers).toMatchObject({ 'x-caller': 'yes', 'x-client': 'stock' });
      });

      it('axios: a 5xx response sets error.type to the status code', async () => {
        const result = await call(app, 'axios-5xx');
        expect(result.answer).toEqual({ status: 503 });
        expectClientSpan(result, { method: 'GET', url: `${downstream.url}/fail`, downstreamPath: '/fail', status: 503, errorType: '503' });
      });

      it('axios: connection refused sets error.type', async () => {
        const result = await call(app, 'axios-refused');
        expect(result.answer).toEqual({ error: 'ECONNREFUSED' });
        expectClientSpan(result, { method: 'GET', url: `${refusedUrl}/nothing-here`, errorType: 'ECONNREFUSED' });
      });

      it('fetch with a string: caller headers unchanged', async () => {
        const result = await call(app, 'fetch-string');
        expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
        expectClientSpan(result, { method: 'GET', url: `${downstream.url}/fetch/string`, downstreamPath: '/fetch/string', status: 200 });
      });

      it('fetch with a URL object: sensitive query values redacted', async () => {
        const result = await call(app, 'fetch-url');
        expectClientSpan(result, {
          method: 'DELETE',
          url: `${downstream.url}/fetch/url?password=REDACTED&keep=1`,
          downstreamPath: '/fetch/url?password=pw&keep=1',
          status: 200,
        });
      });

      it('fetch with a Request: the Request is not mutated', async () => {
        const result = await call(app, 'fetch-request');
        expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
        expectClientSpan(result, { method: 'PATCH', url: `${downstream.url}/fetch/request`, downstreamPath: '/fetch/request', status: 200 });
      });

      it('fetch: 5xx and connection refused set error.type', async () => {
        const failed = await call(app, 'fetch-5xx');
        expectClientSpan(failed, { method: 'GET', url: `${downstream.url}/fail`, downstreamPath: '/fail', status: 503, errorType: '503' });
        await app.reset();
        const refused = await call(app, 'fetch-refused');
        expect(refused.answer).toEqual({ error: 'ECONNREFUSED' });
        expectClientSpan(refused, { method: 'GET', url: `${refusedUrl}/nothing-here`, errorType: 'ECONNREFUSED' });
      });
    } else {
      it('named get with an options object: sensitive query value redacted, headers unchanged', async () => {
        const result = await call(app, 'http-get-options');
        expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
        expectClientSpan(result, {
          method: 'GET',
          url: `${downstream.url}/ts/http-get?code=REDACTED&keep=1`,
          downstreamPath: '/ts/http-get?code=abc123&keep=1',
          status: 200,
        });
      });

      it('named request with a URL string and options', async () => {
        const result = await call(app, 'http-request-string');
        expectClientSpan(result, { method: 'POST', url: `${downstream.url}/ts/http-request`, downstreamPath: '/ts/http-request', status: 200 });
      });

      it('https request to a TLS server: https URL and port, context received', async () => {
        const result = await call(app, 'https-string');
        expect(result.answer).toEqual({ status: 200 });
        expectClientSpan(result, { method: 'GET', url: `${secureDownstream.url}/ts/https?access_token=REDACTED`, downstreamPath: '/ts/https?access_token=t0k', status: 200 });
      });

      it('https request: https URL, connection refused', async () => {
        const result = await call(app, 'https-refused');
        expect(result.answer).toEqual({ error: 'ECONNREFUSED' });
        expectClientSpan(result, { method: 'GET', url: `${refusedUrl.replace('http:', 'https:')}/secure`, errorType: 'ECONNREFUSED' });
      });

      it('axios.request with a config: caller headers unchanged', async () => {
        const result = await call(app, 'axios-request');
        expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
        expectClientSpan(result, { method: 'POST', url: `${downstream.url}/ts/axios-request`, downstreamPath: '/ts/axios-request', status: 200 });
      });

      it('axios instance: a 5xx response sets error.type', async () => {
        const result = await call(app, 'axios-instance-5xx');
        expect(result.answer).toEqual({ status: 503 });
        expectClientSpan(result, { method: 'GET', url: `${downstream.url}/ts/fail`, downstreamPath: '/ts/fail', status: 503, errorType: '503' });
      });

      it('fetch with a Request', async () => {
        const result = await call(app, 'fetch-request');
        expect(result.answer).toEqual({ status: 200, callerHeaders: { 'x-caller': 'yes' } });
        expectClientSpan(result, { method: 'GET', url: `${downstream.url}/ts/fetch-request`, downstreamPath: '/ts/fetch-request', status: 200 });
      });
    }
  });
});
