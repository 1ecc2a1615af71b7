// Channels passed around (in an object, as a parameter, destructured): the connection is
// instrumented where it is made, the calls another module makes are reported with their facts
// for the Go inventory, and warned about only when the run instruments no connection.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { findContext } from '../../test/support/find-context.js';
import { findIn, projectWith, warningsOf as warningsRun } from '../../test/support/warnings-run.js';
import { amqplibTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const PASS_THROUGH = path.join(fixtures, 'pass-through-cjs/input.cjs');
const CONNECT_BUS = path.join(fixtures, 'connect-bus-cjs/input.cjs');

const find = (file: string, dependencies: string[]) => findIn(amqplibTransform, file, dependencies);

describe('amqplib channels passed around', () => {
  it('reports calls on receivers it cannot resolve with their facts, covered by the connection', () => {
    const { sites, warnings } = find(PASS_THROUGH, ['amqplib']);
    const covered = { coveredBy: 'amqplib.connect' };
    expect(sites).toEqual([
      { line: 8, kind: 'amqplib.publish', instrumented: true, facts: { exchange: 'orders', routingKey: 'created', ...covered } },
      { line: 12, kind: 'amqplib.sendToQueue', instrumented: true, facts: { queue: 'invoices', ...covered } },
      { line: 17, kind: 'amqplib.consume', instrumented: true, facts: { queue: 'payments', ...covered } },
    ]);
    expect(warnings).toEqual([
      'bus.channel.publish(…): not known to be an amqplib channel; it is traced only if it comes from a connection instrumented where amqp.connect() is called, and none was found',
      'channel.sendToQueue(…): not known to be an amqplib channel; it is traced only if it comes from a connection instrumented where amqp.connect() is called, and none was found',
      'channel.consume(…): not known to be an amqplib channel; it is traced only if it comes from a connection instrumented where amqp.connect() is called, and none was found',
    ]);
  });

  it('says nothing in a project that does not depend on amqplib', () => {
    expect(find(PASS_THROUGH, [])).toEqual({ sites: [], warnings: [] });
  });

  it('covers the channels of a connection made in the file, in a co generator too', () => {
    const { sites, warnings } = find(path.join(fixtures, 'co-generator-js/input.js'), ['amqplib']);
    expect(sites.map((s) => [s.kind, s.instrumented, s.facts.coveredBy])).toEqual([
      ['amqplib.connect', false, undefined],
      ['amqplib.sendToQueue', true, 'amqplib.connect'],
      ['amqplib.consume', true, 'amqplib.connect'],
    ]);
    expect(warnings).toEqual([]);
  });

  describe('a run over a project', () => {
    const project = (files: Record<string, string>) => projectWith('amqplib-pass-through', { amqplib: '^0.10.4' }, files);
    const warningsOf = (dir: string) => warningsRun(dir, amqplibTransform);

    it('drops the warnings when the run instruments a connection', async () => {
      expect(await warningsOf(project({ 'bus.cjs': CONNECT_BUS, 'orders.cjs': PASS_THROUGH }))).toEqual([]);
    });

    it('keeps them, as file:line:col, when it finds none', async () => {
      expect(await warningsOf(project({ 'orders.cjs': PASS_THROUGH }))).toEqual(['orders.cjs:8:3', 'orders.cjs:12:10', 'orders.cjs:17:9']);
    });
  });
});

describe('look-alikes passed around', () => {
  it('are neither sites nor warnings when typed, or rooted in another package', () => {
    const context = findContext(['amqplib']);
    const source = parseSource(
      '/app/mqtt.ts',
      `import mqtt from 'mqtt';
      interface Bus { publish(topic: string, body: string, options: object): void }
      export function send(bus: Bus, client: mqtt.MqttClient) {
        bus.publish('a', 'b', {});
        client.publish('t', 'm', {});
        mqtt.connect('x').publish('t', 'm', {});
      }`,
      () => 'module',
    );
    expect(amqplibTransform.find(source, context)).toEqual([]);
    expect(context.warnings).toEqual([]);
  });
});
