import { Router } from 'express';
import { Kafka } from 'kafkajs';

const kafka = new Kafka({ clientId: 'shop', brokers: ['127.0.0.1:9092'] });
const producer = kafka.producer();

export const orders = Router();

// Reserve stock with the Go inventory service, then announce the order.
orders.post('/:id', async (req, res) => {
  const stock = await fetch(`http://inventory:8080/reserve/${req.params.id}`, { method: 'POST' });
  if (!stock.ok) throw new Error('inventory refused the reservation', { cause: stock.status });
  await producer.send({ topic: 'orders', messages: [{ key: req.params.id, value: JSON.stringify(req.body) }] });
  res.status(202).json({ id: req.params.id });
});
