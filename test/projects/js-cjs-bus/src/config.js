'use strict';

module.exports = {
  port: Number(process.env.PORT || 3000),
  host: process.env.HOST || '0.0.0.0',
  kafka: {
    clientId: process.env.KAFKA_CLIENT_ID || 'orders-service',
    brokers: (process.env.KAFKA_BROKERS || 'localhost:9092').split(','),
    ordersTopic: process.env.ORDERS_TOPIC || 'orders',
    groupId: process.env.KAFKA_GROUP_ID || 'orders-fulfilment',
  },
  rabbit: {
    url: process.env.AMQP_URL || 'amqp://localhost',
    exchange: process.env.ORDERS_EXCHANGE || 'orders.events',
    auditQueue: process.env.AUDIT_QUEUE || 'orders.audit',
    emailQueue: process.env.EMAIL_QUEUE || 'notifications.email',
  },
};
