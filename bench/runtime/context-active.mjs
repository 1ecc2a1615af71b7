// Preloaded after sdk.mjs for the "floor" runs: the uninstrumented app, but every request is
// handled inside its own OpenTelemetry context (AsyncLocalStorage, as the SDK's context manager
// does), and no span is ever created. This is the price of context propagation alone: on
// Node 20 every promise and async resource created while a context is active carries it. Any
// instrumentation that makes a span active around request handling (otel-instrument and
// auto-instrumentation alike) pays it.
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import http from 'node:http';

const REQUEST = createContextKey('bench.request');
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event !== 'request') return emit.call(this, event, ...args);
  return context.with(ROOT_CONTEXT.setValue(REQUEST, args[0]), () => emit.call(this, event, ...args));
};
