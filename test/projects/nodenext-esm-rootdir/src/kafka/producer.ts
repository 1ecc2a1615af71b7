import { config } from '../config.js';
import { kafka } from './client.js';

export interface DomainEvent {
  id: string;
  type: string;
  subject: string;
  data: Record<string, unknown>;
  time: string;
}

const producer = kafka.producer({ allowAutoTopicCreation: false });

export async function connectProducer(): Promise<void> {
  await producer.connect();
}

export async function disconnectProducer(): Promise<void> {
  await producer.disconnect();
}

export async function publishEvent(event: DomainEvent): Promise<void> {
  await producer.send({
    topic: config.kafka.topic,
    messages: [{ key: event.subject, value: JSON.stringify(event), headers: { 'event-type': event.type } }],
  });
}
