// Example Kafka service for test/e2e/kafkajs.test.ts. POST /send sends what the body says inside
// an app span carrying the given baggage; GET /observations returns what the consumers saw.
// Prints `READY {"port":N}`.
import http from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import { producer, startConsumers, topics, transactional } from './kafka.js';
import { fromWire, handlerFailures, observations, thrown, type Wire } from './observations.js';
import { publish, publishEach, publishInTransaction } from './publish.js';

interface WireMessage {
  key?: Wire;
  value: Wire;
  headers?: Record<string, Wire>;
}

interface SendRequest {
  how: 'send' | 'sendBatch' | 'transaction';
  /** Topic names (keys of `topics`) with their messages. */
  to: { topic: keyof typeof topics; messages: WireMessage[] }[];
  baggage?: Record<string, string>;
}

function toMessage(wire: WireMessage): Message {
  const headers = wire.headers && Object.fromEntries(Object.entries(wire.headers).map(([k, v]) => [k, fromWire(v) ?? undefined]));
  const key = fromWire(wire.key) as Buffer | string | null | undefined;
  const value = fromWire(wire.value) as Buffer | string | null | undefined;
  return { key, value: value ?? null, ...(headers ? { headers } : {}) };
}

/** A message with its Buffers spelled out, to tell whether sending changed it. */
function snapshot(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && v.type === 'Buffer' ? `buffer:${Buffer.from(v.data).toString('hex')}` : v));
}

async function send(request: SendRequest) {
  const groups = request.to.map(({ topic, messages }) => ({ topic: topics[topic], messages: messages.map(toMessage) }));
  const before = snapshot(groups);
  let ctx = context.active();
  if (request.baggage) ctx = propagation.setBaggage(ctx, propagation.createBaggage(Object.fromEntries(Object.entries(request.baggage).map(([k, v]) => [k, { value: v }]))));
  return context.with(ctx, () =>
    trace.getTracer('kafkajs-example').startActiveSpan('place order', async (span) => {
      try {
        const [first] = groups;
        if (request.how === 'send') await publish(producer, first!.topic, first!.messages);
        else if (request.how === 'transaction') await publishInTransaction(transactional, first!.topic, first!.messages);
        else await publishEach(producer, groups);
        return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, unchanged: snapshot(groups) === before, topics };
      } finally {
        span.end();
      }
    }),
  );
}

await startConsumers();

const server = http.createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  try {
    let answer: unknown;
    if (req.method === 'POST' && req.url === '/send') answer = await send(JSON.parse(body) as SendRequest);
    else if (req.url === '/observations') answer = { observations, handlerFailures, topics };
    else if (req.url === '/reset') answer = { cleared: observations.splice(0).length + handlerFailures.splice(0).length + thrown.splice(0).length };
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer ?? {}));
  } catch (error) {
    // What reached the caller: the error kafkajs raised, as it raised it.
    const { name, type, cause } = error as { name?: string; type?: string; cause?: { type?: string } };
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(error), name, type, causeType: cause?.type }));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ port: (server.address() as { port: number }).port })}`));
