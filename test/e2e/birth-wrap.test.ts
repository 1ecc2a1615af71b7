// The birth-wrap helpers in process, against the real brokers and the real SDK: a client
// instrumented where it is born and also wrapped at a call site (an earlier run's rewrite, or
// instrumented twice) gives one span per operation, and a confirm channel's sendToQueue (which
// amqplib implements with this.publish) one span, not two.
import amqp from 'amqplib';
import amqpCallback from 'amqplib/callback_api';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { instrumentConnection, instrumentConnectionCallback, tracedPublish, tracedSendToQueue, tracedConsume } from '../../templates/runtime/amqplib.js';
import { instrumentKafka, instrumentProducer } from '../../templates/runtime/kafkajs.js';
import { AMQP_URL, createTopic, describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

const PRODUCER = 3;
const CONSUMER = 4;

describeWithBrokers('birth-wrap helpers: one span per operation however often a client is wrapped', () => {
  const prefix = uniqueName('e2e-birth');
  const { exporter, closers } = inProcessTracing();
  const spans = (kind: number) => exporter.getFinishedSpans().filter((s) => s.kind === kind).map((s) => s.name);

  it('amqplib promise API: channel calls, earlier use-site rewrites and a second wrap', async () => {
    const connection = await instrumentConnection(instrumentConnection(amqp.connect(AMQP_URL)));
    closers.push(() => connection.close());
    const channel = await connection.createConfirmChannel();
    const queue = `${prefix}.jobs`;
    await channel.assertQueue(queue, { autoDelete: true });
    const delivered = new Promise<void>((resolve) => {
      let count = 0;
      void tracedConsume(channel, queue, (msg) => {
        if (msg) channel.ack(msg);
        if (++count === 4) resolve();
      });
    });
    channel.sendToQueue(queue, Buffer.from('1'));
    tracedSendToQueue(channel, queue, Buffer.from('2'));
    channel.publish('', queue, Buffer.from('3'));
    await new Promise<void>((resolve, reject) => tracedPublish(channel, '', queue, Buffer.from('4'), {}, (err) => (err ? reject(err) : resolve())));
    await channel.waitForConfirms();
    await delivered;
    expect(spans(PRODUCER)).toEqual([`publish ${queue}`, `publish ${queue}`, `publish ${queue}`, `publish ${queue}`]);
    await expect.poll(() => spans(CONSUMER).length).toBe(4);
  });

  it('amqplib callback API: the connection reaching the wrapped callback creates traced channels', async () => {
    const queue = `${prefix}.callback`;
    const connection = await new Promise<amqpCallback.Connection>((resolve, reject) =>
      amqpCallback.connect(AMQP_URL, instrumentConnectionCallback((err: unknown, conn: amqpCallback.Connection) => (err ? reject(err) : resolve(conn)))),
    );
    closers.push(() => new Promise((resolve) => connection.close(resolve)));
    const channel = await new Promise<amqpCallback.Channel>((resolve, reject) => connection.createChannel((err, ch) => (err ? reject(err) : resolve(ch))));
    await new Promise((resolve, reject) => channel.assertQueue(queue, { autoDelete: true }, (err, ok) => (err ? reject(err) : resolve(ok))));
    channel.sendToQueue(queue, Buffer.from('x'));
    expect(spans(PRODUCER)).toEqual([`publish ${queue}`]);
  });

  it('kafkajs: producers of an instrumented client, also wrapped where they are created', async () => {
    const topic = `${prefix}.orders`;
    const kafka = instrumentKafka(instrumentKafka(new kafkajs.Kafka({ clientId: 'birth', brokers: [KAFKA_BROKER], logLevel: kafkajs.logLevel.NOTHING }), { clientId: 'birth' }));
    await createTopic(kafka, topic, closers);
    const producer = instrumentProducer(kafka.producer(), { clientId: 'birth' });
    closers.push(() => producer.disconnect());
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }] });
    const plain = kafka.producer();
    closers.push(() => plain.disconnect());
    await plain.connect();
    await plain.send({ topic, messages: [{ value: 'b' }] });
    expect(spans(PRODUCER)).toEqual([`send ${topic}`, `send ${topic}`]);
    expect(exporter.getFinishedSpans().every((s) => s.attributes['messaging.client.id'] === 'birth')).toBe(true);
  });
});
