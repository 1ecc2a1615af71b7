// Kafka client set-up and consumers of the example service: uninstrumented code as a team would
// write it; test/e2e/kafkajs.test.ts instruments a copy with the CLI.
import { Kafka, logLevel, type EachBatchPayload, type LogEntry } from 'kafkajs';
import { handlerFailures, observe, thrown } from './observations.js';

const prefix = process.env.TOPIC_PREFIX!;

export const topics = {
  orders: `${prefix}.orders`,
  payments: `${prefix}.payments`,
  shipments: `${prefix}.shipments`,
  reports: `${prefix}.reports`,
};

/** kafkajs logs a failed handler with the error it got back: keep that for the test. */
const logCreator = () => (entry: LogEntry) => {
  const error = (entry.log as { error?: unknown }).error;
  if (entry.log.message.startsWith('Error when calling each') && error instanceof Error) {
    handlerFailures.push({ message: error.message, sameAsThrown: thrown.includes(error) });
  }
};

const kafka = new Kafka({
  clientId: 'kafkajs-example',
  brokers: [process.env.KAFKA_BROKER!],
  logLevel: logLevel.ERROR,
  logCreator,
  retry: { initialRetryTime: 100, retries: 8 },
});

export const producer = kafka.producer();
export const transactional = kafka.producer({ transactionalId: `${prefix}-tx`, idempotent: true, maxInFlightRequests: 1 });

const orders = kafka.consumer({ groupId: `${prefix}-orders`, maxWaitTimeInMs: 100 });
const payments = kafka.consumer({ groupId: `${prefix}-payments`, maxWaitTimeInMs: 100, retry: { initialRetryTime: 100, retries: 2 } });
const shipments = kafka.consumer({ groupId: 'shipments', maxWaitTimeInMs: 100 });
const reports = kafka.consumer({ groupId: `${prefix}-reports`, maxWaitTimeInMs: 100 });

const attempts = new Map<string, number>();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Shipments are handled one by one inside the batch: the loop is visible in the source. */
async function handleShipments({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
  for (const message of batch.messages) {
    if (!isRunning() || isStale()) break;
    if (message.value === null) {
      resolveOffset(message.offset);
      continue;
    }
    await pause(20);
    observe('shipments', batch.topic, message);
    resolveOffset(message.offset);
    await heartbeat();
  }
}

export async function startConsumers(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  await admin.disconnect();

  await Promise.all([producer.connect(), transactional.connect()]);
  await Promise.all([orders, payments, shipments, reports].map((c) => c.connect()));
  await orders.subscribe({ topic: topics.orders, fromBeginning: true });
  await payments.subscribe({ topic: topics.payments, fromBeginning: true });
  await shipments.subscribe({ topic: topics.shipments, fromBeginning: true });
  await reports.subscribe({ topic: topics.reports, fromBeginning: true });

  await orders.run({
    eachMessage: async ({ topic, message }) => {
      observe('orders', topic, message);
    },
  });
  await payments.run({
    // The first attempt at each payment fails; kafkajs retries it once the error reaches it.
    eachMessage: async ({ topic, message }) => {
      const attempt = (attempts.get(message.offset) ?? 0) + 1;
      attempts.set(message.offset, attempt);
      observe('payments', topic, message, attempt);
      if (attempt === 1) {
        const error = new Error('could not process payment', { cause: new TypeError('amount is not a number') });
        thrown.push(error);
        throw error;
      }
    },
  });
  await shipments.run({ eachBatchAutoResolve: false, eachBatch: handleShipments });
  // Reports are stored together: no per-message loop, so one span for the whole batch.
  await reports.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages.slice(0, 1)) observe('reports', batch.topic, message);
    },
  });
}
