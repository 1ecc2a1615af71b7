'use strict';
// One place that connects to both brokers; the rest of the service gets the clients from the
// object connectBus() returns.
const amqp = require('amqplib');
const { Kafka, logLevel } = require('kafkajs');
const config = require('./config');
const logger = require('./lib/logger');

async function connectBus() {
  const kafka = new Kafka({ clientId: config.kafka.clientId, brokers: config.kafka.brokers, logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: config.kafka.ordersTopic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();

  const connection = await amqp.connect(config.rabbit.url);
  const channel = await connection.createChannel();
  await channel.assertExchange(config.rabbit.exchange, 'topic', { durable: false, autoDelete: true });
  await channel.assertQueue(config.rabbit.auditQueue, { durable: false, autoDelete: true });
  await channel.bindQueue(config.rabbit.auditQueue, config.rabbit.exchange, 'order.*');
  await channel.assertQueue(config.rabbit.emailQueue, { durable: false, autoDelete: true });

  logger.info('connected to Kafka and RabbitMQ');
  return { kafka, producer, connection, channel };
}

async function closeBus(bus) {
  await bus.producer.disconnect();
  await bus.channel.close();
  await bus.connection.close();
}

module.exports = { connectBus, closeBus };
