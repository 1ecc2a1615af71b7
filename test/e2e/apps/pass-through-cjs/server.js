'use strict';
// Example shop for test/e2e/pass-through.test.ts, uninstrumented: the clients are created in
// bus.js and reach orders.js, fulfilment.js and shipping.js only through the bus object.
// POST /orders/:id → Kafka → fulfilment → RabbitMQ (exchange and queue) → shipping.
// Prints `READY {"port":N}`.
const express = require('express');
const { connectBus } = require('./bus.js');
const { placeOrder } = require('./orders.js');
const { startFulfilment } = require('./fulfilment.js');
const { startShipping } = require('./shipping.js');
const { observations } = require('./observations.js');

const prefix = process.env.TOPIC_PREFIX;
const names = { topic: `${prefix}.orders`, exchange: `${prefix}.events`, eventsQueue: `${prefix}.events`, queue: `${prefix}.shipping` };

async function main() {
  const bus = await connectBus({ brokers: [process.env.KAFKA_BROKER], amqpUrl: process.env.AMQP_URL, groupId: `${prefix}-fulfilment` });
  const admin = bus.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: names.topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  await bus.channel.assertExchange(names.exchange, 'topic', { autoDelete: true });
  await bus.channel.assertQueue(names.eventsQueue, { autoDelete: true });
  await bus.channel.bindQueue(names.eventsQueue, names.exchange, 'order.*');
  await bus.channel.assertQueue(names.queue, { autoDelete: true });

  await startShipping(bus, names);
  await startFulfilment(bus, names);

  const app = express();
  app.post('/orders/:id', async (req, res) => {
    await placeOrder(bus, names.topic, { id: req.params.id });
    res.status(202).end();
  });
  app.get('/observations', (req, res) => res.json({ observations }));
  const server = app.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ port: server.address().port })}`));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
