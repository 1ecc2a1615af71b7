// Run by test/compat/node18.test.ts under Node 18: loads every rendered helper of one flavour
// (argv[2]: its folder, argv[3]: `.mjs` or `.cjs`) and does real work with the real SDK: an
// instrumented Express server called through the node-http helper inside a parent span, and the
// kafkajs helper decoding message keys and headers. Prints the finished spans as JSON.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, ext] = process.argv.slice(2);
const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

const helpers = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(ext)).sort()) {
  helpers[path.basename(file, ext)] = await import(pathToFileURL(path.join(dir, file)).href);
}

const express = createRequire(import.meta.url)('express');
const app = helpers.express.instrumentExpress(express());
app.get('/users/:id', (req, res) => res.json({ id: req.params.id }));
const server = await new Promise((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
const url = `http://127.0.0.1:${server.address().port}/users/7?token=secret`;
const body = await trace.getTracer('test').startActiveSpan('parent', (parent) =>
  new Promise((resolve, reject) => {
    helpers['node-http']
      .tracedHttp(http.get, url, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  }).finally(() => parent.end()),
);
await new Promise((resolve) => server.close(resolve));

// A key that is UTF-8, one that is not, and a traceparent header as kafkajs delivers it (a Buffer).
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const batch = { topic: 'orders', partition: 0, messages: [] };
const seen = [];
for (const key of [Buffer.from('order-1'), Buffer.from([0xc3, 0x28])]) {
  const message = { key, value: Buffer.from('{}'), offset: '5', headers: { traceparent: Buffer.from(traceparent) } };
  seen.push(await helpers.kafkajs.processKafkaMessage(batch, message, () => trace.getActiveSpan()?.spanContext().traceId));
}

const spans = exporter.getFinishedSpans().map((s) => ({
  name: s.name,
  kind: s.kind,
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  parentSpanId: s.parentSpanContext?.spanId ?? s.parentSpanId,
  attributes: s.attributes,
}));
process.stdout.write(JSON.stringify({ node: process.version, helpers: Object.keys(helpers), body: JSON.parse(body), seen, spans }));
