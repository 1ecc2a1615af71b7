'use strict';
// Kafka side: every placed order gets a confirmation email queued.
const config = require('../config');
const logger = require('../lib/logger');
const { queueEmail } = require('../services/notifications');

async function startFulfilment(bus) {
  const consumer = bus.kafka.consumer({ groupId: config.kafka.groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.ordersTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const order = JSON.parse(message.value.toString());
      logger.info(`fulfilling order ${order.id}`);
      queueEmail(bus.channel, { to: order.customer, template: 'order-confirmation', orderId: order.id });
    },
  });
  return consumer;
}

module.exports = { startFulfilment };
