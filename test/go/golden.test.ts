// Golden tests of the Go generator: fixture inventory + options → every generated file, compared
// with test/go/fixtures/cases/<case>/expected/ (UPDATE_GOLDENS=1 rewrites them: review by eye).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGoModule, importBlock } from '../../src/go/generate.js';
import { buildModel } from '../../src/go/model.js';
import { clientPathExpression, colonPath, parseCalledUrl, parseNodeRoute, RouteSyntaxError, serveMuxPath } from '../../src/go/routes.js';
import { generateCase, goldenName, readCases, readInventory } from './cases.js';

const UPDATE = process.env.UPDATE_GOLDENS === '1';

describe('generated Go module matches the goldens', () => {
  for (const testCase of readCases()) {
    it(testCase.name, async () => {
      const files = await generateCase(testCase);
      const expectedDir = path.join(testCase.dir, 'expected');
      if (UPDATE) {
        rmSync(expectedDir, { recursive: true, force: true });
        for (const file of files) {
          mkdirSync(path.dirname(path.join(expectedDir, file.path)), { recursive: true });
          writeFileSync(path.join(expectedDir, goldenName(file.path)), file.text);
        }
      }
      const expectedFiles = readdirSync(expectedDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(expectedDir, path.join(entry.parentPath, entry.name)));
      expect(files.map((f) => goldenName(f.path)).sort()).toEqual(expectedFiles.sort());
      for (const file of files) {
        expect(file.text, file.path).toBe(readFileSync(path.join(expectedDir, goldenName(file.path)), 'utf8'));
      }
    });
  }

  it('generates the same files twice', () => {
    const [testCase] = readCases();
    const model = () => buildModel(testCase!.inventory, testCase!.options);
    expect(generateGoModule(model())).toEqual(generateGoModule(model()));
  });

  it('marks only handlers.go as the user’s code', () => {
    const files = generateGoModule(buildModel(readInventory('full'), readCases()[0]!.options));
    expect(files.filter((f) => f.userOwned).map((f) => f.path)).toEqual(['handlers.go']);
  });
});

describe('model', () => {
  const options = { module: 'm', service: 'svc', http: 'nethttp', kafka: 'franz-go', idGenerator: 'random' } as const;

  it('mirrors each direction: Node calls → Go serves, Node serves → Go calls, produce ↔ consume', () => {
    const model = buildModel(readInventory('full'), options);
    expect(model.serverRoutes.map((r) => r.pattern)).toEqual(['POST /api/reservations/{$}', 'GET /api/stock']);
    expect(model.clientCalls.map((c) => `${c.method} ${c.route} ${c.funcName}(${c.params.join(', ')})`)).toEqual([
      'POST /api/orders postAPIOrders()',
      'GET /api/orders/:id getAPIOrdersByID(id)',
      'DELETE /api/users/:userId/sessions/:sessionId deleteAPIUsersByUserIDSessionsBySessionID(userID, sessionID)',
      'GET /files/*path getFilesByPath(path)',
    ]);
    expect(model.topics.map((t) => [t.topic, t.handler, t.method])).toEqual([
      ['orders.created', 'handleOrdersCreated', 'sendOrdersCreated'],
      ['stock.reserved', undefined, 'sendStockReserved'],
    ]);
    expect(model.amqpConsumers.map((c) => [c.queue, c.exchange, c.routingKey])).toEqual([
      ['audit', '', ''],
      ['jobs.resize', '', ''],
      ['svc.notifications.mail.send', 'notifications', 'mail.send'],
    ]);
    expect(model.amqpPublishers.map((p) => [p.queue, p.method])).toEqual([['jobs.done', 'publishToJobsDone']]);
  });

  it('lists what it cannot mirror instead of guessing', () => {
    const model = buildModel(readInventory('full'), options);
    expect(model.skipped).toEqual([
      { origin: 'src/client.ts:22', what: 'HTTP call', reason: 'the URL is not a literal' },
      { origin: 'src/events.ts:19', what: 'kafka send', reason: 'the topic is not a literal' },
    ]);
  });

  it('with --host, mirrors only the calls to those hosts (and relative URLs)', () => {
    const inventory = readInventory('empty');
    inventory.httpCalls.push(
      { file: 'a.ts', line: 1, method: 'POST', url: 'https://api.stripe.com/v1/charges' },
      { file: 'a.ts', line: 2, method: 'GET', url: 'http://inventory:8080/api/stock' },
      { file: 'a.ts', line: 3, method: 'GET', url: '/api/local' },
    );
    const model = buildModel(inventory, { ...options, hosts: ['inventory'] });
    expect(model.serverRoutes.map((r) => r.pattern)).toEqual(['GET /api/local', 'GET /api/stock']);
    expect(model.skipped).toEqual([{ origin: 'a.ts:1', what: 'POST https://api.stripe.com/v1/charges', reason: 'api.stripe.com is not a --host' }]);
    expect(buildModel(inventory, { ...options, hosts: ['inventory:9090'] }).serverRoutes.map((r) => r.pattern)).toEqual(['GET /api/local']);
  });

  it('keeps names unique when two things would get the same Go name', () => {
    const inventory = readInventory('empty');
    inventory.kafka.sends.push({ file: 'a.ts', line: 1, topic: 'orders.created' }, { file: 'a.ts', line: 2, topic: 'orders-created' });
    const model = buildModel(inventory, options);
    expect(model.topics.map((t) => [t.topic, t.constName, t.handler])).toEqual([
      ['orders-created', 'topicOrdersCreated', 'handleOrdersCreated'],
      ['orders.created', 'topicOrdersCreated2', 'handleOrdersCreated2'],
    ]);
  });
});

