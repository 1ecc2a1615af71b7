// kafkajs producer → consumer pair, written as a service would be (no tracing code): a producer
// sends one message per `send` with many sends in flight (as request handlers do), a consumer
// group member processes them with `eachMessage`. Prints `RESULT {"messages":N,"seconds":S,
// "cpuMicros":C}` for the measured phase (C: this process's CPU time, both clients together).
const { Kafka, logLevel } = require('kafkajs');

const BROKER = process.env.KAFKA_BROKER ?? '127.0.0.1:9092';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20000);
const WARMUP = Number(process.env.BENCH_WARMUP_MESSAGES ?? 3000);
const IN_FLIGHT = Number(process.env.BENCH_KAFKA_IN_FLIGHT ?? 64);
const payload = Buffer.from(JSON.stringify({ orderId: 'o-123456', items: 3, total: 42.5, currency: 'EUR' }));

async function main() {
  const name = `bench-${process.pid}-${Date.now().toString(36)}`;
  const kafka = new Kafka({ clientId: 'messaging-bench', brokers: [BROKER], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: name, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: name });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [name], fromBeginning: true });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));

  let received = 0;
  let target = 0;
  let reached = () => {};
  let checksum = 0;
  await consumer.run({
    eachMessage: async ({ message }) => {
      checksum += message.value.length;
      if (++received === target) reached();
    },
  });
  await joined;

  /** Sends `count` messages, `IN_FLIGHT` sends at a time; resolves when all were consumed. */
  async function run(count) {
    const arrived = new Promise((resolve) => (reached = resolve));
    target = received + count;
    let next = 0;
    const sender = async () => {
      while (next < count) {
        const i = next++;
        await producer.send({ topic: name, messages: [{ key: `order-${i % 100}`, value: payload, headers: { 'x-tenant': 'acme' } }] });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    await arrived;
  }

  await run(WARMUP);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await run(MESSAGES);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  console.log(`RESULT ${JSON.stringify({ messages: MESSAGES, seconds, cpuMicros: user + system, checksum })}`);
  await consumer.disconnect();
  await producer.disconnect();
  const cleanup = kafka.admin();
  await cleanup.connect();
  await cleanup.deleteTopics({ topics: [name] }).catch(() => undefined);
  await cleanup.disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
