// Messaging duration metrics (issue 14): the kafkajs and amqplib helpers in process against the real
// brokers, the real tracing and metrics SDKs, read through a MetricReader. Names, unit, buckets and
// the attribute sets of messaging.client.operation.duration and messaging.process.duration.
import type { Attributes } from '@opentelemetry/api';
import amqp from 'amqplib';
import kafkajs from 'kafkajs';
import { expect, it } from 'vitest';
import { instrumentConnection } from '../../templates/runtime/amqplib.js';
import { instrumentKafka } from '../../templates/runtime/kafkajs.js';
import { DURATION_BUCKETS } from '../../templates/runtime/metrics.js';
import { AMQP_URL, createTopic, describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { inProcessMetrics, type HistogramPoint } from '../support/in-process-metrics.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

const PRODUCER = 3;
const CONSUMER = 4;
const SEND = 'messaging.client.operation.duration';
const PROCESS = 'messaging.process.duration';

/** Attribute sets in an order that does not depend on the SDK's. */
const sorted = (sets: Attributes[]) => sets.map((a) => JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)))).sort();

describeWithBrokers('messaging duration metrics, Kafka and RabbitMQ', () => {
  const prefix = uniqueName('e2e-metrics');
  const { exporter, closers } = inProcessTracing();
  const { collect } = inProcessMetrics();

  /** The points of each messaging metric, once `producers` PRODUCER and `consumers` CONSUMER spans ended. */
  async function pointsAfter(producers: number, consumers: number): Promise<{ send: HistogramPoint[]; process: HistogramPoint[] }> {
    const count = (kind: number) => exporter.getFinishedSpans().filter((s) => s.kind === kind).length;
    await expect.poll(() => count(PRODUCER) >= producers && count(CONSUMER) >= consumers, { timeout: 30_000 }).toBe(true);
    const points = await collect();
    for (const point of points) {
      expect(point).toMatchObject({ unit: 's', boundaries: DURATION_BUCKETS });
      expect(point.sum).toBeGreaterThan(0);
    }
    return { send: points.filter((p) => p.name === SEND), process: points.filter((p) => p.name === PROCESS) };
  }

  it('RabbitMQ: publish and process durations per destination; a failing handler gets error.type', async () => {
    const connection = await instrumentConnection(amqp.connect(AMQP_URL));
    closers.push(() => connection.close());
    const channel = await connection.createChannel();
    const queue = `${prefix}.jobs`;
    await channel.assertQueue(queue, { autoDelete: true });
    let delivered = 0;
    const all = new Promise<void>((resolve) => {
      void channel.consume(queue, (msg) => {
        if (!msg) return;
        channel.ack(msg);
        if (++delivered === 3) resolve();
        // A handler that fails asynchronously, as a PromiseLike whose rejection the helper records
        // and passes on; caught here, as amqplib (which ignores what handlers return) would leave it
        // unhandled and a throw would close the channel.
        if (msg.content.toString() === 'bad') return { then: (_: unknown, onRejected: (error: unknown) => unknown) => void Promise.resolve().then(() => onRejected(new RangeError('bad job'))).catch(() => undefined) };
        return undefined;
      });
    });
    channel.sendToQueue(queue, Buffer.from('one'), { messageId: 'm1' });
    channel.sendToQueue(queue, Buffer.from('two'), { messageId: 'm2' });
    channel.sendToQueue(queue, Buffer.from('bad'), { messageId: 'm3' });
    await all;
    const { send, process } = await pointsAfter(3, 3);
    const broker = { 'server.address': '127.0.0.1', 'server.port': 5672 };
    const common = { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue, ...broker };
    expect(send.map((p) => p.count)).toEqual([3]);
    expect(send[0]!.attributes).toEqual({ ...common, 'messaging.operation.name': 'publish', 'messaging.operation.type': 'send' });
    expect(sorted(process.map((p) => ({ ...p.attributes, count: p.count })))).toEqual(
      sorted([
        { ...common, 'messaging.operation.name': 'process', count: 2 },
        { ...common, 'messaging.operation.name': 'process', 'error.type': 'RangeError', count: 1 },
      ]),
    );
  });

  it('Kafka: send per topic, process with partition and group; message keys and offsets stay off metrics', async () => {
    const topic = `${prefix}.orders`;
    const kafka = instrumentKafka(new kafkajs.Kafka({ clientId: 'metrics', brokers: [KAFKA_BROKER], logLevel: kafkajs.logLevel.NOTHING }), { clientId: 'metrics' });
    await createTopic(kafka, topic, closers);
    const producer = kafka.producer();
    closers.push(() => producer.disconnect());
    await producer.connect();
    const group = `${topic}-group`;
    const consumer = kafka.consumer({ groupId: group });
    closers.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let received = 0;
    const all = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (++received === 3) resolve();
          if (message.value?.toString() === 'bad') throw new RangeError('bad order');
        },
      });
    });
    await producer.send({ topic, messages: [{ key: 'k1', value: 'one' }] });
    await producer.send({ topic, messages: [{ key: 'k2', value: 'two' }, { key: 'k3', value: 'bad' }] });
    await all;
    // The failed message is delivered again by kafkajs: count what arrived by then.
    const { send, process } = await pointsAfter(2, 3);
    const common = { 'messaging.system': 'kafka', 'messaging.destination.name': topic };
    expect(send.map((p) => ({ ...p.attributes, count: p.count }))).toEqual([{ ...common, 'messaging.operation.name': 'send', 'messaging.operation.type': 'send', count: 2 }]);
    const processed = { ...common, 'messaging.operation.name': 'process', 'messaging.destination.partition.id': '0', 'messaging.consumer.group.name': group };
    expect(sorted(process.map((p) => p.attributes))).toEqual(sorted([processed, { ...processed, 'error.type': 'RangeError' }]));
    expect(process.find((p) => p.attributes['error.type'] === undefined)!.count).toBe(2);
  }, 60_000);
});
