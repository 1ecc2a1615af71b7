// Clients passed around, end to end: a JavaScript shop (test/e2e/apps/pass-through-cjs) whose
// bus.js creates the Kafka producer and consumer and the RabbitMQ channel and returns them in an
// object; orders.js, fulfilment.js and shipping.js use them through that object, a parameter and
// destructuring, and never import kafkajs or amqplib. The CLI instruments the clients where they
// are born (bus.js) and leaves the other modules as they are; run with the real SDK against the
// real brokers, one trace goes HTTP → Kafka → RabbitMQ (exchange and queue) → consumers, with
// one span per operation.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/go/inventory.js';
import { startApp, type AppProcess, type SpanRecord } from '../support/app-process.js';
import { AMQP_URL, describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { copyApp, runCli, tempDir } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';

const APP = path.join(repoRoot, 'test/e2e/apps/pass-through-cjs');
const SERVER = 1;
const PRODUCER = 3;
const CONSUMER = 4;
const USERS = ['orders.js', 'fulfilment.js', 'shipping.js'];

describe('clients passed around: what the CLI changes and reports', () => {
  let copy: string;
  beforeAll(() => {
    copy = copyApp(APP, 'pass-through-cjs');
  });

  it('wraps the clients where bus.js creates them and leaves the modules that use them alone', () => {
    const run = runCli(['.'], copy);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const bus = readFileSync(path.join(copy, 'bus.js'), 'utf8');
    expect(bus).toContain("const kafka = instrumentKafka(new Kafka({ clientId: 'shop', brokers, logLevel: logLevel.NOTHING }), { clientId: 'shop' });");
    expect(bus).toContain('const connection = await instrumentConnection(amqp.connect(amqpUrl));');
    expect(bus).toContain('const producer = kafka.producer();');
    for (const file of USERS) expect(readFileSync(path.join(copy, file), 'utf8'), file).toBe(readFileSync(path.join(APP, file), 'utf8'));
    // A second run changes nothing, and finds nothing it could not resolve.
    const again = runCli(['.', '--check', '--json'], copy);
    expect(again.status).toBe(0);
    const report = JSON.parse(again.stdout) as { files: { file: string; sites: { kind: string; instrumented: boolean; facts: Record<string, unknown> }[]; warnings?: unknown[] }[] };
    expect(report.files.flatMap((f) => f.warnings ?? [])).toEqual([]);
    const sitesOf = (name: string) => report.files.find((f) => path.basename(f.file) === name)?.sites.map((s) => [s.kind, s.instrumented, s.facts.coveredBy]).sort();
    expect(sitesOf('orders.js')).toEqual([['kafkajs.send', true, 'kafkajs.client']]);
    expect(sitesOf('fulfilment.js')).toEqual([
      ['amqplib.publish', true, 'amqplib.connect'],
      ['amqplib.sendToQueue', true, 'amqplib.connect'],
      ['kafkajs.consume', true, 'kafkajs.client'],
    ]);
    expect(sitesOf('shipping.js')).toEqual([
      ['amqplib.consume', true, 'amqplib.connect'],
      ['amqplib.consume', true, 'amqplib.connect'],
    ]);
  });

  it('warns as the README says when the run instruments no client those calls could come from', () => {
    const dir = tempDir('pass-through-no-birth');
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'orders', dependencies: { amqplib: '^0.10.4' } }));
    copyFileSync(path.join(repoRoot, 'transforms/amqplib/fixtures/pass-through-cjs/input.cjs'), path.join(dir, 'src/orders.cjs'));
    const run = runCli(['.', '--check'], dir);
    expect(run.status).toBe(0); // warnings do not change the exit code
    const [first] = run.stdout.split('\n');
    expect(first).toMatch(/^src\/orders\.cjs:8:3 warning: bus\.channel\.publish/);
    expect(readFileSync(path.join(repoRoot, 'README.md'), 'utf8')).toContain(`\n${first}\n`);
  });

  it('gives the Go inventory the topics, exchanges and queues used through the bus object', async () => {
    const { inventory } = await collectInventory([path.join(repoRoot, 'transforms/kafkajs/fixtures/pass-through-cjs'), path.join(repoRoot, 'transforms/amqplib/fixtures/pass-through-cjs')], repoRoot);
    expect(inventory.kafka.sends.map((s) => s.topic)).toEqual(['orders']);
    expect(inventory.kafka.consumes.map((c) => c.topics)).toEqual([['orders']]);
    expect(inventory.amqp.publishes.map((p) => [p.exchange, p.routingKey])).toEqual([['orders', 'created']]);
    expect(inventory.amqp.sendsToQueue.map((s) => s.queue)).toEqual(['invoices']);
    expect(inventory.amqp.consumes.map((c) => c.queue)).toEqual(['payments']);
  });
});

