import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the downstream service saw of one request. */
export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface Downstream {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A real HTTP service on loopback for apps under test to call: records every request (method,
 * path, headers) and answers like a stock service (`201` to POST, `200` otherwise).
 */
export async function startDownstream(): Promise<Downstream> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ available: 3 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
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
