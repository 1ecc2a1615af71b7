// The generated Express helper, in process against the real Express 4 and 5 and the real SDK:
// the cases an example app does not show (arity, settings, re-mounting, fall-through, paths that
// are not templates, errors without error middleware).
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentExpress, instrumentRouter } from '../../templates/runtime/express.js';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

// Loose typing on purpose: the same code drives Express 4 and 5.
type Express = any;
const require = createRequire(import.meta.url);
const MAJORS: [string, Express][] = [
  ['Express 5', require('express')],
  ['Express 4', require('express4')],
];

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  contextManager.disable();
});
beforeEach(() => exporter.reset());

async function listen(app: Express): Promise<string> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The SERVER spans finished so far, once `count` of them are. */
async function serverSpans(count: number): Promise<ReadableSpan[]> {
  for (let i = 0; i < 100; i++) {
    const spans = exporter.getFinishedSpans().filter((s) => s.kind === 1);
    if (spans.length >= count) return spans;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`expected ${count} SERVER spans, got ${exporter.getFinishedSpans().length} spans`);
}

for (const [label, express] of MAJORS) {
  describe(`${label}: instrumentExpress / instrumentRouter`, () => {
    it('keeps the settings getter, returns the same instance and is idempotent', async () => {
      const plain = express();
      const app = instrumentExpress(plain);
      expect(app).toBe(plain);
      expect(instrumentExpress(app)).toBe(app);
      app.set('answer', 42);
      expect(app.get('answer')).toBe(42);
      app.get('/x', (_req: Express, res: Express) => res.send('x'));
      const base = await listen(app);
      expect(await (await fetch(`${base}/x`)).text()).toBe('x');
      const [span] = await serverSpans(1);
      expect(span!.name).toBe('GET /x');
    });

    it('runs handlers with the SERVER span active, even after a middleware that loses the context', async () => {
      const app = instrumentExpress(express());
      const seen: (string | undefined)[] = [];
      app.use((_req: Express, _res: Express, next: () => void) => {
        // Calls the next handler from a timer started outside any request context.
        context.with(ROOT_CONTEXT, () => setTimeout(next, 1));
      });
      app.get('/who', (_req: Express, res: Express) => {
        seen.push(trace.getActiveSpan()?.spanContext().spanId);
        res.end();
      });
      const base = await listen(app);
      await fetch(`${base}/who`);
      const [span] = await serverSpans(1);
      expect(seen).toEqual([span!.spanContext().spanId]);
    });

    it('names each mount of a router mounted twice, and a route that is answered after next("route")', async () => {
      const app = instrumentExpress(express());
      const items = instrumentRouter(express.Router());
      items.get('/items/:id', (req: Express, _res: Express, next: (r?: string) => void) => (req.params.id === 'skip' ? next('route') : next()));
      items.get('/items/:id', (_req: Express, res: Express) => res.send('second'));
      items.get('/items/skip', (_req: Express, res: Express) => res.send('never'));
      app.use('/a', items);
      app.use('/b/', items);
      const base = await listen(app);
      await fetch(`${base}/a/items/1`);
      await fetch(`${base}/b/items/2`);
      const spans = await serverSpans(2);
      expect(spans.map((s) => s.attributes['http.route'])).toEqual(['/a/items/:id', '/b/items/:id']);
    });

    it('leaves the route unset below a mount whose path is not a template (array, RegExp)', async () => {
      const app = instrumentExpress(express());
      const router = instrumentRouter(express.Router());
      router.get('/ping', (_req: Express, res: Express) => res.send('pong'));
      app.use(['/v1', '/v2'], router);
      const base = await listen(app);
      expect(await (await fetch(`${base}/v2/ping`)).text()).toBe('pong');
      const [span] = await serverSpans(1);
      expect(span!.name).toBe('GET');
      expect(span!.attributes['http.route']).toBeUndefined();
    });

    it('keeps error middleware (four parameters) apart from normal middleware', async () => {
      const app = instrumentExpress(express());
      const calls: string[] = [];
      app.get('/boom', () => {
        throw new Error('boom');
      });
      app.use((_req: Express, _res: Express, next: () => void) => {
        calls.push('normal');
        next();
      });
      app.use((err: Error, _req: Express, res: Express, _next: unknown) => {
        calls.push(`error:${err.message}`);
        res.status(502).send('bad gateway');
      });
      const base = await listen(app);
      expect((await fetch(`${base}/boom`)).status).toBe(502);
      expect(calls).toEqual(['error:boom']);
      const [span] = await serverSpans(1);
      expect(span!.attributes['error.type']).toBe('Error');
      expect(span!.events.map((e) => e.name)).toEqual(['exception']);
    });

    it('records an error that no error middleware handles (Express answers 500) with its cause', async () => {
      const app = instrumentExpress(express());
      app.all('/crash', (_req: Express, _res: Express, next: (e: unknown) => void) => {
        next(new Error('outer', { cause: new Error('inner') }));
      });
      app.set('env', 'test'); // Express logs errors outside 'test'
      const base = await listen(app);
      expect((await fetch(`${base}/crash`, { method: 'DELETE' })).status).toBe(500);
      const [span] = await serverSpans(1);
      expect(span!.name).toBe('DELETE /crash');
      expect(span!.status.code).toBe(2);
      const stack = String(span!.events[0]!.attributes!['exception.stacktrace']);
      expect(stack).toMatch(/^Error: outer\n/);
      expect(stack).toContain('Caused by: Error: inner');
    });
  });
}

describe('Express 4 only', () => {
  it('leaves a rejected promise of a handler unhandled, as Express 4 itself does', () => {
    const script = fileURLToPath(new URL('./fixtures/express4-rejection.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stdout.trim(), run.stderr).toBe('unhandled: after the response');
  });
});

describe('Express 5 only', () => {
  it('records a rejected async handler without error middleware', async () => {
    const express = MAJORS[0]![1];
    const app = instrumentExpress(express());
    app.get('/reject', async () => {
      throw new TypeError('rejected');
    });
    app.set('env', 'test'); // Express logs errors outside 'test'
    const base = await listen(app);
    expect((await fetch(`${base}/reject`)).status).toBe(500);
    const [span] = await serverSpans(1);
    expect(span!.attributes['error.type']).toBe('TypeError');
  });
});
