// The inventory the Go generator reads: what each amqplib call site tells statically.
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { findContext } from '../../test/support/find-context.js';
import { amqplibTransform } from './index.js';

function sites(text: string, file = '/app/service.ts') {
  return amqplibTransform.find(parseSource(file, text, () => 'module'), findContext()).map(({ site }) => ({ kind: site.kind, instrumented: site.instrumented, facts: site.facts }));
}

describe('amqplib inventory facts', () => {
  it('reports exchange and routing key, queue, and the API of each call site', () => {
    const found = sites(`
      import amqp from 'amqplib';
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createConfirmChannel();
      ch.publish('orders', 'order.created', Buffer.from(''));
      ch.publish(exchangeName(), key, Buffer.from(''));
      ch.sendToQueue('invoices', Buffer.from(''));
      await ch.consume('payments', (msg) => msg && ch.ack(msg));
      declare function exchangeName(): string;
      declare const key: string;
    `);
    // The connection is instrumented where it is made; the channel calls it covers keep their facts.
    const covered = { coveredBy: 'amqplib.connect', api: 'promise' };
    expect(found).toEqual([
      { kind: 'amqplib.connect', instrumented: false, facts: { api: 'promise' } },
      { kind: 'amqplib.publish', instrumented: true, facts: { exchange: 'orders', routingKey: 'order.created', ...covered } },
      { kind: 'amqplib.publish', instrumented: true, facts: { exchange: undefined, routingKey: undefined, ...covered } },
      { kind: 'amqplib.sendToQueue', instrumented: true, facts: { queue: 'invoices', ...covered } },
      { kind: 'amqplib.consume', instrumented: true, facts: { queue: 'payments', ...covered } },
    ]);
  });

  it('reports rewritten call sites as instrumented, with the same facts', () => {
    const found = sites(`
      import amqp from 'amqplib/callback_api';
      import { tracedConsume, tracedPublish } from './otel-instrument/amqplib.js';
      amqp.connect('amqp://localhost', (err, conn) => {
        conn.createChannel((err2, ch) => {
          tracedPublish(ch, '', 'jobs', Buffer.from(''));
          tracedConsume(ch, 'jobs', onJob);
        });
      });
      function onJob() {}
    `);
    expect(found).toEqual([
      { kind: 'amqplib.connect', instrumented: false, facts: { api: 'callback' } },
      { kind: 'amqplib.publish', instrumented: true, facts: { exchange: '', routingKey: 'jobs', api: 'callback' } },
      { kind: 'amqplib.consume', instrumented: true, facts: { queue: 'jobs', api: 'callback' } },
    ]);
  });
});
