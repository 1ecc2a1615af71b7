// kafkajs end to end: an example Kafka service (TypeScript, producers passed around typed as
// kafkajs `Producer`, eachMessage and eachBatch consumers) is copied, instrumented by the built
// CLI, started with the real SDK, and talks to the real broker. The test drives it over HTTP and
// also produces raw messages itself, as a service without OpenTelemetry (or a broken one) would.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startApp, type AppProcess, type SpanRecord } from '../support/app-process.js';
import { describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { copyApp, runCli } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';

const { Kafka, logLevel } = kafkajs;
const APP = path.join(repoRoot, 'test/e2e/apps/kafkajs-esm-ts');

const PRODUCER = 3;
const CONSUMER = 4;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

type Wire = string | { base64: string } | Wire[] | null | undefined;
type TopicName = 'orders' | 'payments' | 'shipments' | 'reports';

interface Observation {
  consumer: TopicName;
  topic: string;
  offset: string;
  key: Wire;
  value: Wire;
  headers: Record<string, Wire>;
  traceId?: string;
  spanId?: string;
  baggage: Record<string, string>;
  attempt: number;
}

interface Observed {
  observations: Observation[];
  handlerFailures: { message: string; sameAsThrown: boolean }[];
  topics: Record<TopicName, string>;
}

interface SendRequest {
  how: 'send' | 'sendBatch' | 'transaction';
  to: { topic: TopicName; messages: { key?: Wire; value: Wire; headers?: Record<string, Wire> }[] }[];
  baggage?: Record<string, string>;
}

interface Sent {
  traceId: string;
  spanId: string;
  unchanged: boolean;
}

const base64 = (bytes: Buffer | string) => ({ base64: Buffer.from(bytes).toString('base64') });
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describeWithBrokers(
  'kafkajs, instrumented by the CLI, against Kafka',
  () => {
    const prefix = uniqueName('e2e-kafkajs');
    let app: AppProcess;
    let base: string;
    let topics: Record<TopicName, string>;
    const raw = new Kafka({ clientId: 'raw-producer', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).producer();

    const call = async <T>(pathname: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${base}${pathname}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as T;
    };
    const send = (request: SendRequest) => call<Sent>('/send', request);

    /** Waits until the app's `consumer` has seen `count` messages (bounded). */
    async function observed(consumer: TopicName, count = 1, predicate: (o: Observation) => boolean = () => true): Promise<Observed & { seen: Observation[] }> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const answer = await call<Observed>('/observations');
        const seen = answer.observations.filter((o) => o.consumer === consumer && predicate(o));
        if (seen.length >= count) return { ...answer, seen };
        if (Date.now() > deadline) throw new Error(`no ${count} observation(s) by ${consumer}; got ${JSON.stringify(answer)}\n${app.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    const named = (spans: SpanRecord[], kind: number, name: string) => spans.filter((s) => s.kind === kind && s.name === name);
    const nanos = (t: [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

    beforeAll(async () => {
      const copy = copyApp(APP, 'kafkajs-esm-ts');
      const run = runCli(['.'], copy);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const kafka = readFileSync(path.join(copy, 'kafka.ts'), 'utf8');
      // The client is instrumented where it is created; its producers are created as written.
      expect(kafka).toContain('const kafka = instrumentKafka(new Kafka({');
      expect(kafka).toContain("}), { clientId: 'kafkajs-example' });");
      expect(kafka).toContain('export const producer = kafka.producer();');
      expect(kafka).toContain("    if (!isRunning() || isStale()) break;\n    await processKafkaMessage(batch, message, async () => {\n      if (message.value === null) {");
      expect(kafka).toContain('eachBatch: perMessageSpans(handleShipments)');
      expect(readFileSync(path.join(copy, 'publish.ts'), 'utf8')).toContain('await instrumentProducer(producer).send({ topic, messages });');
      // A second run finds everything instrumented and changes nothing.
      expect(runCli(['.'], copy).stdout).toMatch(/^0 changed/m);
      app = await startApp(path.join(copy, 'server.ts'), { env: { KAFKA_BROKER, TOPIC_PREFIX: prefix }, timeoutMs: 60_000 });
      base = `http://127.0.0.1:${app.ready.port}`;
      topics = (await call<Observed>('/observations')).topics;
      await raw.connect();
    }, 90_000);
    afterAll(async () => {
      await raw.disconnect().catch(() => undefined);
      await app?.stop();
    });
    beforeEach(async () => {
      await call('/reset');
      await app.reset();
    });

    it('send: PRODUCER span under the caller, CONSUMER span under it; baggage, headers byte for byte', async () => {
      const binary = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
      const sent = await send({
        how: 'send',
        to: [{ topic: 'orders', messages: [{ key: 'order-42', value: base64('{"id":42}'), headers: { 'x-tenant': 'acme', 'x-signature': base64(binary), 'x-hops': ['a', base64('b')] } }] }],
        baggage: { tenant: 'acme', session: 's3cr3t' },
      });
      expect(sent.unchanged).toBe(true);

      const { seen } = await observed('orders');
      const spans = await app.waitForSpans((s) => named(s, CONSUMER, `process ${topics.orders}`).length === 1, 30_000);
      const [producer] = named(spans, PRODUCER, `send ${topics.orders}`);
      const [consumer] = named(spans, CONSUMER, `process ${topics.orders}`);
      const [message] = seen;

      // One trace: app span → send → process; the handler runs with the process span active.
      expect(producer!.traceId).toBe(sent.traceId);
      expect(producer!.parentSpanId).toBe(sent.spanId);
      expect(consumer!.traceId).toBe(sent.traceId);
      expect(consumer!.parentSpanId).toBe(producer!.spanId);
      expect(message!.spanId).toBe(consumer!.spanId);
      expect(message!.baggage).toEqual({ tenant: 'acme', session: 's3cr3t' });

      // The caller's headers arrive as they were sent, next to the injected context.
      expect(message!.value).toEqual(base64('{"id":42}'));
      expect(message!.headers['x-tenant']).toEqual(base64('acme'));
      expect(message!.headers['x-signature']).toEqual(base64(binary));
      expect(message!.headers['x-hops']).toEqual([base64('a'), base64('b')]);
      expect(Object.keys(message!.headers).sort()).toEqual(['baggage', 'traceparent', 'x-hops', 'x-signature', 'x-tenant']);

      expect(producer!.attributes).toEqual({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.destination.name': topics.orders,
        'messaging.destination.partition.id': '0',
        'messaging.kafka.message.key': 'order-42',
        'messaging.kafka.offset': Number(message!.offset),
        'messaging.client.id': 'kafkajs-example',
      });
      expect(consumer!.attributes).toEqual({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': topics.orders,
        'messaging.destination.partition.id': '0',
        'messaging.kafka.message.key': 'order-42',
        'messaging.kafka.offset': Number(message!.offset),
        'messaging.consumer.group.name': `${prefix}-orders`,
        'messaging.client.id': 'kafkajs-example',
      });
      // Neither headers nor baggage leak into telemetry.
      for (const span of [producer!, consumer!]) expect(JSON.stringify(span)).not.toMatch(/acme|s3cr3t/);
    });

    it('sendBatch: one PRODUCER span per destination with its message count; each message parented on its own', async () => {
      const sent = await send({
        how: 'sendBatch',
        to: [
          { topic: 'orders', messages: [{ key: 'a', value: 'first' }, { key: 'b', value: 'second' }] },
          { topic: 'payments', messages: [{ key: 'p', value: 'third' }] },
        ],
      });
      expect(sent.unchanged).toBe(true);
      await observed('orders', 2);
      await observed('payments', 1, (o) => o.attempt === 2);
      const spans = await app.waitForSpans((s) => named(s, CONSUMER, `process ${topics.orders}`).length === 2 && named(s, CONSUMER, `process ${topics.payments}`).length === 2, 30_000);
      const [toOrders] = named(spans, PRODUCER, `send ${topics.orders}`);
      const [toPayments] = named(spans, PRODUCER, `send ${topics.payments}`);
      expect(toOrders!.parentSpanId).toBe(sent.spanId);
      expect(toPayments!.parentSpanId).toBe(sent.spanId);
      expect(toOrders!.attributes['messaging.batch.message_count']).toBe(2);
      expect(toOrders!.attributes['messaging.kafka.message.key']).toBeUndefined();
      expect(toPayments!.attributes['messaging.batch.message_count']).toBeUndefined();
      expect(toPayments!.attributes['messaging.kafka.message.key']).toBe('p');
      for (const consumer of named(spans, CONSUMER, `process ${topics.orders}`)) expect(consumer.parentSpanId).toBe(toOrders!.spanId);
      for (const consumer of named(spans, CONSUMER, `process ${topics.payments}`)) expect(consumer.parentSpanId).toBe(toPayments!.spanId);
    });

    it('transactional send: the PRODUCER span of the transaction parents the consumer', async () => {
      const sent = await send({ how: 'transaction', to: [{ topic: 'orders', messages: [{ key: 'tx-1', value: 'exactly once' }] }], baggage: { tenant: 'tx' } });
      const { seen } = await observed('orders');
      const spans = await app.waitForSpans((s) => named(s, CONSUMER, `process ${topics.orders}`).length === 1, 30_000);
      const [producer] = named(spans, PRODUCER, `send ${topics.orders}`);
      const [consumer] = named(spans, CONSUMER, `process ${topics.orders}`);
      expect(producer!.parentSpanId).toBe(sent.spanId);
      expect(producer!.attributes['messaging.kafka.message.key']).toBe('tx-1');
      expect(consumer!.parentSpanId).toBe(producer!.spanId);
      expect(seen[0]!.baggage).toEqual({ tenant: 'tx' });
    });

    it('eachBatch with a visible loop: a span per message with its own timing, parented on its message', async () => {
      const sent = await send({
        how: 'send',
        to: [{ topic: 'shipments', messages: [{ key: 's1', value: 'one' }, { key: 's2', value: 'two' }, { key: 'gone', value: null }, { key: 's3', value: 'three' }] }],
        baggage: { shipment: 'batch' },
      });
      const { seen } = await observed('shipments', 3);
      const spans = await app.waitForSpans((s) => named(s, CONSUMER, `process ${topics.shipments}`).length === 4, 30_000);
      const [producer] = named(spans, PRODUCER, `send ${topics.shipments}`);
      expect(producer!.attributes['messaging.batch.message_count']).toBe(4);
      const perMessage = named(spans, CONSUMER, `process ${topics.shipments}`).sort((a, b) => Number(a.attributes['messaging.kafka.offset']) - Number(b.attributes['messaging.kafka.offset']));
      expect(perMessage.map((s) => s.attributes['messaging.kafka.message.key'])).toEqual(['s1', 's2', 'gone', 's3']);
      for (const span of perMessage) {
        expect(span.traceId).toBe(sent.traceId);
        expect(span.parentSpanId).toBe(producer!.spanId);
        expect(span.attributes['messaging.batch.message_count']).toBeUndefined();
        expect(span.attributes['messaging.consumer.group.name']).toBe('shipments');
      }
      // Real timing: the handler spends 20 ms on each message with a value, inside that message's
      // span, and the spans follow each other (SDK span clocks agree to about a millisecond).
      const ms = (t: [number, number]) => Number(nanos(t)) / 1e6;
      for (const i of [0, 1, 3]) expect(ms(perMessage[i]!.endTime) - ms(perMessage[i]!.startTime)).toBeGreaterThanOrEqual(15);
      for (let i = 1; i < perMessage.length; i++) expect(ms(perMessage[i]!.startTime)).toBeGreaterThanOrEqual(ms(perMessage[i - 1]!.endTime) - 2);
      // The tombstone took the `continue` (now `return`) path: a span, marked, and no observation.
      expect(perMessage[2]!.attributes['messaging.kafka.message.tombstone']).toBe(true);
      expect(seen.map((o) => o.spanId)).toEqual([perMessage[0]!.spanId, perMessage[1]!.spanId, perMessage[3]!.spanId]);
      for (const o of seen) expect(o.baggage).toEqual({ shipment: 'batch' });
    });

    it('eachBatch without a visible loop: one span for the batch, linked to each message, with their common baggage', async () => {
      const sent = await send({ how: 'send', to: [{ topic: 'reports', messages: [{ value: 'r1' }, { value: 'r2' }] }], baggage: { report: 'daily' } });
      const { seen } = await observed('reports');
      const spans = await app.waitForSpans(
        (s) => named(s, CONSUMER, `process ${topics.reports}`).reduce((n, span) => n + Number(span.attributes['messaging.batch.message_count']), 0) === 2,
        30_000,
      );
      const [producer] = named(spans, PRODUCER, `send ${topics.reports}`);
      const batches = named(spans, CONSUMER, `process ${topics.reports}`);
      for (const batch of batches) {
        expect(batch.traceId).not.toBe(sent.traceId);
        expect(batch.parentSpanId).toBeUndefined();
        expect(batch.attributes['messaging.kafka.offset']).toBeUndefined();
        expect(batch.links.map((l) => [l.traceId, l.spanId])).toEqual(Array(batch.attributes['messaging.batch.message_count']).fill([sent.traceId, producer!.spanId]));
      }
      expect(batches.map((b) => b.spanId)).toContain(seen[0]!.spanId);
      expect(seen[0]!.baggage).toEqual({ report: 'daily' });
    });

    it('a failed send is recorded on its PRODUCER span with the Kafka error code, and reaches the caller as kafkajs raised it', async () => {
      // Over the broker's message.max.bytes (1 MiB by default): MESSAGE_TOO_LARGE, not retriable.
      const huge = Buffer.alloc(1_100_000, 7);
      const res = await fetch(`${base}/send`, {
        method: 'POST',
        body: JSON.stringify({ how: 'send', to: [{ topic: 'orders', messages: [{ key: 'huge', value: base64(huge) }] }] } satisfies SendRequest),
      });
      expect(res.status).toBe(500);
      const answer = (await res.json()) as { name?: string; type?: string; causeType?: string };
      const spans = await app.waitForSpans((s) => named(s, PRODUCER, `send ${topics.orders}`).length === 1 && s.some((x) => x.name === 'place order'), 30_000);
      const [producer] = named(spans, PRODUCER, `send ${topics.orders}`);
      const code = answer.type ?? answer.causeType;
      expect(code).toBe('MESSAGE_TOO_LARGE');
      expect(producer!.status.code).toBe(STATUS_ERROR);
      expect(producer!.attributes['error.type']).toBe('MESSAGE_TOO_LARGE');
      expect(producer!.events.map((e) => e.name)).toEqual(['exception']);
      expect(producer!.events[0]!.attributes!['exception.type']).toBe(answer.name);
    });

    it('a consumer error is recorded with its cause chain and reaches kafkajs unchanged, which retries', async () => {
      const sent = await send({ how: 'send', to: [{ topic: 'payments', messages: [{ key: 'pay-1', value: 'NaN' }] }] });
      const { handlerFailures } = await observed('payments', 1, (o) => o.attempt === 2);
      const spans = await app.waitForSpans((s) => named(s, CONSUMER, `process ${topics.payments}`).length === 2, 30_000);
      const [producer] = named(spans, PRODUCER, `send ${topics.payments}`);
      const [failed, retried] = named(spans, CONSUMER, `process ${topics.payments}`).sort((a, b) => Number(nanos(a.startTime) - nanos(b.startTime)));
      for (const span of [failed!, retried!]) {
        expect(span.traceId).toBe(sent.traceId);
        expect(span.parentSpanId).toBe(producer!.spanId);
      }
      expect(failed!.status).toEqual({ code: STATUS_ERROR, message: 'could not process payment' });
      expect(failed!.attributes['error.type']).toBe('Error');
      const [exception] = failed!.events;
      expect(exception!.name).toBe('exception');
      expect(exception!.attributes!['exception.message']).toBe('could not process payment');
      expect(exception!.attributes!['exception.stacktrace']).toContain('Caused by: TypeError: amount is not a number');
      expect(retried!.status.code).toBe(STATUS_UNSET);
      expect(retried!.events).toEqual([]);
      // kafkajs got the very error the handler threw (it logs it before retrying).
      expect(handlerFailures).toContainEqual({ message: 'could not process payment', sameAsThrown: true });
    });

    it('a message with no, a malformed, an upper-case or a repeated traceparent: new roots or the first value, never a throw', async () => {
      const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;
      await raw.send({
        topic: topics.orders,
        messages: [
          { key: 'none', value: 'no headers' },
          { key: 'malformed', value: 'bad', headers: { traceparent: 'not-a-traceparent', baggage: '%%%' } },
          { key: 'upper', value: 'upper', headers: { TRACEPARENT: Buffer.from(traceparent), Baggage: Buffer.from('origin=legacy') } },
          { key: 'repeated', value: 'twice', headers: { traceparent: [traceparent, `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`] } },
        ],
      });
      const { seen, handlerFailures } = await observed('orders', 4);
      const spans = await app.waitForSpans((s) => named(s, CONSUMER, `process ${topics.orders}`).length === 4, 30_000);
      const byKey = Object.fromEntries(named(spans, CONSUMER, `process ${topics.orders}`).map((s) => [s.attributes['messaging.kafka.message.key'], s]));
      for (const key of ['none', 'malformed']) {
        expect(byKey[key]!.parentSpanId).toBeUndefined();
        expect(byKey[key]!.traceId).not.toBe(TRACE_ID);
        expect(byKey[key]!.status.code).toBe(STATUS_UNSET);
      }
      expect(byKey.none!.traceId).not.toBe(byKey.malformed!.traceId);
      for (const key of ['upper', 'repeated']) {
        expect(byKey[key]!.traceId).toBe(TRACE_ID);
        expect(byKey[key]!.parentSpanId).toBe(PARENT_ID);
      }
      expect(seen.find((o) => o.key && (o.key as { base64: string }).base64 === base64('upper').base64)!.baggage).toEqual({ origin: 'legacy' });
      expect(handlerFailures).toEqual([]);
    });
  },
  { needs: ['kafka'] },
);
