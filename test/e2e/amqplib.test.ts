// amqplib end to end: an example RabbitMQ service (promise API with a confirm channel, and the
// callback API) is copied, instrumented by the built CLI, started with the real SDK, and talks to
// the real broker. The test drives it over HTTP and also publishes raw messages itself, as a
// service written in another language would.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startApp, type AppProcess, type SpanRecord } from '../support/app-process.js';
import { AMQP_URL, describeWithBrokers, uniqueName } from '../support/brokers.js';
import { copyApp, runCli } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';

const APP = path.join(repoRoot, 'test/e2e/apps/amqplib-esm');

const INTERNAL = 0;
const PRODUCER = 3;
const CONSUMER = 4;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;
const OUR_SCOPE = 'otel-instrument';

/** What a consumer in the app saw of one delivery (Buffers as `{ base64 }`). */
interface Observation {
  queue: string;
  cancelled: boolean;
  content?: string;
  fields?: Record<string, unknown>;
  properties?: { headers?: Record<string, unknown> } & Record<string, unknown>;
  activeSpanId?: string;
  baggage: Record<string, string>;
}

/** An error that left a consumer: where it surfaced, and whether it is the very one thrown. */
interface Escaped {
  where: 'process' | 'connection';
  message: string;
  cause?: string;
  sameAsThrown: boolean;
}

