'use strict';
// Node half of test/go/interop.test.ts, uninstrumented as a team would write it. The test copies
// it, replaces __RUN__ (unique names) and __GO_PORT__, instruments it with the CLI and generates
// the Go half from it with `otel-instrument go`. POST /start calls Go over HTTP, produces to Kafka
// and sends to RabbitMQ for Go; Go answers with Kafka and RabbitMQ messages and an HTTP call to
// GET /node/echo/:id. Every handler records the baggage it sees as the test.baggage attribute and
// logs one pino line naming its hop (JSON on stdout; the codemod makes pino add the span's ids).
// Prints `READY {"port":N}`.
const express = require('express');
const { Kafka, logLevel } = require('kafkajs');
const amqp = require('amqplib');
const { context, propagation, trace } = require('@opentelemetry/api');
const pino = require('pino');

const logger = pino();

const TO_GO_TOPIC = 'interop.__RUN__.to-go';
const FROM_GO_TOPIC = 'interop.__RUN__.from-go';

/** Test probe: the baggage this handler runs with, on its span. */
function recordBaggage(extra = {}) {
  const value = propagation.getBaggage(context.active())?.getEntry('case')?.value ?? 'none';
  trace.getActiveSpan()?.setAttributes({ 'test.baggage': value, ...extra });
}

const kafka = new Kafka({ clientId: 'interop-node', brokers: [process.env.KAFKA_BROKER], logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: 'interop-node-__RUN__', maxWaitTimeInMs: 100 });

const app = express();
app.get('/node/echo/:id', (req, res) => {
  recordBaggage();
  logger.info({ hop: 'node echo' }, 'echo');
  res.json({ id: req.params.id });
});

async function main() {
  logger.info({ hop: 'node outside' }, 'starting');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TO_GO_TOPIC }, { topic: FROM_GO_TOPIC }], waitForLeaders: true });
  await admin.disconnect();
  await producer.connect();

  const connection = await amqp.connect(process.env.AMQP_URL);
  const channel = await connection.createChannel();
  await channel.assertQueue('interop.__RUN__.to-go', { durable: true });
  await channel.assertQueue('interop.__RUN__.from-go', { durable: true });
  await channel.consume('interop.__RUN__.from-go', (msg) => {
    recordBaggage({ 'test.body': msg.content.toString() });
    logger.info({ hop: 'node amqp', body: msg.content.toString() }, 'delivery from go');
    channel.ack(msg);
  });

  await consumer.connect();
  await consumer.subscribe({ topic: FROM_GO_TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const traceparent = message.headers?.traceparent;
      recordBaggage({ 'test.body': message.value.toString(), 'test.traceparent.type': Array.isArray(traceparent) ? 'array' : Buffer.isBuffer(traceparent) ? 'buffer' : typeof traceparent });
      logger.info({ hop: 'node kafka', body: message.value.toString() }, 'message from go');
    },
  });

  app.post('/start', async (req, res) => {
    recordBaggage();
    logger.info({ hop: 'node start' }, 'start');
    const response = await fetch('http://127.0.0.1:__GO_PORT__/go/orders', { method: 'POST', body: 'order-1' });
    await producer.send({ topic: TO_GO_TOPIC, messages: [{ key: 'order-1', value: 'to go over kafka' }] });
    channel.sendToQueue('interop.__RUN__.to-go', Buffer.from('to go over rabbitmq'));
    res.status(202).json({ go: response.status });
  });

  const server = app.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ port: server.address().port })}`));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
