'use strict';
// What each stage of the example saw, for test/e2e/messaging.test.ts. Buffers travel as
// `{ base64 }` so "byte for byte" survives JSON.
const { context, propagation, trace } = require('@opentelemetry/api');

const observations = [];

/** Buffers → `{ base64 }`, recursively; everything else as it is. */
function wire(value) {
  if (Buffer.isBuffer(value)) return { base64: value.toString('base64') };
  if (Array.isArray(value)) return value.map(wire);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]));
  return value;
}

/** Records `details` with the span and baggage active at this point. */
function observe(stage, details) {
  const span = trace.getSpan(context.active())?.spanContext();
  const baggage = Object.fromEntries((propagation.getBaggage(context.active())?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]));
  observations.push({ stage, traceId: span?.traceId, spanId: span?.spanId, baggage, ...wire(details) });
}

module.exports = { observations, observe, wire };
