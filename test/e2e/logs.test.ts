// Logs that join their traces (issue 10), in process with the real loggers (pino, pino-http,
// winston, bunyan) writing JSON lines to a stream, the real SDK and real servers and brokers: a
// line written inside an Express handler, a Fastify handler, a kafkajs eachMessage and an amqplib
// consumer carries exactly the ids of the span the SDK exports for that work; a line outside any
// span carries none; the user's mixin, format and serializers still apply; child loggers carry the ids.
import amqp from 'amqplib';
import bunyan from 'bunyan';
import express from 'express';
import Fastify from 'fastify';
import kafkajs from 'kafkajs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import winston from 'winston';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentConnection } from '../../templates/runtime/amqplib.js';
import { traceBunyan } from '../../templates/runtime/bunyan.js';
import { instrumentExpress } from '../../templates/runtime/express.js';
import { instrumentFastify } from '../../templates/runtime/fastify.js';
import { instrumentKafka } from '../../templates/runtime/kafkajs.js';
import { tracePino, tracePinoHttp } from '../../templates/runtime/pino.js';
import { traceWinston } from '../../templates/runtime/winston.js';
import { AMQP_URL, createTopic, describeWithBrokers, KAFKA_BROKER, uniqueName } from '../support/brokers.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

const SERVER = 1;
const CONSUMER = 4;
const ID_FIELDS = ['trace_id', 'span_id', 'trace_flags', 'trace.id', 'span.id', 'dd.trace_id', 'dd.span_id'];

type Line = Record<string, unknown>;

/** A stream that keeps every JSON line written to it. */
function jsonLines(): { stream: Writable; lines: Line[] } {
  const lines: Line[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      pending += String(chunk);
      let end: number;
      while ((end = pending.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(pending.slice(0, end)) as Line);
        pending = pending.slice(end + 1);
      }
      done();
    },
  });
  return { stream, lines };
}

/** One logger of each kind (and a child of each), all writing to one stream, as a user would set them up. */
function loggers(stream: Writable) {
  // The user's own serializers keep applying (the password never reaches the line).
  const serializers = { user: (user: { id: number; password?: string }) => ({ id: user.id }) };
  const pinoLogger = tracePino(pino)({ base: undefined, mixin: () => ({ mixed: 'user mixin' }), serializers }, stream);
  const winstonLogger = traceWinston(
    winston.createLogger({
      format: winston.format.combine(
        winston.format((info) => ({ ...info, formatted: 'user format' }))(),
        winston.format.json(),
      ),
      transports: [new winston.transports.Stream({ stream })],
    }),
  );
  const bunyanLogger = traceBunyan(bunyan.createLogger({ name: 'orders', streams: [{ stream }], serializers }));
  return {
    /** Writes one line per logger and child logger, tagged with `at`. */
    logAll(at: string) {
      const user = { id: 7, password: 'hunter2' };
      pinoLogger.info({ at, via: 'pino', user }, 'hello');
      pinoLogger.child({ child: true }).info({ at, via: 'pino child', user }, 'hello');
      winstonLogger.info('hello', { at, via: 'winston' });
      winstonLogger.child({ child: true }).info('hello', { at, via: 'winston child' });
      bunyanLogger.info({ at, via: 'bunyan', user }, 'hello');
      bunyanLogger.child({ child: true }).info({ at, via: 'bunyan child', user }, 'hello');
    },
  };
}

const VIAS = ['pino', 'pino child', 'winston', 'winston child', 'bunyan', 'bunyan child'];

function linesAt(lines: Line[], at: string): Line[] {
  return lines.filter((l) => l.at === at);
}

