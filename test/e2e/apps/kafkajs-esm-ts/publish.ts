// Sending lives apart from the client set-up: producers arrive as parameters, typed as kafkajs
// `Producer`, as they do in most services.
import type { Message, Producer, TopicMessages } from 'kafkajs';

export async function publish(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  await producer.send({ topic, messages });
}

export async function publishEach(producer: Producer, topicMessages: TopicMessages[]): Promise<void> {
  await producer.sendBatch({ topicMessages });
}

/** Exactly-once: the messages are visible to consumers only once the transaction commits. */
export async function publishInTransaction(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  const transaction = await producer.transaction();
  try {
    await transaction.send({ topic, messages });
    await transaction.commit();
  } catch (error) {
    await transaction.abort();
    throw error;
  }
}
