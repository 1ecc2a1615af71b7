import amqp from 'amqplib';
import { Kafka } from 'kafkajs';

const kafka = new Kafka({ clientId: 'shop-worker', brokers: ['127.0.0.1:9092'] });
const consumer = kafka.consumer({ groupId: 'shop-worker' });
const connection = await amqp.connect('amqp://127.0.0.1');
const channel = await connection.createChannel();

await consumer.connect();
await consumer.subscribe({ topic: 'orders' });
await consumer.run({
  eachMessage: async ({ message }) => {
    // Hand the order to the Go billing service over RabbitMQ.
    channel.publish('billing', 'order.created', message.value ?? Buffer.alloc(0), { contentType: 'application/json' });
  },
});

await channel.consume('shipping', (msg) => {
  if (msg) channel.ack(msg);
});