/** Every logger wrote its line at `at`, with the ids of `span` (otel profile) and the user's own fields. */
function expectIdsOf(lines: Line[], at: string, span: { spanContext(): { traceId: string; spanId: string } }) {
  const found = linesAt(lines, at);
  expect(found.map((l) => l.via).sort()).toEqual([...VIAS].sort());
  const { traceId, spanId } = span.spanContext();
  for (const line of found) {
    expect({ via: line.via, trace_id: line.trace_id, span_id: line.span_id, trace_flags: line.trace_flags }).toEqual({ via: line.via, trace_id: traceId, span_id: spanId, trace_flags: '01' });
    if (String(line.via).startsWith('pino')) expect(line.mixed).toBe('user mixin');
    if (!String(line.via).startsWith('winston')) expect(line.user).toEqual({ id: 7 });
    if (String(line.via).startsWith('winston')) expect(line.formatted).toBe('user format');
    if (String(line.via).endsWith('child')) expect(line.child).toBe(true);
  }
}

const { exporter, closers } = inProcessTracing();
const sink = jsonLines();
const log = loggers(sink.stream);
beforeEach(() => {
  sink.lines.length = 0;
});

function only(kind: number, name: string) {
  const spans = exporter.getFinishedSpans().filter((s) => s.kind === kind && s.name === name);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('log lines in HTTP handlers', () => {
  it('carry no id field outside any span', () => {
    log.logAll('outside');
    const found = linesAt(sink.lines, 'outside');
    expect(found).toHaveLength(VIAS.length);
    for (const line of found) for (const field of ID_FIELDS) expect(line, `${line.via}: ${field}`).not.toHaveProperty([field]);
    // The user's mixin and format apply all the same.
    expect(found.find((l) => l.via === 'pino')!.mixed).toBe('user mixin');
    expect(found.find((l) => l.via === 'winston')!.formatted).toBe('user format');
  });

  it('inside an Express handler carry the ids of its SERVER span', async () => {
    const app = instrumentExpress(express());
    app.get('/orders/:id', (req, res) => {
      log.logAll('express');
      res.json({ ok: true });
    });
    const server = app.listen(0);
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    await new Promise((resolve) => server.once('listening', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/orders/7`);
    expect(res.status).toBe(200);
    await expect.poll(() => exporter.getFinishedSpans().filter((s) => s.kind === SERVER).length).toBe(1);
    expectIdsOf(sink.lines, 'express', only(SERVER, 'GET /orders/:id'));
  });

  it('inside a Fastify handler carry the ids of its SERVER span', async () => {
    const app = instrumentFastify(Fastify({ logger: false }));
    app.get('/items/:id', async () => {
      log.logAll('fastify');
      return { ok: true };
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    expect((await fetch(`${base}/items/3`)).status).toBe(200);
    await expect.poll(() => exporter.getFinishedSpans().filter((s) => s.kind === SERVER).length).toBe(1);
    expectIdsOf(sink.lines, 'fastify', only(SERVER, 'GET /items/:id'));
  });

  it("pino-http's request logger (req.log) and its 'request completed' line carry the ids", async () => {
    const { stream, lines } = jsonLines();
    const app = instrumentExpress(express());
    app.use(tracePinoHttp(pinoHttp)({ stream }));
    app.get('/pay', (req, res) => {
      req.log.info({ at: 'pino-http' }, 'paying');
      res.send('ok');
    });
    const server = app.listen(0);
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    await new Promise((resolve) => server.once('listening', resolve));
    expect((await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/pay`)).status).toBe(200);
    await expect.poll(() => exporter.getFinishedSpans().filter((s) => s.kind === SERVER).length).toBe(1);
    const span = only(SERVER, 'GET /pay');
    await expect.poll(() => lines.length).toBe(2);
    const ids = { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, trace_flags: '01' };
    expect(lines.map((l) => ({ msg: l.msg, trace_id: l.trace_id, span_id: l.span_id, trace_flags: l.trace_flags }))).toEqual([
      { msg: 'paying', ...ids },
      { msg: 'request completed', ...ids },
    ]);
    expect(lines[0]!.req).toBeDefined();
  });
});

