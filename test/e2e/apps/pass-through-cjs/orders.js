'use strict';
// Places an order on Kafka through the bus object.
async function placeOrder(bus, topic, order) {
  await bus.producer.send({ topic, messages: [{ key: order.id, value: JSON.stringify(order) }] });
}

module.exports = { placeOrder };