describe('routes', () => {
  it('turns Express and Fastify templates into ServeMux, gin and echo paths', () => {
    const route = parseNodeRoute('/api/users/:user_id/files/*rest');
    expect(serveMuxPath(route)).toBe('/api/users/{userID}/files/{rest...}');
    expect(colonPath(route, 'gin')).toBe('/api/users/:userID/files/*rest');
    expect(colonPath(route, 'echo')).toBe('/api/users/:userID/files/*');
    expect(clientPathExpression(route)).toEqual({ expression: '"/api/users/"+url.PathEscape(userID)+"/files/"+rest', usesEscape: true });
    expect(serveMuxPath(parseNodeRoute('/a/:id?'))).toBe('/a/{id}');
    expect(serveMuxPath(parseNodeRoute('/a/:id(\\d+)'))).toBe('/a/{id}');
    expect(serveMuxPath(parseNodeRoute('/files/{*path}'))).toBe('/files/{path...}');
    expect(serveMuxPath(parseNodeRoute('/'))).toBe('/{$}');
  });

  it('takes the path of a called URL; a trailing slash matches only itself', () => {
    expect(serveMuxPath(parseCalledUrl('http://inventory:8080/api/stock?sku=1'))).toBe('/api/stock');
    expect(serveMuxPath(parseCalledUrl('/api/orders/'))).toBe('/api/orders/{$}');
  });

  it('rejects what it cannot express', () => {
    expect(() => parseNodeRoute('/a/:from-:to')).toThrow(RouteSyntaxError);
    expect(() => parseNodeRoute('/a/*/b')).toThrow(RouteSyntaxError);
    expect(() => parseCalledUrl('/a/{b}')).toThrow(RouteSyntaxError);
  });
});

describe('importBlock', () => {
  it('groups and sorts like gofmt', () => {
    expect(importBlock(['time', 'amqp "github.com/rabbitmq/amqp091-go"', 'context', 'context'])).toBe(
      '\nimport (\n\t"context"\n\t"time"\n\n\tamqp "github.com/rabbitmq/amqp091-go"\n)\n',
    );
    expect(importBlock(['context'])).toBe('\nimport "context"\n');
    expect(importBlock([])).toBe('');
  });
});

it('goldens exist for every case', () => {
  for (const testCase of readCases()) expect(existsSync(path.join(testCase.dir, 'expected')), testCase.name).toBe(true);
});
