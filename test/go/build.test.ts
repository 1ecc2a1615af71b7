// Every generated module builds, vets and passes its Go tests against the real modules from the
// Go module proxy: each golden case, plus the full inventory in every HTTP × Kafka combination.
// test/go/gotests/*_test.go are copied in to exercise the carriers, spans and error chains.
// Needs `go` (1.26+) and the module proxy for `go mod tidy`; the module cache makes reruns fast.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateGoModule, type GeneratedFile } from '../../src/go/generate.js';
import { buildModel, type GoModel, type GoOptions } from '../../src/go/model.js';
import { generateCase, goTestDir, readCases, readInventory } from './cases.js';
import { go } from './live.js';

const run = promisify(execFile);
const work = mkdtempSync(path.join(os.tmpdir(), 'otel-instrument-go-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Go tests that apply to a module: always tracing and errors; the messaging ones when present. */
function goTestsFor(model: GoModel): string[] {
  const tests = ['tracing_test.go', 'errors_test.go', 'baggage_test.go'];
  if (model.topics.length > 0) tests.push('kafka_spans_test.go', 'messaging_metrics_test.go', `${model.options.kafka}_test.go`);
  if (model.amqpConsumers.length + model.amqpPublishers.length > 0) tests.push('amqp_test.go');
  if (model.options.idGenerator === 'time-ordered') tests.push('time_ordered_test.go');
  // handlingContext and closeWithin: the shutdown deadlines (test/go/shutdown.test.ts runs them live).
  if (model.topics.some((t) => t.handler) || model.amqpConsumers.length > 0) tests.push('shutdown_test.go');
  // These two call routes of the full inventory, in whichever flavor was generated.
  if (model.serverRoutes.some((r) => r.pattern === 'GET /api/stock')) tests.push('server_test.go', 'http_metrics_test.go');
  if (model.clientCalls.some((c) => c.funcName === 'getAPIOrdersByID')) tests.push('client_test.go');
  // Header capture on both sides of HTTP: the full inventory's server route and client.
  if (tests.includes('server_test.go') && tests.includes('client_test.go')) tests.push('capture_test.go');
  if (model.topics.some((t) => t.handler) && model.amqpConsumers.length + model.amqpPublishers.length > 0) tests.push('message_capture_test.go');
  return tests;
}

async function buildAndVet(name: string, model: GoModel, files: GeneratedFile[] = generateGoModule(model)): Promise<void> {
  const dir = path.join(work, name);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.text);
  }
  for (const test of goTestsFor(model)) copyFileSync(path.join(goTestDir, 'gotests', test), path.join(dir, test));
  await go(['mod', 'tidy'], dir);
  const gofmt = path.join((await go(['env', 'GOROOT'], dir)).trim(), 'bin', 'gofmt');
  const { stdout: unformatted } = await run(gofmt, ['-l', '.'], { cwd: dir });
  expect(unformatted, 'gofmt -l').toBe('');
  await go(['vet', './...'], dir);
  expect(await go(['test', '-count=1', './...'], dir)).toMatch(/^ok\s/m);
}

const TIMEOUT = 600_000;

describe('golden cases build, vet and test', () => {
  for (const testCase of readCases()) {
    it(testCase.name, async () => buildAndVet(testCase.name, buildModel(testCase.inventory, testCase.options), await generateCase(testCase)), TIMEOUT);
  }
});

describe('every HTTP × Kafka flavor builds with the full inventory', () => {
  // A --semconv-spec case differs only in its semconv import: it leaves the official one to cover.
  const covered = new Set(readCases().filter((c) => c.inventoryName === 'full' && !c.semconvSpec).map((c) => `${c.options.http}-${c.options.kafka}`));
  for (const http of ['nethttp', 'gin', 'echo'] as const) {
    for (const kafka of ['franz-go', 'sarama', 'kafka-go'] as const) {
      // The golden cases built above already cover their combinations.
      if (covered.has(`${http}-${kafka}`)) continue;
      const options: GoOptions = { module: 'example.com/combo', service: 'combo', http, kafka, idGenerator: 'random' };
      it(`${http} + ${kafka}`, () => buildAndVet(`${http}-${kafka}`, buildModel(readInventory('full'), options)), TIMEOUT);
    }
  }
});
