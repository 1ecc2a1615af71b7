'use strict';
// The Kafka client, shared by the modules of the service.
const { Kafka, logLevel } = require('kafkajs');

const kafka = new Kafka({ clientId: 'checkout', brokers: [process.env.KAFKA_BROKER], logLevel: logLevel.NOTHING });

module.exports = { kafka };