describeWithBrokers('clients passed around: one trace across Kafka and RabbitMQ', () => {
  const prefix = uniqueName('e2e-pass-through');
  let app: AppProcess;

  beforeAll(async () => {
    const copy = copyApp(APP, 'pass-through-cjs-run');
    const run = runCli(['.'], copy);
    expect(run.status, run.stderr).toBe(0);
    app = await startApp(path.join(copy, 'server.js'), { env: { KAFKA_BROKER, AMQP_URL, TOPIC_PREFIX: prefix }, timeoutMs: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('HTTP → Kafka (bus.producer, destructured consumer) → RabbitMQ (bus.channel.publish, channel parameter, destructured channel)', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const res = await fetch(`http://127.0.0.1:${app.ready.port}/orders/42`, { method: 'POST', headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
    expect(res.status).toBe(202);

    const named = (spans: SpanRecord[], kind: number, name: string) => spans.filter((s) => s.kind === kind && s.name === name);
    const queue = `${prefix}.shipping`;
    const events = `${prefix}.events`;
    const journey = (spans: SpanRecord[]) => ({
      server: spans.filter((s) => s.kind === SERVER && s.name.includes('/orders/:id')),
      send: named(spans, PRODUCER, `send ${prefix}.orders`),
      process: named(spans, CONSUMER, `process ${prefix}.orders`),
      publish: named(spans, PRODUCER, `publish ${events}:order.accepted`),
      event: named(spans, CONSUMER, `process ${events}:order.accepted:${events}`),
      sendToQueue: named(spans, PRODUCER, `publish ${queue}`),
      shipping: named(spans, CONSUMER, `process ${queue}`),
    });
    const spans = await app.waitForSpans((s) => Object.values(journey(s)).every((found) => found.length > 0), 30_000);
    const found = journey(spans);
    // One span per operation: a call site wrapped twice, or a channel instrumented twice, would show here.
    for (const [step, list] of Object.entries(found)) expect(list, step).toHaveLength(1);
    const [server, send, process, publish, event, sendToQueue, shipping] = Object.values(found).map((list) => list[0]!);

    for (const span of [server, send, process, publish, event, sendToQueue, shipping]) expect(span!.traceId).toBe(traceId);
    expect(server!.parentSpanId).toBe(callerSpanId);
    expect(send!.parentSpanId).toBe(server!.spanId);
    expect(process!.parentSpanId).toBe(send!.spanId);
    expect(publish!.parentSpanId).toBe(process!.spanId);
    expect(sendToQueue!.parentSpanId).toBe(process!.spanId);
    expect(event!.parentSpanId).toBe(publish!.spanId);
    expect(shipping!.parentSpanId).toBe(sendToQueue!.spanId);
    expect(process!.attributes['messaging.consumer.group.name']).toBe(`${prefix}-fulfilment`);
    expect(send!.attributes['messaging.client.id']).toBe('shop');

    // The handlers ran inside their spans.
    const { observations } = (await (await fetch(`http://127.0.0.1:${app.ready.port}/observations`)).json()) as { observations: { stage: string; spanId?: string }[] };
    const spanOf = (stage: string) => observations.find((o) => o.stage === stage)?.spanId;
    expect(spanOf('kafka')).toBe(process!.spanId);
    expect(spanOf('event')).toBe(event!.spanId);
    expect(spanOf('shipping')).toBe(shipping!.spanId);
  });
});
