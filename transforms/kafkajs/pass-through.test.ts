// Clients passed around (in an object, as a parameter, destructured): the Kafka client is
// instrumented where it is created, the calls another module makes are reported with their
// topics for the Go inventory, and warned about only when the run instruments no client.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findIn, projectWith, warningsOf as warningsRun } from '../../test/support/warnings-run.js';
import { kafkajsTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const PASS_THROUGH = path.join(fixtures, 'pass-through-cjs/input.cjs');
const CONNECT_BUS = path.join(fixtures, 'connect-bus-cjs/input.cjs');

const find = (file: string, dependencies: string[]) => findIn(kafkajsTransform, file, dependencies);

describe('kafkajs clients passed around', () => {
  it('reports sends and runs on receivers it cannot resolve with their topics, covered by the client', () => {
    const { sites, warnings } = find(PASS_THROUGH, ['kafkajs']);
    expect(sites).toEqual([
      { line: 8, kind: 'kafkajs.send', instrumented: true, facts: { topic: 'orders', coveredBy: 'kafkajs.client' } },
      { line: 14, kind: 'kafkajs.consume', instrumented: true, facts: { topics: ['orders'], groupId: undefined, coveredBy: 'kafkajs.client' } },
    ]);
    expect(warnings).toEqual([
      'bus.producer.send(…): not known to be a kafkajs producer; it is traced only if it comes from a Kafka client instrumented where new Kafka() is called, and none was found',
      'consumer.run(…): not known to be a kafkajs consumer; it is traced only if it comes from a Kafka client instrumented where new Kafka() is called, and none was found',
    ]);
  });

  it('says nothing in a project that does not depend on kafkajs', () => {
    expect(find(PASS_THROUGH, [])).toEqual({ sites: [], warnings: [] });
  });

  it('covers producers of a client assigned after its declaration (let kafka; … kafka = new Kafka(…))', () => {
    const { sites } = find(path.join(fixtures, 'let-assigned-client-cjs/input.cjs'), ['kafkajs']);
    expect(sites.map((s) => [s.line, s.kind, s.instrumented, s.facts])).toEqual([
      [9, 'kafkajs.client', false, { clientId: 'ledger' }],
      [13, 'kafkajs.producer', true, { clientId: 'ledger', coveredBy: 'kafkajs.client' }],
    ]);
  });

  it('still wraps where a producer is created from a client typed Kafka (made in a module the run may not include)', () => {
    const { sites } = find(path.join(fixtures, 'class-service-ts/input.ts'), ['kafkajs']);
    expect(sites.filter((s) => s.kind === 'kafkajs.producer').map((s) => s.instrumented)).toEqual([false]);
  });

  describe('a run over a project', () => {
    const project = (files: Record<string, string>) => projectWith('kafkajs-pass-through', { kafkajs: '^2.2.4' }, files);
    const warningsOf = (dir: string) => warningsRun(dir, kafkajsTransform);

    it('drops the warnings when the run instruments a client', async () => {
      expect(await warningsOf(project({ 'bus.cjs': CONNECT_BUS, 'orders.cjs': PASS_THROUGH }))).toEqual([]);
    });

    it('keeps them, as file:line:col, when it finds none', async () => {
      expect(await warningsOf(project({ 'orders.cjs': PASS_THROUGH }))).toEqual(['orders.cjs:8:9', 'orders.cjs:14:9']);
    });
  });
});
