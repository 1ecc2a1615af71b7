// What every instrumented HTTP client must do end to end, whatever the library: one CLIENT span
// per call under the request's SERVER span, the stable attributes, nothing leaked, and the
// downstream receiving that span's context and the baggage. test/e2e/http-client.test.ts and
// test/e2e/http-clients-more.test.ts check their apps' calls with it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { AppProcess, SpanRecord } from '../support/app-process.js';
import { hex, type Answer, type Downstream } from '../support/downstream.js';
import { CLIENT, SERVER, STATUS_ERROR, STATUS_UNSET } from './server-contract.js';

export { CLIENT, SERVER };
const BAGGAGE = 'tenant=acme,plan=gold';

/** What the downstream answers: `{"ok":true}`, with 503 to paths ending in `/fail`. */
export const okUnlessFail = (req: IncomingMessage): Answer => ({ status: req.url?.endsWith('/fail') ? 503 : 200, body: '{"ok":true}' });

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Expected {
  method: string;
  /** `url.full` as recorded (after redaction). */
  url: string;
  /** Path and query the downstream receives; absent when the call cannot reach it. */
  downstreamPath?: string;
  status?: number;
  errorType?: string;
}

export type CallResult = Awaited<ReturnType<typeof call>>;

/** What one `GET /call/:name` on the app answered, and the spans it produced. */
export async function call(app: AppProcess, name: string) {
  const traceId = hex(16);
  const res = await fetch(`http://127.0.0.1:${app.ready.port}/call/${name}`, {
    headers: { traceparent: `00-${traceId}-${hex(8)}-01`, baggage: BAGGAGE },
  });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as Record<string, unknown>;
  const spans = await app.waitForSpans((s) => s.some((x) => x.kind === SERVER) && s.some((x) => x.kind === CLIENT));
  return { traceId, answer, spans };
}

/** Asserts the only CLIENT span of a call, its parent and what the downstream (`downstream()`) received. */
export function clientSpanCheck(downstream: () => Downstream) {
  return (result: CallResult, expected: Expected): SpanRecord => {
    const { spans, traceId } = result;
    const server = spans.find((s) => s.kind === SERVER)!;
    const clients = spans.filter((s) => s.kind === CLIENT);
    expect(clients).toHaveLength(1);
    const client = clients[0]!;
    expect(client.name).toBe(expected.method);
    expect(client.traceId).toBe(traceId);
    expect(client.parentSpanId).toBe(server.spanId);
    const { port } = new URL(expected.url.replace(/\/\/[^@/]*@/, '//'));
    expect(client.attributes).toMatchObject({
      'http.request.method': expected.method,
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'url.full': expected.url,
    });
    if (expected.status !== undefined) expect(client.attributes['http.response.status_code']).toBe(expected.status);
    else expect(client.attributes).not.toHaveProperty('http.response.status_code');
    if (expected.errorType !== undefined) {
      expect(client.attributes['error.type']).toBe(expected.errorType);
      expect(client.status.code).toBe(STATUS_ERROR);
    } else {
      expect(client.attributes).not.toHaveProperty('error.type');
      expect(client.status.code).toBe(STATUS_UNSET);
    }
    // Nothing from bodies, headers or baggage leaks into attributes.
    expect(JSON.stringify(client.attributes)).not.toMatch(/acme|gold|x-caller|hunter2|s3cret|k3y|abc123|t0k/);
    if (expected.downstreamPath !== undefined) {
      const received = downstream().received.filter((r) => r.path === expected.downstreamPath);
      expect(received, `downstream requests to ${expected.downstreamPath}`).toHaveLength(1);
      expect(received[0]!.method).toBe(expected.method);
      expect(received[0]!.headers.traceparent).toBe(`00-${traceId}-${client.spanId}-01`);
      expect(received[0]!.headers.baggage).toBe(BAGGAGE);
    }
    return client;
  };
}
