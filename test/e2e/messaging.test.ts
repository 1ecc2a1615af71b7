// Across both brokers, end to end: an example checkout service (CommonJS JavaScript: Express,
// kafkajs, amqplib) is copied, instrumented by the built CLI and started with the real SDK.
// An HTTP request to an Express route produces to Kafka; the Kafka consumer publishes to
// RabbitMQ; a RabbitMQ consumer finishes. One trace from the caller to the last consumer.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startApp, type AppProcess, type SpanRecord } from '../support/app-process.js';
import { AMQP_URL, describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { copyApp, runCli } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';

const { Kafka, logLevel } = kafkajs;
const APP = path.join(repoRoot, 'test/e2e/apps/messaging-cjs');

const SERVER = 1;
const PRODUCER = 3;
const CONSUMER = 4;

type Stage = 'http' | 'kafka' | 'published' | 'rabbitmq';

interface Observation {
  stage: Stage;
  traceId?: string;
  spanId?: string;
  baggage: Record<string, string>;
  [detail: string]: unknown;
}

const base64 = (bytes: Buffer | string | number[]) => ({ base64: Buffer.from(bytes as Buffer).toString('base64') });
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describeWithBrokers('messaging across brokers: HTTP → Kafka → RabbitMQ, instrumented by the CLI', () => {
  const prefix = uniqueName('e2e-messaging');
  let app: AppProcess;
  let base: string;
  const raw = new Kafka({ clientId: 'raw-producer', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).producer();

  async function observed(): Promise<Record<Stage, Observation>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { observations } = (await (await fetch(`${base}/observations`)).json()) as { observations: Observation[] };
      const stages = Object.fromEntries(observations.map((o) => [o.stage, o])) as Record<Stage, Observation>;
      if (stages.rabbitmq) return stages;
      if (Date.now() > deadline) throw new Error(`the message never reached RabbitMQ's consumer; saw ${JSON.stringify(observations)}\n${app.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The five spans of one order's journey, found by kind and by who parents whom. */
  function journey(spans: SpanRecord[]) {
    const byKind = (kind: number, name: (n: string) => boolean) => spans.filter((s) => s.kind === kind && name(s.name));
    const [server] = byKind(SERVER, (n) => n.includes('/api/orders/:id'));
    const [kafkaSend] = byKind(PRODUCER, (n) => n === `send ${prefix}.orders`);
    const [kafkaProcess] = byKind(CONSUMER, (n) => n === `process ${prefix}.orders`);
    const [amqpPublish] = byKind(PRODUCER, (n) => n.startsWith('publish ') && n.includes(`${prefix}.fulfilment`));
    const [amqpProcess] = byKind(CONSUMER, (n) => n.startsWith('process ') && n.includes(`${prefix}.shipping`));
    return { server, kafkaSend, kafkaProcess, amqpPublish, amqpProcess };
  }

  beforeAll(async () => {
    const copy = copyApp(APP, 'messaging-cjs');
    const run = runCli(['.'], copy);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const server = readFileSync(path.join(copy, 'server.js'), 'utf8');
    // The Kafka client comes from another module (clients.js): its producer and consumer are still found.
    for (const rewritten of ["instrumentProducer(kafka.producer(), { clientId: 'checkout' })", 'instrumentConsumer(kafka.consumer(', 'instrumentExpress(express())', 'await instrumentConnection(amqp.connect(process.env.AMQP_URL))', "publisher.publish(exchange, 'ship',"]) {
      expect(server).toContain(rewritten);
    }
    // A second run finds everything instrumented and changes nothing.
    expect(runCli(['.'], copy).stdout).toMatch(/^0 changed/m);
    app = await startApp(path.join(copy, 'server.js'), { env: { KAFKA_BROKER, AMQP_URL, TOPIC_PREFIX: prefix }, timeoutMs: 60_000 });
    base = `http://127.0.0.1:${app.ready.port}`;
    await raw.connect();
  }, 90_000);
  afterAll(async () => {
    await raw.disconnect().catch(() => undefined);
    await app?.stop();
  });
  beforeEach(async () => {
    await fetch(`${base}/reset`, { method: 'POST' });
    await app.reset();
  });

  it('one trace with correct parentage; baggage, headers and properties survive both brokers', async () => {
    const traceId = hex(16);
    const callerSpanId = hex(8);
    const res = await fetch(`${base}/api/orders/42`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        baggage: 'tenant=acme,session=s3cr3t',
        'x-request-id': 'req-7',
      },
      body: JSON.stringify({ qty: 2 }),
    });
    expect(res.status).toBe(202);
    const stages = await observed();
    const spans = await app.waitForSpans((s) => Object.values(journey(s)).every(Boolean), 30_000);
    const { server, kafkaSend, kafkaProcess, amqpPublish, amqpProcess } = journey(spans);

    // One trace, each hop the child of the one before.
    for (const span of [server!, kafkaSend!, kafkaProcess!, amqpPublish!, amqpProcess!]) expect(span.traceId).toBe(traceId);
    expect(server!.parentSpanId).toBe(callerSpanId);
    expect(kafkaSend!.parentSpanId).toBe(server!.spanId);
    expect(kafkaProcess!.parentSpanId).toBe(kafkaSend!.spanId);
    expect(amqpPublish!.parentSpanId).toBe(kafkaProcess!.spanId);
    expect(amqpProcess!.parentSpanId).toBe(amqpPublish!.spanId);
    // Each handler ran inside its span, with the caller's baggage.
    expect(stages.http.spanId).toBe(server!.spanId);
    expect(stages.kafka.spanId).toBe(kafkaProcess!.spanId);
    expect(stages.rabbitmq.spanId).toBe(amqpProcess!.spanId);
    for (const stage of ['http', 'kafka', 'rabbitmq'] as const) expect(stages[stage].baggage).toEqual({ tenant: 'acme', session: 's3cr3t' });

    // Kafka: the route's headers arrive byte for byte, the route's own object untouched.
    expect(stages.http.headerNames).toEqual(['x-request-id', 'x-signature']);
    const kafkaHeaders = stages.kafka.headers as Record<string, unknown>;
    expect(kafkaHeaders['x-request-id']).toEqual(base64('req-7'));
    expect(kafkaHeaders['x-signature']).toEqual(base64([0xde, 0xad, 0x00, 0xbe, 0xef]));
    expect(Object.keys(kafkaHeaders).sort()).toEqual(['baggage', 'traceparent', 'x-request-id', 'x-signature']);
    expect(stages.kafka.key).toEqual(base64('42'));
    expect(stages.kafka.value).toEqual(base64('{"id":"42","qty":2}'));

    // RabbitMQ: content and every property published arrive as they were, headers included.
    const published = stages.published as unknown as { content: unknown; options: Record<string, unknown> & { headers: Record<string, unknown> } };
    const received = stages.rabbitmq as unknown as { content: unknown; properties: Record<string, unknown> & { headers: Record<string, unknown> } };
    expect(received.content).toEqual(published.content);
    const { headers: publishedHeaders, ...publishedProperties } = published.options;
    const { headers: receivedHeaders, ...receivedProperties } = received.properties;
    expect(receivedProperties).toMatchObject(publishedProperties);
    expect(receivedHeaders).toMatchObject(publishedHeaders);
    expect(publishedHeaders).toEqual({ 'x-order-id': '42', 'x-count': 2, 'x-signature': base64([0x00, 0xff, 0x7f, 0x80]) });
    expect(Object.keys(receivedHeaders).sort()).toEqual(['baggage', 'traceparent', 'x-count', 'x-order-id', 'x-signature']);

    // No header or baggage value leaks into telemetry.
    for (const span of [server!, kafkaSend!, kafkaProcess!, amqpPublish!, amqpProcess!]) expect(JSON.stringify(span.attributes)).not.toMatch(/acme|s3cr3t|req-7/);
  });

  it('a Kafka message without trace context starts a new trace that still flows through RabbitMQ', async () => {
    await raw.send({ topic: `${prefix}.orders`, messages: [{ key: '7', value: JSON.stringify({ id: '7', qty: 1 }) }] });
    const stages = await observed();
    const spans = await app.waitForSpans((s) => {
      const { kafkaProcess, amqpPublish, amqpProcess } = journey(s);
      return !!(kafkaProcess && amqpPublish && amqpProcess);
    }, 30_000);
    const { kafkaProcess, amqpPublish, amqpProcess, server } = journey(spans);
    expect(server).toBeUndefined();
    expect(kafkaProcess!.parentSpanId).toBeUndefined();
    expect(amqpPublish!.traceId).toBe(kafkaProcess!.traceId);
    expect(amqpPublish!.parentSpanId).toBe(kafkaProcess!.spanId);
    expect(amqpProcess!.traceId).toBe(kafkaProcess!.traceId);
    expect(amqpProcess!.parentSpanId).toBe(amqpPublish!.spanId);
    expect(stages.rabbitmq.spanId).toBe(amqpProcess!.spanId);
  });
});
