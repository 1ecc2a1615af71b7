// Smoke test of the local brokers (`bash scripts/brokers.sh start`) with the real clients.
import amqp, { type ConsumeMessage } from 'amqplib';
import kafkajs, { type KafkaMessage } from 'kafkajs';
import { expect, it } from 'vitest';
import { AMQP_URL, KAFKA_BROKER, describeWithBrokers, uniqueName } from './support/brokers.js';

const { Kafka, logLevel } = kafkajs;

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** Rejects when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Closes a client without hiding the test's own error; bounded. */
async function closeQuietly(what: string, close: () => Promise<unknown>): Promise<void> {
  try {
    await within(close(), 5_000, `closing ${what}`);
  } catch (err) {
    console.warn(`closing ${what}: ${(err as Error).message}`);
  }
}

describeWithBrokers('message brokers (smoke)', () => {
  it('kafkajs: a consumer group receives a produced message with its headers', async () => {
    const kafka = new Kafka({
      clientId: 'brokers-smoke',
      brokers: [KAFKA_BROKER],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      retry: { retries: 5, initialRetryTime: 100 },
    });
    const topic = uniqueName('smoke');
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group'), maxWaitTimeInMs: 100, heartbeatInterval: 1_000 });
    try {
      await producer.connect();
      // The first send creates the topic (auto.create.topics.enable); kafkajs cannot
      // subscribe to a topic that does not exist yet.
      await producer.send({ topic, messages: [{ key: 'k1', value: 'hello kafka', headers: { traceparent: TRACEPARENT } }] });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<KafkaMessage>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(message) });
      });
      const message = await within(received, 10_000, `consuming from ${topic}`);

      expect(message.key?.toString()).toBe('k1');
      expect(message.value?.toString()).toBe('hello kafka');
      const header = message.headers?.traceparent;
      expect(Buffer.isBuffer(header)).toBe(true);
      expect(header?.toString()).toBe(TRACEPARENT);
    } finally {
      await closeQuietly('kafka consumer', () => consumer.disconnect());
      await closeQuietly('kafka producer', () => producer.disconnect());
    }
  }, 20_000);

  it('amqplib: a message published to a fresh queue is consumed with its headers', async () => {
    const connection = await within(amqp.connect(AMQP_URL), 5_000, `connecting to ${AMQP_URL}`);
    try {
      const channel = await connection.createChannel();
      const queue = uniqueName('smoke');
      await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
      const received = new Promise<ConsumeMessage>((resolve) => {
        void channel.consume(queue, (msg) => {
          if (!msg) return;
          channel.ack(msg);
          resolve(msg);
        });
      });
      channel.sendToQueue(queue, Buffer.from('hello amqp'), { contentType: 'text/plain', headers: { traceparent: TRACEPARENT } });
      const msg = await within(received, 5_000, `consuming from ${queue}`);

      expect(msg.content.toString()).toBe('hello amqp');
      expect(msg.properties.headers?.traceparent).toBe(TRACEPARENT);
    } finally {
      await closeQuietly('amqp connection', () => connection.close());
    }
  }, 15_000);
});
