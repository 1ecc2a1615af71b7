// Preloaded after sdk.mjs for the amqplib "floor" runs: what two spans per message cost with
// this SDK and nothing else. amqplib's Channel is patched so each publish starts and ends a bare
// PRODUCER span and each delivery runs in a bare CONSUMER span (made active with context.with),
// with a fixed set of attributes and no propagation. No instrumentation that creates these two
// spans can be cheaper than this; the gap between it and otel-instrument is the cost of
// injecting and extracting context and of computing real attributes.
// With BENCH_FLOOR_TRACEPARENT=1 each publish also carries the span's `traceparent` header (in a
// copy of the options, as an instrumentation must): the least a producer span *with propagation*
// can cost, including what the extra header costs amqplib to encode and decode and the broker to
// carry.
import { createRequire } from 'node:module';
import path from 'node:path';
import { context, SpanKind, trace } from '@opentelemetry/api';

// The package's internals by path: its `exports` map hides them, as it should from applications.
const require = createRequire(path.join(process.cwd(), 'workload.cjs'));
const amqplibDir = path.dirname(require.resolve('amqplib'));
const { Channel } = require(path.join(amqplibDir, 'lib/channel_model.js'));
const { BaseChannel } = require(path.join(amqplibDir, 'lib/channel.js'));
const tracer = trace.getTracer('floor');
const ATTRIBUTES = { 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send', 'messaging.destination.name': 'floor' };

const WITH_TRACEPARENT = process.env.BENCH_FLOOR_TRACEPARENT === '1';

const publish = Channel.prototype.publish;
Channel.prototype.publish = function (...args) {
  const span = tracer.startSpan('publish floor', { kind: SpanKind.PRODUCER, attributes: ATTRIBUTES });
  span.end();
  if (WITH_TRACEPARENT) {
    const { traceId, spanId } = span.spanContext();
    const options = args[3];
    args[3] = { ...options, headers: { ...options?.headers, traceparent: `00-${traceId}-${spanId}-01` } };
  }
  return publish.apply(this, args);
};
const dispatchMessage = BaseChannel.prototype.dispatchMessage;
BaseChannel.prototype.dispatchMessage = function (fields, message) {
  if (!message) return dispatchMessage.call(this, fields, message);
  const span = tracer.startSpan('process floor', { kind: SpanKind.CONSUMER, attributes: ATTRIBUTES });
  try {
    return context.with(trace.setSpan(context.active(), span), dispatchMessage, this, fields, message);
  } finally {
    span.end();
  }
};
