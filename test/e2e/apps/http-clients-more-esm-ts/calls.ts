// Outgoing calls in ESM TypeScript through undici (module functions on the global dispatcher,
// a Pool, an Agent made the global dispatcher, undici's fetch), got and node-fetch 3.
import got, { HTTPError } from 'got';
import nodeFetch, { Request as NodeFetchRequest } from 'node-fetch';
import { Agent, Pool, fetch as undiciFetch, Request as UndiciRequest, request, setGlobalDispatcher } from 'undici';

export type CallResult = { status?: number | string; error?: string; callerHeaders?: unknown };

const downstream = process.env.DOWNSTREAM_URL!;
const refused = process.env.REFUSED_URL!;
const pool = new Pool(downstream);
// The global dispatcher, instrumented where it is born: global fetch (tracedFetch) still gives one span.
const agent = new Agent({ keepAliveTimeout: 1000 });
setGlobalDispatcher(agent);
const api = got.extend({ prefixUrl: `${downstream}/got`, headers: { 'x-client': 'stock' } });

const errorCode = (error: unknown) => ({ error: String((error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code) });

export const calls: Record<string, () => Promise<CallResult>> = {
  'undici-request': async () => {
    const headers = { 'x-caller': 'yes' };
    const { statusCode, body } = await request(`${downstream}/undici/request?token=s3cret&keep=1`, { headers });
    await body.text();
    return { status: statusCode, callerHeaders: headers };
  },

  'undici-pool': async () => {
    const headers = { 'x-caller': 'yes', 'content-type': 'text/plain' };
    const { statusCode, body } = await pool.request({ path: '/undici/pool', method: 'POST', headers, body: 'x' });
    await body.dump();
    return { status: statusCode, callerHeaders: headers };
  },

  'undici-pool-5xx': async () => {
    const { statusCode, body } = await pool.request({ path: '/undici/fail', method: 'GET' });
    await body.dump();
    return { status: statusCode };
  },

  'undici-fetch': async () => {
    const req = new UndiciRequest(`${downstream}/undici/fetch`, { method: 'PATCH', headers: { 'x-caller': 'yes' } });
    const res = await undiciFetch(req);
    await res.arrayBuffer();
    return { status: res.status, callerHeaders: Object.fromEntries(req.headers) };
  },

  'undici-refused': () => request(`${refused}/nothing-here`).then(() => ({ status: 'unexpected' }), errorCode),

  'undici-global-fetch': async () => {
    const res = await fetch(`${downstream}/undici/global-fetch`, { method: 'PUT', body: 'x' });
    await res.arrayBuffer();
    return { status: res.status };
  },

  'undici-agent': async () => {
    const { statusCode, body } = await agent.request({ origin: downstream, path: '/undici/agent', method: 'DELETE' });
    await body.dump();
    return { status: statusCode };
  },

  'got-default': async () => {
    const headers = { 'x-caller': 'yes' };
    const res = await got(`${downstream}/got/default?api_key=k3y&keep=1`, { headers });
    return { status: res.statusCode, callerHeaders: headers };
  },

  'got-instance': async () => {
    const options = { headers: { 'x-caller': 'yes' }, body: 'x' };
    const res = await api.post('instance', options);
    return { status: res.statusCode, callerHeaders: options.headers };
  },

  'got-5xx': () => api.get('fail', { retry: { limit: 0 } }).then((res) => ({ status: res.statusCode }), (error: unknown) => ({ status: error instanceof HTTPError ? error.response.statusCode : 'unexpected' })),

  'got-refused': () => got(`${refused}/nothing-here`, { retry: { limit: 0 } }).then(() => ({ status: 'unexpected' }), errorCode),

  'got-stream': () =>
    new Promise((resolve, reject) => {
      let status: number | undefined;
      got.stream.put(`${downstream}/got/stream`, { body: 'x' })
        .on('response', (res: { statusCode: number }) => (status = res.statusCode))
        .on('error', reject)
        .on('data', () => undefined)
        .on('end', () => resolve({ status }));
    }),

  'node-fetch-string': async () => {
    const headers = { 'x-caller': 'yes' };
    const res = await nodeFetch(`${downstream}/node-fetch/string?password=pw&keep=1`, { headers });
    await res.arrayBuffer();
    return { status: res.status, callerHeaders: headers };
  },

  'node-fetch-request': async () => {
    const req = new NodeFetchRequest(`${downstream}/node-fetch/request`, { method: 'PATCH', headers: { 'x-caller': 'yes' } });
    const res = await nodeFetch(req);
    await res.arrayBuffer();
    return { status: res.status, callerHeaders: Object.fromEntries(req.headers) };
  },

  'node-fetch-5xx': async () => ({ status: (await nodeFetch(`${downstream}/node-fetch/fail`)).status }),

  'node-fetch-refused': () => nodeFetch(`${refused}/nothing-here`).then(() => ({ status: 'unexpected' }), errorCode),
};
