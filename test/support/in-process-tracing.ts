import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * The real SDK in this process for one describe block: W3C propagation, AsyncLocalStorage context,
 * every finished span in `exporter` (reset before each test). `closers` run after the block, last
 * first, for the broker connections and clients the tests open.
 */
export function inProcessTracing(): { exporter: InMemorySpanExporter; closers: (() => Promise<unknown>)[] } {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(() => {
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    contextManager.disable();
  });
  beforeEach(() => exporter.reset());
  return { exporter, closers };
}
