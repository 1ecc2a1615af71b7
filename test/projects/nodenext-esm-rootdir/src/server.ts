import { buildApp } from './app.js';
import { config } from './config.js';
import { connectProducer, disconnectProducer } from './kafka/producer.js';
import { startWorker, stopWorker } from './kafka/worker.js';
import { ensureTopics } from './kafka/topics.js';

const app = buildApp();

async function main(): Promise<void> {
  await ensureTopics();
  await connectProducer();
  await startWorker();
  await app.listen({ port: config.port, host: config.host });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info(`${signal} received, shutting down`);
    void Promise.allSettled([app.close(), stopWorker(), disconnectProducer()]).then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  app.log.error(err, 'failed to start');
  process.exit(1);
});
