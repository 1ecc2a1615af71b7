import type { EachMessagePayload } from 'kafkajs';
import { config } from '../config.js';
import { kafka } from './client.js';
import type { DomainEvent } from './producer.js';

const consumer = kafka.consumer({ groupId: config.kafka.groupId, maxWaitTimeInMs: 200 });

async function handle({ message }: EachMessagePayload): Promise<void> {
  if (!message.value) return;
  const event = JSON.parse(message.value.toString()) as DomainEvent;
  console.log(`worker: handled ${event.type} for ${event.subject} (${event.id})`);
}

export async function startWorker(): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topics: [config.kafka.topic], fromBeginning: true });
  await consumer.run({ eachMessage: handle });
}

export async function stopWorker(): Promise<void> {
  await consumer.disconnect();
}
