'use strict';
// Consumes orders from Kafka (a consumer taken out of the bus) and asks for shipping over
// RabbitMQ: an event on the exchange through the bus, a job on a queue through a parameter.
const { observe } = require('./observations.js');

function requestShipping(channel, queue, order) {
  return channel.sendToQueue(queue, Buffer.from(JSON.stringify(order)), { messageId: `ship-${order.id}` });
}

async function startFulfilment(bus, { topic, exchange, queue }) {
  const { consumer } = bus;
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      observe('kafka');
      const order = JSON.parse(message.value.toString());
      bus.channel.publish(exchange, 'order.accepted', Buffer.from(order.id));
      requestShipping(bus.channel, queue, order);
    },
  });
}

module.exports = { startFulfilment };
