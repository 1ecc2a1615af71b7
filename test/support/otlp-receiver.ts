import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { repoRoot } from './golden.js';

/** A span as received over OTLP/HTTP JSON, with the kind as the API's `SpanKind` numbers. */
export interface ReceivedSpan {
  name: string;
  /** `SpanKind`: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  kind: number;
  scope: string;
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** The traces endpoint, for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  endpoint: string;
  /** Environment that makes a Node process (and every Node child it starts) export here. */
  env: Record<string, string>;
  spans: ReceivedSpan[];
  /** Waits until `predicate` holds for the spans received so far (bounded). */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, what: string, timeoutMs?: number): Promise<ReceivedSpan[]>;
  reset(): void;
  close(): Promise<void>;
}

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number; arrayValue?: { values?: AnyValue[] } };
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: { scope?: { name?: string }; spans?: { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string; attributes?: { key: string; value: AnyValue }[] }[] }[];
  }[];
}

const PRELOAD = path.join(repoRoot, 'test/support/otlp-preload.cjs');

function plain(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  return undefined;
}

const attributes = (list: { key: string; value: AnyValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));

/**
 * A loopback OTLP/HTTP (JSON) trace receiver: what a collector would get from the project under
 * test. Every span of every export request is kept in arrival order.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
        for (const resourceSpans of body.resourceSpans ?? []) {
          const service = String(attributes(resourceSpans.resource?.attributes)['service.name'] ?? '');
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const s of scopeSpans.spans ?? []) {
              spans.push({
                name: s.name,
                kind: s.kind - 1, // OTLP counts from SPAN_KIND_UNSPECIFIED
                scope: scopeSpans.scope?.name ?? '',
                service,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || undefined,
                attributes: attributes(s.attributes),
              });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return {
    endpoint,
    env: { NODE_OPTIONS: `--require ${PRELOAD}`, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint },
    spans,
    async waitFor(predicate, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(spans)) {
        if (Date.now() > deadline) throw new Error(`${what}: never seen; spans received:\n${spans.map((s) => `  ${s.kind} ${s.name} ${s.traceId}/${s.spanId} <- ${s.parentSpanId ?? '-'}`).join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return spans;
    },
    reset: () => void spans.splice(0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