describeWithBrokers('log lines in message consumers', () => {
  const prefix = uniqueName('e2e-logs');

  it('inside a kafkajs eachMessage carry the ids of its CONSUMER span', async () => {
    const topic = `${prefix}.orders`;
    const kafka = instrumentKafka(new kafkajs.Kafka({ clientId: 'logs', brokers: [KAFKA_BROKER], logLevel: kafkajs.logLevel.NOTHING }), { clientId: 'logs' });
    await createTopic(kafka, topic, closers);
    const consumer = kafka.consumer({ groupId: `${prefix}.group` });
    closers.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const handled = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async () => {
          log.logAll('kafka');
          resolve();
        },
      });
    });
    const producer = kafka.producer();
    closers.push(() => producer.disconnect());
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'order 1' }] });
    await handled;
    await expect.poll(() => exporter.getFinishedSpans().filter((s) => s.kind === CONSUMER).length).toBe(1);
    expectIdsOf(sink.lines, 'kafka', only(CONSUMER, `process ${topic}`));
  }, 30_000);

  it('inside an amqplib consumer carry the ids of its CONSUMER span', async () => {
    const queue = `${prefix}.jobs`;
    const connection = await instrumentConnection(amqp.connect(AMQP_URL));
    closers.push(() => connection.close());
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { autoDelete: true });
    const handled = new Promise<void>((resolve) => {
      void channel.consume(queue, (msg) => {
        log.logAll('amqp');
        if (msg) channel.ack(msg);
        resolve();
      });
    });
    channel.sendToQueue(queue, Buffer.from('job'));
    await handled;
    await expect.poll(() => exporter.getFinishedSpans().filter((s) => s.kind === CONSUMER).length).toBe(1);
    expectIdsOf(sink.lines, 'amqp', only(CONSUMER, `process ${queue}`));
  });
});

describe('log field profiles chosen at run time (OTEL_INSTRUMENT_LOG_FIELDS)', () => {
  afterAll(() => {
    delete process.env.OTEL_INSTRUMENT_LOG_FIELDS;
    vi.resetModules();
  });

  /** The helpers as loaded under a profile (they read the variable once, when they load). */
  async function loggedUnder(profile: string) {
    process.env.OTEL_INSTRUMENT_LOG_FIELDS = profile;
    vi.resetModules();
    const { tracePino: fresh } = await import('../../templates/runtime/pino.js');
    const { traceWinston: freshWinston } = await import('../../templates/runtime/winston.js');
    const { stream, lines } = jsonLines();
    const pinoLogger = fresh(pino)(stream);
    const winstonLogger = freshWinston(winston.createLogger({ transports: [new winston.transports.Stream({ stream })] }));
    const { trace } = await import('@opentelemetry/api');
    const ids = trace.getTracer('profiles').startActiveSpan('work', (span) => {
      pinoLogger.info('in a span');
      winstonLogger.info('in a span');
      span.end();
      return span.spanContext();
    });
    expect(lines).toHaveLength(2);
    return { lines, ids };
  }

  it('otel: trace_id, span_id (lowercase hex), trace_flags (two hex digits)', async () => {
    const { lines, ids } = await loggedUnder('otel');
    for (const line of lines) {
      expect(line).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('ecs: trace.id and span.id as flat keys', async () => {
    const { lines, ids } = await loggedUnder('ecs');
    for (const line of lines) {
      expect(line['trace.id']).toBe(ids.traceId);
      expect(line['span.id']).toBe(ids.spanId);
      expect(line).not.toHaveProperty('trace_id');
    }
  });

  it('datadog: dd.trace_id and dd.span_id, decimal strings of the low 64 bits', async () => {
    const { lines, ids } = await loggedUnder('datadog');
    for (const line of lines) {
      expect(line['dd.trace_id']).toBe(BigInt(`0x${ids.traceId.slice(16)}`).toString());
      expect(line['dd.span_id']).toBe(BigInt(`0x${ids.spanId}`).toString());
      expect(line).not.toHaveProperty('trace_id');
    }
  });
});
