'use strict';
const crypto = require('crypto');
const config = require('../config');

async function placeOrder(bus, input) {
  const order = { id: crypto.randomUUID(), customer: input.customer, items: input.items, placedAt: new Date().toISOString() };

  await bus.producer.send({
    topic: config.kafka.ordersTopic,
    messages: [{ key: order.id, value: JSON.stringify(order) }],
  });

  bus.channel.publish(config.rabbit.exchange, 'order.placed', Buffer.from(JSON.stringify({ orderId: order.id, customer: order.customer })), {
    contentType: 'application/json',
    messageId: order.id,
  });

  return order;
}

module.exports = { placeOrder };
