// Example RabbitMQ service (amqplib promise and callback APIs) for test/e2e/amqplib.test.ts.
// POST /publish publishes what the body says inside an app span carrying the given baggage;
// GET /observations returns what the consumers saw. Prints `READY {"port":N}`.
import http from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { startLegacy } from './legacy.cjs';
import { startMessaging } from './messaging.mjs';
import { escaped, escapedError, observations, thrown } from './observations.mjs';

const url = process.env.AMQP_URL;
const prefix = process.env.QUEUE_PREFIX;
const messaging = await startMessaging(url, prefix);
const legacy = await new Promise((resolve, reject) => startLegacy(url, prefix, (err, api) => (err ? reject(err) : resolve(api))));

// An async consumer's rethrown error reaches the process as an unhandled rejection.
process.on('unhandledRejection', (reason) => escapedError('process', reason));

/** Decodes `{ base64 }` header values back into Buffers. */
function revive(value) {
  if (value && typeof value === 'object' && typeof value.base64 === 'string') return Buffer.from(value.base64, 'base64');
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}

async function publish(request) {
  const content = Buffer.from(request.content, 'base64');
  const options = request.options ? revive(request.options) : undefined;
  const before = JSON.stringify(options);
  let ctx = context.active();
  if (request.baggage) ctx = propagation.setBaggage(ctx, propagation.createBaggage(Object.fromEntries(Object.entries(request.baggage).map(([k, v]) => [k, { value: v }]))));
  const tracer = trace.getTracer('amqplib-example');
  return context.with(ctx, () =>
    tracer.startActiveSpan('place order', async (span) => {
      try {
        if (request.method === 'publish') await messaging.publish(request.exchange, request.routingKey, content, options);
        else if (request.method === 'sendToQueue') await messaging.sendToQueue(request.queue, content, options);
        else legacy.send(content, options);
        return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, optionsUnchanged: JSON.stringify(options) === before };
      } finally {
        span.end();
      }
    }),
  );
}

const server = http.createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  try {
    let answer;
    if (req.method === 'POST' && req.url === '/publish') answer = await publish(JSON.parse(body));
    else if (req.url === '/observations') answer = { observations, escaped };
    else if (req.url === '/reset') answer = { cleared: observations.splice(0).length + escaped.splice(0).length + thrown.splice(0).length };
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer ?? {}));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(error) }));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ port: server.address().port })}`));
