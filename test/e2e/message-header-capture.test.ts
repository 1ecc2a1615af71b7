// Captured message headers (issue 11): the kafkajs and amqplib helpers in process against the real
// brokers and the real SDK, with OTEL_INSTRUMENTATION_MESSAGING_EXPERIMENTAL_CAPTURE_HEADERS set and
// unset (the helpers read it once when they load, so each setting gets a fresh load).
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import amqp from 'amqplib';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { AMQP_URL, createTopic, describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

const PRODUCER = 3;
const CONSUMER = 4;
const VARIABLE = 'OTEL_INSTRUMENTATION_MESSAGING_EXPERIMENTAL_CAPTURE_HEADERS';

async function helpersWith(value: string | undefined) {
  delete process.env[VARIABLE];
  if (value !== undefined) process.env[VARIABLE] = value;
  vi.resetModules();
  try {
    return { amqplib: await import('../../templates/runtime/amqplib.js'), kafkajs: await import('../../templates/runtime/kafkajs.js') };
  } finally {
    delete process.env[VARIABLE];
  }
}

const LISTED = 'X-Tenant-Id,bin,multi,count,authorization,absent';
/** Headers every test message carries: text, bytes that are not UTF-8, a credential. */
const HEADERS = { 'x-tenant-id': 'acme', bin: Buffer.from([0xff, 0xfe]), authorization: 'Bearer secret' };

function headerAttributes(span: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => key.startsWith('messaging.header.')));
}

describeWithBrokers('messaging.header.* from the allow-list, Kafka and RabbitMQ', () => {
  const prefix = uniqueName('e2e-header-capture');
  const { exporter, closers } = inProcessTracing();
  async function finished(kind: number, count: number): Promise<ReadableSpan[]> {
    await expect.poll(() => exporter.getFinishedSpans().filter((s) => s.kind === kind).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
    return exporter.getFinishedSpans().filter((s) => s.kind === kind);
  }

  async function roundTripAmqp(helpers: Awaited<ReturnType<typeof helpersWith>>, queue: string) {
    const connection = await helpers.amqplib.instrumentConnection(amqp.connect(AMQP_URL));
    closers.push(() => connection.close());
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { autoDelete: true });
    const delivered = new Promise<void>((resolve) => {
      void channel.consume(queue, (msg) => {
        if (msg) channel.ack(msg);
        resolve();
      });
    });
    channel.sendToQueue(queue, Buffer.from('job'), { headers: { ...HEADERS, count: 3 } });
    await delivered;
    return [...(await finished(PRODUCER, 1)), ...(await finished(CONSUMER, 1))];
  }

  it('RabbitMQ: listed headers on the PRODUCER and CONSUMER spans; numbers as text; non-UTF-8 bytes and credentials out', async () => {
    const spans = await roundTripAmqp(await helpersWith(LISTED), `${prefix}.jobs`);
    expect(spans.map(headerAttributes)).toEqual([
      { 'messaging.header.x-tenant-id': ['acme'], 'messaging.header.count': ['3'] },
      { 'messaging.header.x-tenant-id': ['acme'], 'messaging.header.count': ['3'] },
    ]);
  });

  it('RabbitMQ: nothing when the variable is unset', async () => {
    const spans = await roundTripAmqp(await helpersWith(undefined), `${prefix}.unset`);
    expect(spans.map(headerAttributes)).toEqual([{}, {}]);
  });

  async function roundTripKafka(helpers: Awaited<ReturnType<typeof helpersWith>>, topic: string) {
    const kafka = helpers.kafkajs.instrumentKafka(new kafkajs.Kafka({ clientId: 'capture', brokers: [KAFKA_BROKER], logLevel: kafkajs.logLevel.NOTHING }));
    await createTopic(kafka, topic, closers);
    const producer = kafka.producer();
    closers.push(() => producer.disconnect());
    await producer.connect();
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    closers.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let received = 0;
    const all = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async () => {
          if (++received === 3) resolve();
        },
      });
    });
    await producer.send({ topic, messages: [{ value: 'one', headers: { ...HEADERS, multi: ['a', Buffer.from('b')] } }] });
    // A span of several messages has no one set of headers: none recorded on it.
    await producer.send({ topic, messages: [{ value: 'two', headers: HEADERS }, { value: 'three', headers: HEADERS }] });
    await all;
    return { producers: await finished(PRODUCER, 2), consumers: await finished(CONSUMER, 3) };
  }

  it('Kafka: listed headers on the PRODUCER span of one message and on each CONSUMER span; repeats as items; Buffers as UTF-8', async () => {
    const { producers, consumers } = await roundTripKafka(await helpersWith(LISTED), `${prefix}.orders`);
    const first = { 'messaging.header.x-tenant-id': ['acme'], 'messaging.header.multi': ['a', 'b'] };
    expect(producers.map(headerAttributes)).toEqual([first, {}]);
    expect(consumers.map(headerAttributes)).toEqual([first, { 'messaging.header.x-tenant-id': ['acme'] }, { 'messaging.header.x-tenant-id': ['acme'] }]);
  }, 60_000);

  it('Kafka: nothing when the variable is unset', async () => {
    const { producers, consumers } = await roundTripKafka(await helpersWith(undefined), `${prefix}.unset`);
    expect([...producers, ...consumers].map(headerAttributes)).toEqual([{}, {}, {}, {}, {}]);
  }, 60_000);
});
