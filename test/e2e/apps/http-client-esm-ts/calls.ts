// Outgoing calls in ESM TypeScript with named imports: node:http `get`/`request`, node:https
// `request`, axios (default instance and an instance) and global fetch.
import axios, { AxiosError } from 'axios';
import { get, request, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as secureRequest } from 'node:https';

export type CallResult = { status?: number | string; error?: string; callerHeaders?: unknown };

const downstream = process.env.DOWNSTREAM_URL!;
const refused = process.env.REFUSED_URL!;
const secureDownstream = process.env.HTTPS_DOWNSTREAM_URL!;
const api = axios.create({ baseURL: `${downstream}/ts` });

function body(res: IncomingMessage): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    res.resume();
    res.on('end', () => resolve({ status: res.statusCode }));
    res.on('error', reject);
  });
}

export const calls: Record<string, () => Promise<CallResult>> = {
  // Options object with a sensitive query value (`code`) and a callback.
  'http-get-options': () => {
    const { hostname, port } = new URL(downstream);
    const headers: OutgoingHttpHeaders = { 'x-caller': 'yes' };
    return new Promise((resolve, reject) => {
      get({ hostname, port, path: '/ts/http-get?code=abc123&keep=1', headers }, (res) => body(res).then((r) => resolve({ ...r, callerHeaders: headers }), reject)).on(
        'error',
        reject,
      );
    });
  },

  'http-request-string': () =>
    new Promise((resolve, reject) => {
      const req = request(`${downstream}/ts/http-request`, { method: 'POST' }, (res) => body(res).then(resolve, reject));
      req.on('error', reject);
      req.end('x');
    }),

  // A real TLS server (its self-signed certificate is trusted through NODE_EXTRA_CA_CERTS).
  'https-string': () =>
    new Promise((resolve, reject) => {
      const req = secureRequest(`${secureDownstream}/ts/https?access_token=t0k`, (res) => body(res).then(resolve, reject));
      req.on('error', reject);
      req.end();
    }),

  // https defaults: url.full and server.port come from the https module's protocol.
  'https-refused': () =>
    new Promise((resolve) => {
      const { port } = new URL(refused);
      const req = secureRequest({ hostname: '127.0.0.1', port, path: '/secure' }, () => resolve({ status: 'unexpected' }));
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
      req.end();
    }),

  'axios-request': async () => {
    const headers = { 'x-caller': 'yes' };
    const res = await axios.request({ url: `${downstream}/ts/axios-request`, method: 'post', data: { n: 1 }, headers });
    return { status: res.status, callerHeaders: headers };
  },

  'axios-instance-5xx': async () => {
    try {
      return { status: (await api.get('/fail')).status };
    } catch (error) {
      if (error instanceof AxiosError) return { status: error.response?.status };
      throw error;
    }
  },

  'fetch-request': async () => {
    const req = new Request(`${downstream}/ts/fetch-request`, { headers: { 'x-caller': 'yes' } });
    const res = await fetch(req);
    return { status: res.status, callerHeaders: Object.fromEntries(req.headers) };
  },
};
