import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../src/codemod/instrument-source.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { kafkajsTransform } from './index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

runGoldenCases(fixtures, [kafkajsTransform]);

/** The inventory of one fixture: what each call site tells statically. */
function inventory(name: string, ext = 'ts') {
  const file = path.join(fixtures, name, `input.${ext}`);
  const outcome = instrumentSource(file, readFileSync(file), { transforms: [kafkajsTransform], packageType: () => 'module', helperSpecifier: () => './otel-instrument/kafkajs.js' });
  return outcome.sites.map((s) => ({ kind: s.kind, line: s.line, instrumented: s.instrumented, ignored: s.ignored, facts: s.facts }));
}

describe('kafkajs inventory facts', () => {
  it('reports send topics (constants resolved) and consumer topics with the group', () => {
    // The client is instrumented where it is created; its producer and consumer keep their facts.
    const coveredBy = 'kafkajs.client';
    expect(inventory('esm-named-import-ts')).toEqual([
      { kind: 'kafkajs.client', line: 3, instrumented: false, ignored: undefined, facts: { clientId: 'orders-api' } },
      { kind: 'kafkajs.producer', line: 6, instrumented: true, ignored: undefined, facts: { clientId: 'orders-api', coveredBy } },
      { kind: 'kafkajs.consume', line: 7, instrumented: true, ignored: undefined, facts: { topics: ['orders', 'refunds'], groupId: 'order-audit', coveredBy } },
      { kind: 'kafkajs.send', line: 11, instrumented: true, ignored: undefined, facts: { topic: 'orders' } },
    ]);
  });

  it('reports each destination of sendBatch and a group id that is not static as unknown', () => {
    const sites = inventory('esm-default-import-ts');
    expect(sites.filter((s) => s.kind === 'kafkajs.send').map((s) => s.facts.topic)).toEqual(['ledger', 'audit']);
    expect(sites.find((s) => s.kind === 'kafkajs.consume')?.facts).toEqual({ topics: ['invoices'], groupId: undefined, coveredBy: 'kafkajs.client' });
  });

  it('reports sends of producers known by their type, transactions included', () => {
    const sites = inventory('typed-passed-around-ts');
    expect(sites.filter((s) => s.kind === 'kafkajs.send').map((s) => [s.facts.topic, s.instrumented])).toEqual([
      ['notifications', false],
      ['debits', true],
      ['credits', true],
    ]);
    expect(sites.find((s) => s.kind === 'kafkajs.consume')?.facts).toEqual({ topics: ['orders'], groupId: undefined });
  });

  it('follows clients created in another module of the project (ESM and CommonJS)', () => {
    // Topics from constants of the client module: `TOPICS.audit`, `DEFAULT_TOPIC = TOPICS.orders`.
    expect(inventory('imported-client-mjs', 'mjs').map((s) => [s.kind, s.instrumented, s.facts])).toEqual([
      ['kafkajs.consume', false, { topics: ['shop.orders', 'shop.returns'], groupId: 'shop-orders' }],
      ['kafkajs.producer', false, { clientId: 'shop' }],
      ['kafkajs.send', true, { topic: 'shop.orders' }],
      ['kafkajs.send', true, { topic: 'shop.audit' }],
    ]);
    expect(inventory('imported-client-cjs', 'cjs').map((s) => [s.kind, s.instrumented, s.facts])).toEqual([
      ['kafkajs.consume', false, { topics: [], groupId: 'mailer' }],
      ['kafkajs.send', true, { topic: 'mails' }],
    ]);
  });

  it('marks ignored creation sites and leaves the uses of those clients out', () => {
    expect(inventory('ignore-comment-ts').map((s) => [s.kind, s.ignored ?? false, s.instrumented, s.facts.topic])).toEqual([
      ['kafkajs.producer', true, false, undefined],
      ['kafkajs.producer', false, false, undefined],
      ['kafkajs.consume', true, false, undefined],
      ['kafkajs.send', false, true, 'traced'],
    ]);
  });
});
