// Promise API: a confirm channel for publishing, a plain channel for consuming. Uninstrumented
// code as a team would write it; test/e2e/amqplib.test.ts instruments a copy with the CLI.
import amqp from 'amqplib';
import { escapedError, observe, thrown } from './observations.mjs';

/** Records what the handler sees: the message, the active span and baggage. */
async function onWork(msg) {
  observe('work', msg);
  channel.ack(msg);
}

let channel;

export async function startMessaging(url, prefix) {
  const connection = await amqp.connect(url);
  const publisher = await connection.createConfirmChannel();
  channel = await connection.createChannel();

  await channel.assertExchange(`${prefix}.events`, 'topic', { autoDelete: true });
  await channel.assertQueue(`${prefix}.work`, { autoDelete: true });
  await channel.bindQueue(`${prefix}.work`, `${prefix}.events`, 'order.*');
  await channel.assertQueue(`${prefix}.fail`, { autoDelete: true });
  await channel.assertQueue(`${prefix}.cancel`);

  await channel.consume(`${prefix}.work`, onWork);
  await channel.consume(
    `${prefix}.fail`,
    async (msg) => {
      observe('fail', msg);
      const error = new Error('could not process order', { cause: new TypeError('price is not a number') });
      thrown.push(error);
      throw error;
    },
    { noAck: true },
  );
  // The test deletes this queue: the broker cancels the consumer and amqplib passes null.
  await channel.consume(`${prefix}.cancel`, function onCancel(msg) {
    observe('cancel', msg);
  });

  // A handler that throws synchronously: amqplib turns the throw into a connection error, so
  // this consumer has a connection of its own.
  const fragile = await amqp.connect(url);
  fragile.on('error', (error) => escapedError('connection', error));
  const fragileChannel = await fragile.createChannel();
  await fragileChannel.assertQueue(`${prefix}.sync-fail`, { autoDelete: true });
  await fragileChannel.consume(
    `${prefix}.sync-fail`,
    (msg) => {
      observe('sync-fail', msg);
      const error = new RangeError('quantity out of range');
      thrown.push(error);
      throw error;
    },
    { noAck: true },
  );

  return {
    publish(exchange, routingKey, content, options) {
      return new Promise((resolve, reject) => {
        publisher.publish(exchange, routingKey, content, options, (err) => (err ? reject(err) : resolve()));
      });
    },
    async sendToQueue(queue, content, options) {
      publisher.sendToQueue(queue, content, options);
      await publisher.waitForConfirms();
    },
  };
}