interface PublishRequest {
  method: 'publish' | 'sendToQueue' | 'legacy';
  exchange?: string;
  routingKey?: string;
  queue?: string;
  content: string;
  options?: Record<string, unknown>;
  baggage?: Record<string, string>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const base64 = (text: string) => Buffer.from(text).toString('base64');

describeWithBrokers(
  'amqplib, instrumented by the CLI, against RabbitMQ',
  () => {
    const prefix = uniqueName('e2e-amqp');
    let app: AppProcess;
    let base: string;
    let connection: amqp.ChannelModel;
    let channel: amqp.Channel;

    const call = async <T>(pathname: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${base}${pathname}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    };
    const publish = (request: PublishRequest) => call<{ traceId: string; spanId: string; optionsUnchanged: boolean }>('/publish', request);

    /** Waits for `count` observations of `queue` in the app. */
    async function observed(queue: string, count = 1): Promise<{ observations: Observation[]; escaped: Escaped[] }> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const answer = await call<{ observations: Observation[]; escaped: Escaped[] }>('/observations');
        const matching = answer.observations.filter((o) => o.queue === queue);
        if (matching.length >= count) return { observations: matching, escaped: answer.escaped };
        if (Date.now() > deadline) throw new Error(`no ${count} observation(s) on ${queue}; got ${JSON.stringify(answer)}\n${app.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    /** Waits until an error escaped a consumer, then returns all that did. */
    async function escapedErrors(): Promise<Escaped[]> {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const { escaped } = await call<{ escaped: Escaped[] }>('/observations');
        if (escaped.length > 0 || Date.now() > deadline) return escaped;
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    const consumerSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === CONSUMER);
    const producerSpans = (spans: SpanRecord[]) => spans.filter((s) => s.kind === PRODUCER);

    beforeAll(async () => {
      const copy = copyApp(APP, 'amqplib-esm');
      const run = runCli(['.'], copy);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      // Connections are instrumented where they are made; the channel calls stay as written.
      const messaging = readFileSync(path.join(copy, 'messaging.mjs'), 'utf8');
      expect(messaging).toContain('const connection = await instrumentConnection(amqp.connect(url));');
      expect(messaging).toContain('publisher.publish(exchange, routingKey, content, options, (err)');
      expect(readFileSync(path.join(copy, 'legacy.cjs'), 'utf8')).toContain('amqp.connect(url, instrumentConnectionCallback((err, conn) => {');
      app = await startApp(path.join(copy, 'server.mjs'), { env: { AMQP_URL, QUEUE_PREFIX: prefix } });
      base = `http://127.0.0.1:${app.ready.port}`;
      connection = await amqp.connect(AMQP_URL);
      channel = await connection.createChannel();
    });
    afterAll(async () => {
      await app?.stop();
      await channel?.deleteQueue(`${prefix}.cancel`).catch(() => undefined);
      await connection?.close();
    });
    beforeEach(async () => {
      await call('/reset');
      await app.reset();
    });

    it('publish: PRODUCER span under the caller, CONSUMER span under it, handler sees span and baggage', async () => {
      const sent = await publish({
        method: 'publish',
        exchange: `${prefix}.events`,
        routingKey: 'order.created',
        content: base64('{"id":42}'),
        options: { messageId: 'order-42', correlationId: 'checkout-7', headers: { 'x-tenant': 'acme' } },
        baggage: { tenant: 'acme', session: 's3cr3t' },
      });
      expect(sent.optionsUnchanged).toBe(true);

      const [seen] = (await observed('work')).observations;
      const spans = await app.waitForSpans((s) => consumerSpans(s).length >= 1 && producerSpans(s).length >= 1);
      const producer = producerSpans(spans)[0]!;
      const consumer = consumerSpans(spans)[0]!;

      expect(producer.scope).toBe(OUR_SCOPE);
      expect(producer.name).toBe(`publish ${prefix}.events:order.created`);
      expect(producer.traceId).toBe(sent.traceId);
      expect(producer.parentSpanId).toBe(sent.spanId);
      expect(producer.status.code).toBe(STATUS_UNSET);
      expect(producer.attributes).toEqual({
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.destination.name': `${prefix}.events:order.created`,
        'messaging.rabbitmq.destination.routing_key': 'order.created',
        'messaging.message.id': 'order-42',
        'messaging.message.conversation_id': 'checkout-7',
        'server.address': '127.0.0.1',
        'server.port': 5672,
        'network.peer.address': '127.0.0.1',
        'network.peer.port': 5672,
      });

      expect(consumer.scope).toBe(OUR_SCOPE);
      expect(consumer.name).toBe(`process ${prefix}.events:order.created:${prefix}.work`);
      expect(consumer.traceId).toBe(sent.traceId);
      expect(consumer.parentSpanId).toBe(producer.spanId);
      expect(consumer.status.code).toBe(STATUS_UNSET);
      expect(consumer.attributes).toEqual({
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': `${prefix}.events:order.created:${prefix}.work`,
        'messaging.rabbitmq.destination.routing_key': 'order.created',
        'messaging.rabbitmq.message.delivery_tag': seen!.fields!.deliveryTag,
        'messaging.message.id': 'order-42',
        'messaging.message.conversation_id': 'checkout-7',
        'server.address': '127.0.0.1',
        'server.port': 5672,
      });
      // The span ends when the handler settles: the handler ran inside it.
      expect(seen!.activeSpanId).toBe(consumer.spanId);
      expect(seen!.baggage).toEqual({ tenant: 'acme', session: 's3cr3t' });
      // Baggage travels in the headers, never into telemetry.
      expect(JSON.stringify(spans)).not.toContain('s3cr3t');
    });

    it('keeps user headers and every message property byte for byte, adding only the context', async () => {
      const options = {
        headers: { 'x-tenant': 'acme', 'x-retries': 3, 'x-flag': true, 'x-raw': { base64: Buffer.from([0, 255, 1]).toString('base64') } },
        messageId: 'm-1',
        correlationId: 'c-1',
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        priority: 3,
        replyTo: 'replies',
        type: 'order.created',
        appId: 'shop',
        userId: 'guest',
        timestamp: 1_700_000_000,
        expiration: '60000',
        deliveryMode: 2,
      };
      const content = Buffer.from([0, 1, 2, 250, 251, 252]).toString('base64');
      const sent = await publish({ method: 'sendToQueue', queue: `${prefix}.work`, content, options, baggage: { tenant: 'acme' } });
      expect(sent.optionsUnchanged).toBe(true);

      const [seen] = (await observed('work')).observations;
      const spans = await app.waitForSpans((s) => consumerSpans(s).length >= 1 && producerSpans(s).length >= 1);
      const producer = producerSpans(spans)[0]!;
      expect(producer.name).toBe(`publish ${prefix}.work`);
      expect(producer.attributes['messaging.destination.name']).toBe(`${prefix}.work`);
      expect(consumerSpans(spans)[0]!.attributes['messaging.destination.name']).toBe(`${prefix}.work`);

      expect(seen!.content).toBe(content);
      const { headers, ...properties } = seen!.properties!;
      const { headers: sentHeaders, ...sentProperties } = options;
      for (const [name, value] of Object.entries(sentProperties)) expect(properties[name], name).toEqual(value);
      expect(headers).toEqual({ ...sentHeaders, traceparent: `00-${sent.traceId}-${producer.spanId}-01`, baggage: 'tenant=acme' });
    });

    it('callback API: sendToQueue and consume with a named handler', async () => {
      const sent = await publish({ method: 'legacy', content: base64('legacy job'), options: { headers: { 'x-origin': 'cron' } } });
      const [seen] = (await observed('legacy')).observations;
      const spans = await app.waitForSpans((s) => consumerSpans(s).length >= 1 && producerSpans(s).length >= 1);
      const producer = producerSpans(spans)[0]!;
      const consumer = consumerSpans(spans)[0]!;
      expect(producer.name).toBe(`publish ${prefix}.legacy`);
      expect(producer.parentSpanId).toBe(sent.spanId);
      expect(consumer.name).toBe(`process ${prefix}.legacy`);
      expect(consumer.traceId).toBe(sent.traceId);
      expect(consumer.parentSpanId).toBe(producer.spanId);
      expect(seen!.activeSpanId).toBe(consumer.spanId);
      expect(seen!.properties!.headers!['x-origin']).toBe('cron');
    });

    it('continues a trace from Buffer header values, as a Go publisher sends them', async () => {
      const traceId = hex(16);
      const parentId = hex(8);
      channel.sendToQueue(`${prefix}.work`, Buffer.from('from go'), {
        headers: { traceparent: Buffer.from(`00-${traceId}-${parentId}-01`), baggage: Buffer.from('tenant=globex') },
      });
      const [seen] = (await observed('work')).observations;
      const [consumer] = consumerSpans(await app.waitForSpans((s) => consumerSpans(s).length >= 1));
      expect(consumer!.traceId).toBe(traceId);
      expect(consumer!.parentSpanId).toBe(parentId);
      expect(seen!.baggage).toEqual({ tenant: 'globex' });
    });

    it.each([
      ['no headers at all', undefined],
      ['no traceparent', { 'x-tenant': 'acme' }],
      ['a malformed traceparent', { traceparent: '00-not-a-trace-01', baggage: 'tenant=acme' }],
      ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${hex(8)}-01` }],
    ])('starts a new root for a message with %s, and still runs the handler', async (_, headers) => {
      channel.sendToQueue(`${prefix}.work`, Buffer.from('orphan'), headers ? { headers } : {});
      const [seen] = (await observed('work')).observations;
      const [consumer] = consumerSpans(await app.waitForSpans((s) => consumerSpans(s).length >= 1));
      expect(consumer!.parentSpanId).toBeUndefined();
      expect(consumer!.traceId).not.toBe('0'.repeat(32));
      expect(seen!.activeSpanId).toBe(consumer!.spanId);
      expect(seen!.properties!.headers).toEqual(headers ?? {});
    });

    it('records a consumer error with its cause and rethrows the very same error', async () => {
      const sent = await publish({ method: 'sendToQueue', queue: `${prefix}.fail`, content: base64('{"price":"free"}') });
      await observed('fail');
      const spans = await app.waitForSpans((s) => consumerSpans(s).length >= 1);
      const consumer = consumerSpans(spans)[0]!;
      expect(consumer.traceId).toBe(sent.traceId);
      expect(consumer.status).toEqual({ code: STATUS_ERROR, message: 'could not process order' });
      expect(consumer.attributes['error.type']).toBe('Error');
      const exception = consumer.events.find((e) => e.name === 'exception')!;
      expect(exception.attributes!['exception.type']).toBe('Error');
      expect(exception.attributes!['exception.message']).toBe('could not process order');
      expect(exception.attributes!['exception.stacktrace']).toContain('Caused by: TypeError: price is not a number');

      // The rejection reaches the process unchanged.
      expect(await escapedErrors()).toEqual([{ where: 'process', message: 'could not process order', cause: 'price is not a number', sameAsThrown: true }]);
    });

    it('records a synchronous throw and rethrows it to amqplib, which fails the connection with it', async () => {
      const sent = await publish({ method: 'sendToQueue', queue: `${prefix}.sync-fail`, content: base64('{"quantity":-1}') });
      await observed('sync-fail');
      const spans = await app.waitForSpans((s) => consumerSpans(s).length >= 1);
      const consumer = consumerSpans(spans)[0]!;
      expect(consumer.traceId).toBe(sent.traceId);
      expect(consumer.status).toEqual({ code: STATUS_ERROR, message: 'quantity out of range' });
      expect(consumer.attributes['error.type']).toBe('RangeError');
      expect(consumer.events.find((e) => e.name === 'exception')!.attributes!['exception.type']).toBe('RangeError');
      expect(await escapedErrors()).toEqual([{ where: 'connection', message: 'quantity out of range', sameAsThrown: true }]);
    });

    it('passes the null of a cancelled consumer to the handler untouched, without a span', async () => {
      // Deleting the queue makes the broker cancel its consumer; amqplib calls the handler with null.
      await channel.deleteQueue(`${prefix}.cancel`);
      const [seen] = (await observed('cancel')).observations;
      expect(seen!.cancelled).toBe(true);
      expect(seen!.activeSpanId).toBeUndefined();
      const spans = await app.spans();
      expect(spans.filter((s) => s.kind !== INTERNAL)).toEqual([]);
    });
  },
  { needs: ['rabbitmq'] },
);
