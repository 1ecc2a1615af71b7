// amqplib publish → consume pair, written as a service would be (no tracing code): one
// connection publishes to a direct exchange with flow control, another consumes the bound queue
// with manual acks. Prints `RESULT {"messages":N,"seconds":S,"cpuMicros":C}` for the measured
// phase (C: this process's CPU time, producer and consumer together).
const { once } = require('node:events');
const amqp = require('amqplib');

const URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20000);
const WARMUP = Number(process.env.BENCH_WARMUP_MESSAGES ?? 3000);
const payload = Buffer.from(JSON.stringify({ orderId: 'o-123456', items: 3, total: 42.5, currency: 'EUR' }));

async function main() {
  const name = `bench-${process.pid}-${Date.now().toString(36)}`;
  const producerConnection = await amqp.connect(URL);
  const consumerConnection = await amqp.connect(URL);
  const producer = await producerConnection.createChannel();
  const consumer = await consumerConnection.createChannel();
  await producer.assertExchange(name, 'direct', { autoDelete: true });
  await consumer.assertQueue(name, { autoDelete: true });
  await consumer.bindQueue(name, name, 'orders');
  await consumer.prefetch(1000);

  let received = 0;
  let target = 0;
  let reached = () => {};
  let checksum = 0;
  await consumer.consume(name, (msg) => {
    if (!msg) return;
    checksum += msg.content.length;
    consumer.ack(msg);
    if (++received === target) reached();
  });

  /** Publishes `count` messages, waiting for 'drain' when the write buffer is full; resolves when all arrived. */
  async function run(count) {
    const arrived = new Promise((resolve) => (reached = resolve));
    target = received + count;
    for (let i = 0; i < count; i++) {
      const ok = producer.publish(name, 'orders', payload, { messageId: `m-${i}`, contentType: 'application/json', headers: { 'x-tenant': 'acme' } });
      if (!ok) await once(producer, 'drain');
    }
    await arrived;
  }

  await run(WARMUP);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await run(MESSAGES);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  console.log(`RESULT ${JSON.stringify({ messages: MESSAGES, seconds, cpuMicros: user + system, checksum })}`);
  await producerConnection.close();
  await consumerConnection.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
