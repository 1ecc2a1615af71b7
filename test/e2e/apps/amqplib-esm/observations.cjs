// What the consumers saw, for the test to read back over HTTP. Plain JSON: Buffers as base64.
const { context, propagation, trace } = require('@opentelemetry/api');

const observations = [];
/** Errors the failing consumers threw, to compare with what reaches the process. */
const thrown = [];
/** Errors that reached the process or a connection, and whether each is one a consumer threw. */
const escaped = [];

function escapedError(where, error) {
  escaped.push({ where, message: error?.message, cause: error?.cause?.message, sameAsThrown: thrown.includes(error) });
}

function plain(value) {
  if (Buffer.isBuffer(value)) return { base64: value.toString('base64') };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function observe(queue, msg) {
  const span = trace.getActiveSpan();
  const baggage = propagation.getBaggage(context.active());
  observations.push({
    queue,
    cancelled: msg === null,
    content: msg ? msg.content.toString('base64') : undefined,
    fields: msg ? plain(msg.fields) : undefined,
    properties: msg ? plain(msg.properties) : undefined,
    activeSpanId: span ? span.spanContext().spanId : undefined,
    baggage: baggage ? Object.fromEntries(baggage.getAllEntries().map(([k, e]) => [k, e.value])) : {},
  });
}

module.exports = { observe, observations, thrown, escaped, escapedError };
