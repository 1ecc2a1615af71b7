import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the downstream service saw of one request. */
export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface Downstream {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`). */
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** What the service answers to one request. */
export interface Answer {
  status: number;
  body: string;
}

export interface DownstreamOptions {
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
  /** Record into this list (several services can share one). */
  received?: Received[];
  /** The answer to a request; by default a stock service's: `201` to POST, `200` otherwise. */
  answer?: (req: http.IncomingMessage) => Answer;
}

const stockAnswer = (req: http.IncomingMessage): Answer => ({ status: req.method === 'POST' ? 201 : 200, body: JSON.stringify({ available: 3 }) });

/**
 * A real HTTP(S) service on loopback for apps under test to call: records every request (method,
 * path, headers) and answers as `options.answer` says (JSON).
 */
export async function startDownstream(options: DownstreamOptions = {}): Promise<Downstream> {
  const { tls, received = [], answer = stockAnswer } = options;
  const handler: http.RequestListener = (req, res) => {
    received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      const { status, body } = answer(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A fresh incoming W3C context: the caller's trace and span ids and the `traceparent` header. */
export function incomingTrace(): { traceId: string; parentId: string; traceparent: string } {
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}
