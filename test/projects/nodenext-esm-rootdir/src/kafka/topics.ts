import { config } from '../config.js';
import { kafka } from './client.js';

/** Creates the events topic when it is missing (a no-op once it exists). */
export async function ensureTopics(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: config.kafka.topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
