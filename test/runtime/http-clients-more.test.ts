// The undici, got and node-fetch helpers in process, with the real SDK and a real downstream: the
// shapes the e2e apps do not reach (handler styles, header shapes, wrapping twice, retries).
import got from 'got';
import { createRequire } from 'node:module';
import type * as NodeFetch from 'node-fetch';
import { Agent, Pool, request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { instrumentGot } from '../../templates/runtime/got.js';
import { tracedFetch } from '../../templates/runtime/http-client.js';
import { tracedNodeFetch } from '../../templates/runtime/node-fetch.js';
import { instrumentUndici, tracedUndici } from '../../templates/runtime/undici.js';
import { okUnlessFail } from '../e2e/client-contract.js';
import { startDownstream, type Downstream } from '../support/downstream.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

const CLIENT = 2;
/** node-fetch 2 (the `node-fetch2` alias; CommonJS, untyped): typed as node-fetch 3, whose API it shares here. */
const nodeFetch2 = createRequire(import.meta.url)('node-fetch2') as typeof NodeFetch.default & { Request: typeof NodeFetch.Request; Headers: typeof NodeFetch.Headers };

describe('undici, got and node-fetch helpers in process', () => {
  const { exporter, closers } = inProcessTracing();
  let downstream: Downstream;
  const clientSpans = () => exporter.getFinishedSpans().filter((s) => s.kind === CLIENT);
  /** The one CLIENT span so far, and the traceparent the downstream must have received from it. */
  const onlySpan = () => {
    const spans = clientSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    return { span, traceparent: `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01` };
  };

  beforeAll(async () => {
    downstream = await startDownstream({ answer: okUnlessFail });
    closers.push(() => downstream.close());
  });
  const received = (path: string) => downstream.received.filter((r) => r.path === path);

  it('undici: a dispatcher instrumented twice, given to tracedUndici(request) too, gives one span', async () => {
    const agent = instrumentUndici(instrumentUndici(new Agent()));
    closers.push(() => agent.close());
    const { body } = await tracedUndici(request)(`${downstream.url}/rt/twice`, { dispatcher: agent });
    await body.dump();
    const { span, traceparent } = onlySpan();
    expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.full': `${downstream.url}/rt/twice` });
    expect(received('/rt/twice')[0]!.headers.traceparent).toBe(traceparent);
  });

  it('undici: flat-list and iterable headers are copied with the context added, the caller’s left as they are', async () => {
    const pool = instrumentUndici(new Pool(downstream.url));
    closers.push(() => pool.close());
    const flat = ['x-caller', 'flat', 'traceparent', '00-stale-stale-00'];
    await (await pool.request({ path: '/rt/flat', method: 'GET', headers: flat })).body.dump();
    const iterable = new Map([['x-caller', 'map']]);
    await (await pool.request({ path: '/rt/iterable', method: 'GET', headers: iterable })).body.dump();
    expect(flat).toEqual(['x-caller', 'flat', 'traceparent', '00-stale-stale-00']);
    expect([...iterable]).toEqual([['x-caller', 'map']]);
    const [flatSpan, iterableSpan] = clientSpans();
    expect(received('/rt/flat')[0]!.headers).toMatchObject({ 'x-caller': 'flat', traceparent: `00-${flatSpan!.spanContext().traceId}-${flatSpan!.spanContext().spanId}-01` });
    expect(received('/rt/iterable')[0]!.headers).toMatchObject({ 'x-caller': 'map', traceparent: `00-${iterableSpan!.spanContext().traceId}-${iterableSpan!.spanContext().spanId}-01` });
  });

  it('undici: a controller-first handler (onResponseStart, …) ends its span with the status', async () => {
    const pool = instrumentUndici(new Pool(downstream.url));
    closers.push(() => pool.close());
    const status = await new Promise<number>((resolve, reject) => {
      let seen = 0;
      pool.dispatch(
        { path: '/rt/fail', method: 'GET' },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode) {
            seen = statusCode;
          },
          onResponseData() {},
          onResponseEnd: () => resolve(seen),
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });
    expect(status).toBe(503);
    const { span, traceparent } = onlySpan();
    expect(span.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' });
    expect(received('/rt/fail')[0]!.headers.traceparent).toBe(traceparent);
  });

  it('got: instrumenting a traced instance or one extended from it adds no second span; retries stay in the call’s span', async () => {
    const api = instrumentGot(got.extend({ prefixUrl: `${downstream.url}/rt` }));
    expect(instrumentGot(api)).toBe(api);
    const child = api.extend({ headers: { 'x-caller': 'child' } });
    expect(instrumentGot(child)).toBe(child);
    const error = await instrumentGot(child)('got/fail', { retry: { limit: 1, calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0) } }).catch((e: unknown) => e);
    expect((error as { response?: { statusCode: number } }).response?.statusCode).toBe(503);
    const { span, traceparent } = onlySpan();
    expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 503, 'error.type': '503' });
    // Two attempts, one span, both carrying its context and the child's header.
    expect(received('/rt/got/fail').map((r) => [r.headers.traceparent, r.headers['x-caller']])).toEqual([
      [traceparent, 'child'],
      [traceparent, 'child'],
    ]);
  });

  it('node-fetch 2: its own Headers in init, merged over the Request’s, the caller’s objects unchanged', async () => {
    const fetch = tracedNodeFetch(nodeFetch2);
    expect(tracedNodeFetch(nodeFetch2)).toBe(fetch);
    const req = new nodeFetch2.Request(`${downstream.url}/rt/node-fetch2`, { method: 'POST', body: 'x', headers: { 'x-from': 'request', 'x-caller': 'request' } });
    const headers = new nodeFetch2.Headers({ 'x-caller': 'init' });
    const res = await fetch(req, { headers });
    await res.text();
    expect([...headers]).toEqual([['x-caller', 'init']]);
    expect(req.headers.get('x-caller')).toBe('request');
    expect(req.headers.has('traceparent')).toBe(false);
    const { span, traceparent } = onlySpan();
    expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200 });
    expect(received('/rt/node-fetch2')[0]!.headers).toMatchObject({ 'x-caller': 'init', 'x-from': 'request', traceparent });
  });

  it('with the runtime instrumentation-undici enabled too: one span and one traceparent, for a traced Pool and for tracedFetch', async () => {
    const runtime = new UndiciInstrumentation();
    closers.push(async () => runtime.disable());
    const pool = instrumentUndici(new Pool(downstream.url));
    closers.push(() => pool.close());
    await (await pool.request({ path: '/rt/runtime-pool', method: 'GET' })).body.dump();
    const { traceparent } = onlySpan();
    expect(received('/rt/runtime-pool')[0]!.headers.traceparent).toBe(traceparent);
    exporter.reset();
    await (await tracedFetch(`${downstream.url}/rt/runtime-fetch`)).arrayBuffer();
    const fetched = onlySpan();
    expect(received('/rt/runtime-fetch')[0]!.headers.traceparent).toBe(fetched.traceparent);
    runtime.disable();
    // The runtime instrumentation does trace what no helper covers (the check above can fail).
    runtime.enable();
    await (await request(`${downstream.url}/rt/runtime-only`)).body.dump();
    expect(clientSpans().map((s) => s.instrumentationScope.name)).toContain('@opentelemetry/instrumentation-undici');
    runtime.disable();
  });
});
