'use strict';
// Example checkout service for test/e2e/messaging.test.ts, uninstrumented as a team would write
// it: POST /api/orders/:id produces the order to Kafka; the Kafka consumer asks for shipping
// over RabbitMQ; the RabbitMQ consumer finishes. Prints `READY {"port":N}`.
const express = require('express');
const amqp = require('amqplib');
const { kafka } = require('./clients.js');
const { observations, observe } = require('./observations.js');

const prefix = process.env.TOPIC_PREFIX;
const ordersTopic = `${prefix}.orders`;
const exchange = `${prefix}.fulfilment`;
const shippingQueue = `${prefix}.shipping`;

const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: `${prefix}-fulfilment`, maxWaitTimeInMs: 100 });

/** The shipping request for an order, with the properties RabbitMQ consumers rely on. */
function shippingRequest(order, orderKey) {
  return {
    content: Buffer.from(JSON.stringify({ order: order.id, qty: order.qty })),
    options: {
      messageId: `ship-${order.id}`,
      correlationId: orderKey,
      contentType: 'application/json',
      appId: 'fulfilment',
      timestamp: 1700000000,
      priority: 3,
      headers: { 'x-order-id': order.id, 'x-count': order.qty, 'x-signature': Buffer.from([0x00, 0xff, 0x7f, 0x80]) },
    },
  };
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: ordersTopic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  await producer.connect();

  const connection = await amqp.connect(process.env.AMQP_URL);
  const publisher = await connection.createConfirmChannel();
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'direct', { autoDelete: true });
  await channel.assertQueue(shippingQueue, { autoDelete: true });
  await channel.bindQueue(shippingQueue, exchange, 'ship');

  await channel.consume(shippingQueue, (msg) => {
    observe('rabbitmq', { content: msg.content, properties: msg.properties, routingKey: msg.fields.routingKey });
    channel.ack(msg);
  });

  await consumer.connect();
  await consumer.subscribe({ topic: ordersTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      observe('kafka', { key: message.key, value: message.value, headers: message.headers });
      const order = JSON.parse(message.value.toString());
      const { content, options } = shippingRequest(order, message.key.toString());
      observe('published', { content, options });
      publisher.publish(exchange, 'ship', content, options);
      await publisher.waitForConfirms();
    },
  });

  const app = express();
  app.use(express.json());
  app.post('/api/orders/:id', async (req, res) => {
    const headers = { 'x-request-id': req.get('x-request-id'), 'x-signature': Buffer.from([0xde, 0xad, 0x00, 0xbe, 0xef]) };
    const message = { key: req.params.id, value: JSON.stringify({ id: req.params.id, qty: req.body.qty }), headers };
    await producer.send({ topic: ordersTopic, messages: [message] });
    observe('http', { headers: message.headers, headerNames: Object.keys(message.headers) });
    res.status(202).json({ accepted: req.params.id });
  });
  app.get('/observations', (req, res) => res.json({ observations }));
  app.post('/reset', (req, res) => res.json({ cleared: observations.splice(0).length }));

  const server = app.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ port: server.address().port })}`));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
