'use strict';
// Consumes on RabbitMQ with a channel destructured from the bus.
const { observe } = require('./observations.js');

async function startShipping(bus, { eventsQueue, queue }) {
  const { channel } = bus;
  await channel.consume(eventsQueue, (msg) => {
    observe('event', { routingKey: msg.fields.routingKey });
    channel.ack(msg);
  });
  await channel.consume(queue, (msg) => {
    observe('shipping', { messageId: msg.properties.messageId });
    channel.ack(msg);
  });
}

module.exports = { startShipping };
