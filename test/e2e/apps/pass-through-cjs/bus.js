'use strict';
// The service's message bus: one module creates the Kafka producer and consumer and the
// RabbitMQ channel and hands them out in an object. The modules that use them never see
// kafkajs or amqplib.
const amqp = require('amqplib');
const { Kafka, logLevel } = require('kafkajs');

async function connectBus({ brokers, amqpUrl, groupId }) {
  const kafka = new Kafka({ clientId: 'shop', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), consumer.connect()]);

  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  return { kafka, producer, consumer, connection, channel };
}

module.exports = { connectBus };
