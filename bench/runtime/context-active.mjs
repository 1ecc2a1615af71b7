// Preloaded after sdk.mjs for the "floor" runs: the uninstrumented app, but with the SDK's
// AsyncLocalStorage context manager switched on, as any instrumentation that makes a span active
// around request handling does (on Node 20, once AsyncLocalStorage has run, every async resource
// and promise carries the store). No span is ever created: this is the price of context
// propagation alone, which neither otel-instrument nor auto-instrumentation can avoid.
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';

context.with(ROOT_CONTEXT.setValue(createContextKey('bench.context-active'), true), () => {});
