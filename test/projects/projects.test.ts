// Real-project checks (issue 8): each project under test/projects/ is copied, built and started
// with its own npm scripts, instrumented as a new user would (`otel-instrument .` on its root),
// then built and started the same way again with the real SDK and OTLP exporter preloaded. The
// project's own commands must pass before and after, a second run must find nothing left, and a
// request's trace must continue: incoming traceparent → SERVER span → outgoing calls and messages
// in the same trace → consumer spans in the same trace.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { copyApp, runCli } from '../support/cli.js';
import { incomingTrace, startDownstream, type Answer, type Downstream } from '../support/downstream.js';
import { repoRoot } from '../support/golden.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { linkPackageAlias } from '../support/package-alias.js';
import { installAddedDependency, linkToolchain, pinDependency, runScript, startScript, type RunningService } from '../support/project-run.js';

const { Kafka, logLevel } = kafkajs;

const SERVER = 1;
const CLIENT = 2;
const PRODUCER = 3;
const CONSUMER = 4;

let receiver: OtlpReceiver;
const copies: string[] = [];
let failed = false;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(({ task }) => {
  if (task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  await receiver?.close();
  // Copies stay for a look when something failed (the messages name them).
  if (!failed) for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/** A fresh copy of test/projects/<name>, as a developer would have it checked out. */
function copyProject(name: string): string {
  const copy = copyApp(path.join(repoRoot, 'test/projects', name), name);
  copies.push(copy);
  return copy;
}

/** Copies the CLI rewrote; an "after" check means nothing on any other. */
const rewritten = new Set<string>();
/** Where @opentelemetry/api is installed on this machine, for what the rewrite adds to package.json. */
const API_INSTALLS = [path.join(repoRoot, 'node_modules/@opentelemetry/api'), path.join(repoRoot, 'test/compat/toolchains/node_modules/opentelemetry-api-1.9.0')];

/** An "after" check means nothing on a copy the CLI did not rewrite: fail at once, not after timeouts. */
function expectRewritten(copy: string): void {
  expect(rewritten.has(copy), 'otel-instrument . did not succeed on this copy (see that test)').toBe(true);
}

/** Runs one of the project's own scripts; it must pass. */
function mustPass(copy: string, script: string): void {
  const run = runScript(copy, script);
  expect(run.status, `npm run ${script} failed in ${copy}:\n${run.output}`).toBe(0);
}

/**
 * Starts the project with one of its own scripts (the SDK preloaded, exporting to the receiver),
 * hands its base URL to `fn` and always stops it.
 */
async function withService(copy: string, script: string, ready: RegExp, env: Record<string, string>, fn: (base: string, service: RunningService) => Promise<void>): Promise<void> {
  const service = await startScript(copy, script, { ready, env: { PORT: '0', HOST: '127.0.0.1', KAFKAJS_NO_PARTITIONER_WARNING: '1', ...receiver.env, ...env } });
  try {
    const base = `http://127.0.0.1:${service.ready}`;
    const health = await fetch(`${base}/health`);
    expect(health.status, service.output()).toBe(200);
    await fn(base, service);
  } finally {
    await service.stop();
  }
}

/** `otel-instrument .` in the project root, then a second look with `--check` that finds nothing. */
function instrument(copy: string): void {
  const run = runCli(['.'], copy);
  if (run.status === 0) rewritten.add(copy);
  expect(run.status, `otel-instrument . failed in ${copy}:\n${run.stdout}${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(/^[1-9]\d* changed/m);
  const check = runCli(['.', '--check'], copy);
  expect(check.status, `a second run (--check) still finds work:\n${check.stdout}${check.stderr}`).toBe(0);
  // `npm install` after the rewrite: the newest @opentelemetry/api here that satisfies the range it
  // wrote (npm would take 1.10 for ^1.9.0 today; 1.9.1 and 1.10 both need TypeScript 4.5+).
  installAddedDependency(copy, '@opentelemetry/api', API_INSTALLS);
}

/** Waits (bounded) for `predicate`; returns what arrived either way, so the asserts name what is missing. */
async function settle(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs = 20_000): Promise<ReceivedSpan[]> {
  return receiver.waitFor(predicate, 'spans', timeoutMs).catch(() => receiver.spans);
}

async function waitForOutput(service: RunningService, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(service.output())) {
    if (Date.now() > deadline) throw new Error(`${what}: never logged (${pattern}); output:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const describeSpans = (spans: ReceivedSpan[]) => spans.map((s) => `  kind ${s.kind} "${s.name}" ${s.spanId} <- ${s.parentSpanId ?? '-'}`).join('\n') || '  (none)';

/** The SERVER span of the request: in the caller's trace, its child. */
function serverSpan(spans: ReceivedSpan[], caller: { traceId: string; parentId: string }): ReceivedSpan {
  const servers = spans.filter((s) => s.kind === SERVER && s.traceId === caller.traceId);
  expect(servers.length, `one SERVER span in the caller's trace; the trace has:\n${describeSpans(spans.filter((s) => s.traceId === caller.traceId))}`).toBe(1);
  expect(servers[0]!.parentSpanId).toBe(caller.parentId);
  return servers[0]!;
}

/**
 * One hop of a trace: the span of `kind` whose name contains `destination`, child of `parent`.
 * Soft, so a failure names every hop that is missing, not only the first.
 */
function hop(trace: ReceivedSpan[], kind: number, destination: string, parent: ReceivedSpan | undefined, what: string): ReceivedSpan | undefined {
  const found = trace.filter((s) => s.kind === kind && s.name.includes(destination));
  expect.soft(found.length, `${what}: one ${kind === PRODUCER ? 'PRODUCER' : 'CONSUMER'} span for ${destination} in the trace; the trace has:\n${describeSpans(trace)}`).toBe(1);
  if (parent && found[0]) expect.soft(found[0].parentSpanId, `${what}: child of "${parent.name}"`).toBe(parent.spanId);
  return found[0];
}

/**
 * What an HTTP project's outgoing calls must show: the downstream got the request's trace id, its
 * parent a CLIENT span that is the SERVER span's child.
 */
function expectCallsContinue(spans: ReceivedSpan[], server: ReceivedSpan, calls: { path: string; headers: Record<string, unknown> }[], expected: number): void {
  expect(calls.map((c) => c.path)).toHaveLength(expected);
  const clients = spans.filter((s) => s.kind === CLIENT && s.traceId === server.traceId);
  for (const call of calls) {
    const traceparent = String(call.headers.traceparent ?? '');
    expect(traceparent, `${call.path} reached the downstream without the request's trace`).toMatch(new RegExp(`^00-${server.traceId}-[0-9a-f]{16}-01$`));
    const client = clients.find((c) => c.spanId === traceparent.split('-')[2]);
    expect(client, `${call.path}: the traceparent's parent is a CLIENT span; spans:\n${describeSpans(spans)}`).toBeDefined();
    expect(client!.parentSpanId).toBe(server.spanId);
  }
}

// 1. TypeScript CommonJS with path aliases, started with ts-node + tsconfig-paths (type-checking).
describe('ts-node CommonJS service with tsconfig-paths aliases (npm start = ts-node -r tsconfig-paths/register)', () => {
  const READY = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
  let copy: string;
  let downstream: Downstream;
  const answer = (req: { url?: string }): Answer =>
    req.url?.startsWith('/v1/prices/') ? { status: 200, body: JSON.stringify({ symbol: 'ACME', price: 10, currency: 'USD', asOf: '2026-01-01T00:00:00Z' }) } : { status: 200, body: JSON.stringify({ from: 'USD', to: 'EUR', rate: 0.9 }) };

  beforeAll(async () => {
    copy = copyProject('ts-node-cjs-paths');
    linkToolchain(copy, 'typescript', 'typescript-5', { command: 'tsc', file: 'bin/tsc' });
    downstream = await startDownstream({ answer });
  });
  afterAll(async () => {
    await downstream?.close();
  });

  async function quote(base: string) {
    const caller = incomingTrace();
    downstream.received.splice(0);
    const res = await fetch(`${base}/api/quotes/ACME?currency=EUR`, { headers: { traceparent: caller.traceparent } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ symbol: 'ACME', price: 9, currency: 'EUR' });
    return caller;
  }
  const env = () => ({ PRICING_API_URL: downstream.url, RATES_API_URL: downstream.url });

  it('before the rewrite: npm run typecheck and npm start pass and the service answers (no trace reaches the calls)', async () => {
    mustPass(copy, 'typecheck');
    await withService(copy, 'start', READY, env(), async (base) => {
      await quote(base);
      expect(downstream.received.map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);
    });
  });

  it('otel-instrument . on the root rewrites it; a second run finds nothing left', () => {
    instrument(copy);
  });

  it('after the rewrite: npm run typecheck and npm start pass; the trace continues through axios and fetch', async () => {
    expectRewritten(copy);
    mustPass(copy, 'typecheck');
    await withService(copy, 'start', READY, env(), async (base) => {
      receiver.reset();
      const caller = await quote(base);
      const spans = await settle((s) => s.filter((x) => x.traceId === caller.traceId && x.kind === CLIENT).length >= 2 && s.some((x) => x.traceId === caller.traceId && x.kind === SERVER));
      const server = serverSpan(spans, caller);
      expectCallsContinue(spans, server, downstream.received, 2);
    });
  });
});

// 2. ESM NodeNext with rootDir/outDir: tsc → node dist, tsx, esbuild bundle; Fastify + kafkajs.
describeWithBrokers(
  'NodeNext ESM project with rootDir (tsc → node dist/server.js, tsx, esbuild bundle), Fastify + kafkajs',
  () => {
    const READY = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/;
    const WAYS = [
      { label: 'npm run build + npm start (node dist/server.js)', build: 'build', start: 'start' },
      { label: 'npm run dev (tsx src/server.ts)', start: 'dev' },
      { label: 'npm run bundle (esbuild) + npm run start:bundle', build: 'bundle', start: 'start:bundle' },
    ];
    let copy: string;

    beforeAll(() => {
      copy = copyProject('nodenext-esm-rootdir');
    });

    /** A fresh topic and group per start, so consumers never see another start's events. */
    const kafkaEnv = () => {
      const topic = uniqueName('projects-events');
      return { topic, env: { KAFKA_BROKERS: KAFKA_BROKER, EVENTS_TOPIC: topic, EVENTS_GROUP_ID: `${topic}-worker` } };
    };

    async function postEvent(base: string, traceparent?: string): Promise<void> {
      const res = await fetch(`${base}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
        body: JSON.stringify({ type: 'user.signed_up', subject: 'user-1', data: { plan: 'pro' } }),
      });
      expect(res.status).toBe(202);
    }

    for (const way of WAYS) {
      it(`before the rewrite: ${way.label} passes and an event reaches the worker`, async () => {
        if (way.build) mustPass(copy, way.build);
        const { env } = kafkaEnv();
        await withService(copy, way.start, READY, env, async (base, service) => {
          await postEvent(base);
          await waitForOutput(service, /worker: handled user\.signed_up for user-1/, 'the worker handling the event');
        });
      });
    }

    it('otel-instrument . on the root rewrites it; a second run finds nothing left', () => {
      instrument(copy);
    });

    for (const way of WAYS) {
      it(`after the rewrite: ${way.label} passes; the trace continues through Kafka to the worker`, async () => {
        expectRewritten(copy);
        if (way.build) mustPass(copy, way.build);
        const { topic, env } = kafkaEnv();
        await withService(copy, way.start, READY, env, async (base, service) => {
          receiver.reset();
          const caller = incomingTrace();
          await postEvent(base, caller.traceparent);
          await waitForOutput(service, /worker: handled user\.signed_up for user-1/, 'the worker handling the event');
          const inTrace = (s: ReceivedSpan[]) => s.filter((x) => x.traceId === caller.traceId);
          const spans = await settle((s) => inTrace(s).some((x) => x.kind === CONSUMER) && inTrace(s).some((x) => x.kind === SERVER));
          const server = serverSpan(spans, caller);
          const send = hop(inTrace(spans), PRODUCER, topic, server, 'producer.send');
          hop(inTrace(spans), CONSUMER, topic, send, 'the worker (consumer.run eachMessage)');
        });
      });
    }
  },
  { needs: ['kafka'] },
);

// 3. TypeScript pinned to 4.1 with @types/node 14, tsc build, node dist; Express 4.
describe('project pinned to TypeScript 4.1.6 and @types/node 14 (npm run build = tsc, npm start = node dist/index.js), Express 4', () => {
  const READY = /listening on port (\d+)/;
  let copy: string;
  let downstream: Downstream;
  const answer = (req: { url?: string }): Answer =>
    req.url?.startsWith('/prices/') ? { status: 200, body: JSON.stringify({ amount: 12.5, currency: 'EUR' }) } : { status: 200, body: JSON.stringify({ available: 3 }) };

  beforeAll(async () => {
    copy = copyProject('legacy-ts41-express');
    linkToolchain(copy, 'typescript', 'typescript-4.1', { command: 'tsc', file: 'bin/tsc' });
    linkToolchain(copy, '@types/node', 'types-node-14');
    linkPackageAlias(copy, 'express', 'express4');
    downstream = await startDownstream({ answer });
  });
  afterAll(async () => {
    await downstream?.close();
  });

  const env = () => ({ STOCK_SERVICE_URL: downstream.url, PRICING_HOST: '127.0.0.1', PRICING_PORT: String(downstream.port) });
  async function item(base: string) {
    const caller = incomingTrace();
    downstream.received.splice(0);
    const res = await fetch(`${base}/api/items/SKU-1`, { headers: { traceparent: caller.traceparent } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sku: 'SKU-1', available: 3, price: 12.5, currency: 'EUR' });
    return caller;
  }

  it('npm run build runs the TypeScript the project pins (4.1.6)', () => {
    expect(spawnSync(path.join(copy, 'node_modules/.bin/tsc'), ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe('Version 4.1.6');
  });

  it('before the rewrite: npm run build and npm start pass and the service answers (no trace reaches the calls)', async () => {
    mustPass(copy, 'build');
    await withService(copy, 'start', READY, env(), async (base) => {
      await item(base);
      expect(downstream.received.map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);
    });
  });

  it('otel-instrument . on the root rewrites it; a second run finds nothing left', () => {
    instrument(copy);
  });

  async function buildStartAndTrace(): Promise<void> {
    mustPass(copy, 'build');
    await withService(copy, 'start', READY, env(), async (base) => {
      receiver.reset();
      const caller = await item(base);
      const spans = await settle((s) => s.filter((x) => x.traceId === caller.traceId && x.kind === CLIENT).length >= 2 && s.some((x) => x.traceId === caller.traceId && x.kind === SERVER));
      const server = serverSpan(spans, caller);
      expectCallsContinue(spans, server, downstream.received, 2);
    });
  }

  it('after the rewrite, as written: npm run build (tsc 4.1) and npm start pass; the trace continues through axios and http.request', async () => {
    expectRewritten(copy);
    await buildStartAndTrace();
  });

  // The README's advice for TypeScript 4.1–4.4 (@opentelemetry/api 1.9.1 needs 4.5): the same
  // checks once the user pins it, so the helpers' own part is judged even while the range is not.
  it('after the rewrite, with @opentelemetry/api pinned to 1.9.0 as the README says for TypeScript 4.1–4.4: the same', async () => {
    expectRewritten(copy);
    expect(pinDependency(copy, '@opentelemetry/api', '1.9.0', API_INSTALLS)).toBe('1.9.0');
    await buildStartAndTrace();
  });
});

// 4. JavaScript CommonJS, clients born in connectBus() and passed around in an object.
describeWithBrokers('JavaScript CommonJS service passing its Kafka and RabbitMQ clients through an object (npm start = node src/index.js)', () => {
  const READY = /listening on port (\d+)/;
  let copy: string;

  // Another service producing to the orders topic.
  const producer = new Kafka({ clientId: 'projects-upstream', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).producer();

  beforeAll(() => {
    copy = copyProject('js-cjs-bus');
    linkPackageAlias(copy, 'express', 'express4');
  });
  afterAll(async () => {
    await producer.disconnect().catch(() => undefined);
  });

  /** Fresh topic, group, exchange and queues per start. */
  const names = () => {
    const prefix = uniqueName('projects-orders');
    return { topic: `${prefix}.orders`, exchange: `${prefix}.events`, audit: `${prefix}.audit`, email: `${prefix}.email` };
  };
  const env = (n: ReturnType<typeof names>) => ({
    KAFKA_BROKERS: KAFKA_BROKER,
    ORDERS_TOPIC: n.topic,
    KAFKA_GROUP_ID: `${n.topic}-fulfilment`,
    AMQP_URL,
    ORDERS_EXCHANGE: n.exchange,
    AUDIT_QUEUE: n.audit,
    EMAIL_QUEUE: n.email,
  });

  async function order(base: string, traceparent?: string): Promise<void> {
    const res = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
      body: JSON.stringify({ customer: 'ada@example.com', items: [{ sku: 'SKU-1', qty: 2 }] }),
    });
    expect(res.status).toBe(201);
  }
  async function delivered(service: RunningService): Promise<void> {
    await waitForOutput(service, /email order-confirmation to ada@example\.com/, 'the mailer sending the confirmation');
    await waitForOutput(service, /audit order\.placed/, 'the audit consumer');
  }

  it('before the rewrite: npm start passes and an order reaches Kafka, both queues and their consumers', async () => {
    await withService(copy, 'start', READY, env(names()), async (base, service) => {
      await order(base);
      await delivered(service);
    });
  });

  it('otel-instrument . on the root rewrites it; a second run finds nothing left', () => {
    instrument(copy);
  });

  it('after the rewrite: npm start passes; one trace from the request through Kafka and RabbitMQ to every consumer', async () => {
    expectRewritten(copy);
    const n = names();
    await withService(copy, 'start', READY, env(n), async (base, service) => {
      receiver.reset();
      const caller = incomingTrace();
      await order(base, caller.traceparent);
      await delivered(service);
      const inTrace = (s: ReceivedSpan[]) => s.filter((x) => x.traceId === caller.traceId);
      const spans = await settle((s) => inTrace(s).filter((x) => x.kind === CONSUMER).length >= 3 && inTrace(s).filter((x) => x.kind === PRODUCER).length >= 3);
      const trace = inTrace(spans);
      const server = serverSpan(spans, caller);
      const send = hop(trace, PRODUCER, n.topic, server, 'bus.producer.send (services/orders.js)');
      const publish = hop(trace, PRODUCER, n.exchange, server, 'bus.channel.publish (services/orders.js)');
      const fulfil = hop(trace, CONSUMER, n.topic, send, 'bus.kafka.consumer().run (workers/fulfilment.js)');
      const email = hop(trace, PRODUCER, n.email, fulfil, 'channel.sendToQueue on a parameter (services/notifications.js)');
      hop(trace, CONSUMER, n.email, email, 'const { channel } = bus; channel.consume (workers/mailer.js, email queue)');
      hop(trace, CONSUMER, n.audit, publish, 'const { channel } = bus; channel.consume (workers/mailer.js, audit queue)');

      // A message from another service, with its trace in the Kafka headers: the worker continues
      // that trace, and so does the email it queues.
      const upstream = incomingTrace();
      await producer.connect();
      await producer.send({
        topic: n.topic,
        messages: [{ key: 'o-2', value: JSON.stringify({ id: 'o-2', customer: 'grace@example.com', items: [] }), headers: { traceparent: upstream.traceparent } }],
      });
      await waitForOutput(service, /email order-confirmation to grace@example\.com/, 'the mailer sending the upstream order\'s confirmation');
      const fromUpstream = (s: ReceivedSpan[]) => s.filter((x) => x.traceId === upstream.traceId);
      const later = fromUpstream(await settle((s) => fromUpstream(s).filter((x) => x.kind === CONSUMER).length >= 2));
      const upstreamFulfil = hop(later, CONSUMER, n.topic, undefined, 'the Kafka worker, on a message from another service');
      expect.soft(upstreamFulfil?.parentSpanId, "the Kafka worker's span: child of the upstream producer's span").toBe(upstream.parentId);
      const upstreamEmail = hop(later, PRODUCER, n.email, upstreamFulfil, 'channel.sendToQueue, on a message from another service');
      hop(later, CONSUMER, n.email, upstreamEmail, 'the mailer, on a message from another service');
    });
  });
});

// 5. A `nest new`-shaped NestJS 12 project (modules, controllers, providers, global prefix), tsc build, node dist/main.
describe('NestJS project as `nest new` makes it (npm run build = tsc -p tsconfig.build.json, npm start = node dist/main)', () => {
  const READY = /listening on port (\d+)/;
  let copy: string;
  let downstream: Downstream;
  const answer = (req: { url?: string }): Answer => ({ status: 200, body: JSON.stringify({ sku: req.url?.split('/').pop(), available: 4 }) });

  beforeAll(async () => {
    copy = copyProject('nest-new-cjs');
    linkToolchain(copy, 'typescript', 'typescript-5', { command: 'tsc', file: 'bin/tsc' });
    downstream = await startDownstream({ answer });
  });
  afterAll(async () => {
    await downstream?.close();
  });

  async function order(base: string) {
    const caller = incomingTrace();
    downstream.received.splice(0);
    const res = await fetch(`${base}/api/orders/o-1`, { headers: { traceparent: caller.traceparent } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'o-1', lines: [{ sku: 'SKU-1', qty: 2, available: 4 }, { sku: 'SKU-2', qty: 1, available: 4 }] });
    return caller;
  }
  const env = () => ({ WAREHOUSE_URL: downstream.url });

  it('before the rewrite: npm run build and npm start pass and the service answers (no trace reaches the calls)', async () => {
    mustPass(copy, 'build');
    await withService(copy, 'start', READY, env(), async (base) => {
      await order(base);
      expect(downstream.received.map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);
    });
  });

  it('otel-instrument . on the root rewrites it; a second run finds nothing left', () => {
    instrument(copy);
  });

  it('after the rewrite: npm run build and npm start pass; the SERVER span has the full route and the trace continues to both calls', async () => {
    expectRewritten(copy);
    mustPass(copy, 'build');
    await withService(copy, 'start', READY, env(), async (base) => {
      receiver.reset();
      const caller = await order(base);
      const spans = await settle((s) => s.filter((x) => x.traceId === caller.traceId && x.kind === CLIENT).length >= 2 && s.some((x) => x.traceId === caller.traceId && x.kind === SERVER));
      const server = serverSpan(spans, caller);
      expect(server.name).toBe('GET /api/orders/:id');
      expectCallsContinue(spans, server, downstream.received, 2);
    });
  });
});
