// Live interop: a Node service instrumented by the CLI and the Go module `otel-instrument go`
// generates from it, side by side on loopback with the real brokers. Node calls Go over HTTP and
// sends to it over Kafka and RabbitMQ; Go answers over Kafka (a record that carried two stale
// traceparent headers) and RabbitMQ (string and []byte headers), and calls Node back over HTTP.
// Spans of both sides (Node: in-memory SDK; Go: its console exporter on stdout) must form one
// trace with the right parents, and the baggage the test sends must reach every handler. Runs
// once per HTTP flavor and once per Kafka flavor of the generator.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compileTemplate } from '../../src/conventions/template-engine.js';
import { exportedName } from '../../src/go/go-names.js';
import type { HttpFlavor, KafkaFlavor } from '../../src/go/model.js';
import { startApp, type AppProcess } from '../support/app-process.js';
import { AMQP_URL, describeWithBrokers, KAFKA_BROKER } from '../support/brokers.js';
import { copyApp, runCli } from '../support/cli.js';
import { goTestDir } from './cases.js';
import { expectedLogIds, freePort, fromNode, goLogsOf, goSpansOf, logIdsOf, logLinesOf, stopGroup, until, type LogProfile, type Span } from './live.js';

const run = promisify(execFile);

/**
 * How a run chooses the log fields of both services (issue 10): the default, the run-time variable
 * on both processes, or `--log-fields` on both commands.
 */
interface LogSetup {
  profile: LogProfile;
  via: 'default' | 'env' | 'option';
}

/** One live run per HTTP and per Kafka flavor (three runs cover all six), and per log profile. */
const FLAVORS: Array<[HttpFlavor, KafkaFlavor, LogSetup]> = [
  ['nethttp', 'franz-go', { profile: 'otel', via: 'default' }],
  ['gin', 'sarama', { profile: 'ecs', via: 'env' }],
  ['echo', 'kafka-go', { profile: 'datadog', via: 'option' }],
];

function interopHandlers(http: HttpFlavor, kafka: KafkaFlavor, id: string, run: string): string {
  const file = path.join(goTestDir, 'interop/handlers.go.tmpl');
  return compileTemplate(readFileSync(file, 'utf8'), file).render({
    id,
    run,
    nethttp: http === 'nethttp',
    gin: http === 'gin',
    echo: http === 'echo',
    franzgo: kafka === 'franz-go',
    sarama: kafka === 'sarama',
    kafkago: kafka === 'kafka-go',
  });
}

/**
 * One capture config for both services (issue 11): the `baggage` header every hop carries, on HTTP
 * SERVER spans and message spans, and the `case` baggage key on Go's spans (the Node app runs the
 * test collector, not the bootstrap, so baggage copying on the Node side is tested in test/bootstrap).
 */
const CAPTURE_ENV = {
  OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS: 'Baggage',
  OTEL_INSTRUMENTATION_MESSAGING_EXPERIMENTAL_CAPTURE_HEADERS: 'baggage',
  OTEL_INSTRUMENTATION_BAGGAGE_SPAN_ATTRIBUTES: 'case',
};

for (const [httpFlavor, kafkaFlavor, logs] of FLAVORS) describeWithBrokers(`Node ↔ Go interop, live (${httpFlavor} + ${kafkaFlavor}, ${logs.profile} log fields)`, () => {
  const runId = `r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const id = exportedName(runId);
  let node: AppProcess | undefined;
  let goProcess: ChildProcess | undefined;
  let goOut = '';
  let goErr = '';
  let nodePort = 0;
  const logFieldsOption = logs.via === 'option' ? ['--log-fields', logs.profile] : [];
  const logFieldsEnv: Record<string, string> = logs.via === 'env' ? { OTEL_INSTRUMENT_LOG_FIELDS: logs.profile } : {};

  const goSpans = (): Span[] => goSpansOf(goOut);

  beforeAll(async () => {
    const goPort = await freePort();
    const app = copyApp(path.join(goTestDir, 'interop/node-app'), 'go-interop');
    const server = path.join(app, 'server.js');
    writeFileSync(server, readFileSync(server, 'utf8').replaceAll('__RUN__', runId).replaceAll('__GO_PORT__', String(goPort)));

    // Generate the Go half from the uninstrumented Node code, then instrument the Node code.
    const goDir = path.join(app, 'go-service');
    const generated = runCli(
      ['go', '.', '--out', 'go-service', '--service', 'interop-go', '--module', 'example.com/interop', '--http', httpFlavor, '--kafka', kafkaFlavor, ...logFieldsOption],
      app,
    );
    expect(generated.status, generated.stderr).toBe(0);
    expect(generated.stderr).toBe('');
    const instrumented = runCli(['.', ...logFieldsOption], app);
    expect(instrumented.status, instrumented.stderr).toBe(0);

    writeFileSync(path.join(goDir, 'handlers.go'), interopHandlers(httpFlavor, kafkaFlavor, id, runId));
    await run('go', ['mod', 'tidy'], { cwd: goDir });
    await run('go', ['build', '-o', 'interop-go', '.'], { cwd: goDir });

    node = await startApp(server, { env: { KAFKA_BROKER, AMQP_URL, OTEL_SERVICE_NAME: 'interop-node', ...CAPTURE_ENV, ...logFieldsEnv }, timeoutMs: 60_000 });
    nodePort = Number(node.ready.port);

    goProcess = spawn(path.join(goDir, 'interop-go'), [], {
      cwd: goDir,
      // A process group of its own, which afterAll ends whatever happens.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...CAPTURE_ENV,
        ...logFieldsEnv,
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        HTTP_ADDR: `127.0.0.1:${goPort}`,
        NODE_SERVICE_URL: `http://127.0.0.1:${nodePort}`,
        KAFKA_BROKERS: KAFKA_BROKER,
        KAFKA_GROUP: `interop-go-${runId}`,
        AMQP_URL,
      },
    });
    goProcess.stdout!.on('data', (d) => (goOut += d));
    goProcess.stderr!.on('data', (d) => (goErr += d));
    await until('the Go service to listen', () => (goOut.includes('listening on') ? true : undefined), 60_000, () => goOut + goErr);
  }, 600_000);

  afterAll(async () => {
    const exit = await stopGroup(goProcess);
    await node?.stop();
    const connection = await amqp.connect(AMQP_URL).catch(() => undefined);
    if (connection) {
      const channel = await connection.createChannel();
      for (const queue of [`interop.${runId}.to-go`, `interop.${runId}.from-go`]) await channel.deleteQueue(queue);
      await connection.close();
    }
    // With its producers, publisher and consumers of every kind, SIGTERM still ends it cleanly.
    expect(exit, `the Go service's exit on SIGTERM (undefined: killed after 10 s)\n${goErr.slice(-4000)}`).toBe(0);
  });

  /** Sends one request into Node and waits for the spans of every hop of its trace. */
  async function oneRequest(): Promise<{ traceId: string; spans: Span[]; hops: Span[] }> {
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`http://127.0.0.1:${nodePort}/start`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, baggage: 'case=interop' },
    });
    expect(response.status).toBe(202);

    const all = async () => [...(await node!.spans()).map(fromNode), ...goSpans()].filter((s) => s.traceId === traceId);
    const find = (spans: Span[], side: Span['side'], kind: Span['kind'], name: string, body?: string) =>
      spans.find((s) => s.side === side && s.kind === kind && s.name === name && (body === undefined || s.attributes['test.body'] === body));
    const wanted = (spans: Span[]) => [
      find(spans, 'go', 'server', 'POST /go/orders'),
      find(spans, 'node', 'consumer', `process interop.${runId}.from-go`, 'from go over kafka'),
      find(spans, 'node', 'consumer', `process interop.${runId}.from-go`, 'from go over rabbitmq'),
      find(spans, 'node', 'consumer', `process interop.${runId}.from-go`, 'byte headers'),
      find(spans, 'go', 'consumer', `process interop.${runId}.to-go`, 'to go over kafka'),
      find(spans, 'go', 'consumer', `process interop.${runId}.to-go`, 'to go over rabbitmq'),
      find(spans, 'node', 'server', 'GET /node/echo/:id'),
      find(spans, 'node', 'server', 'POST /start'),
    ];
    const spans = await until(
      'spans of every hop',
      async () => {
        const current = await all();
        return wanted(current).every(Boolean) ? current : undefined;
      },
      60_000,
      () => `Go stderr:\n${goErr}\nGo spans: ${goSpans().map((s) => `${s.kind} ${s.name}`).join(', ')}`,
    );
    return { traceId, spans, hops: wanted(spans) as Span[] };
  }

  it('one trace across both services, with parents and baggage at every hop', async () => {
    const { spans, hops } = await oneRequest();
    const [goServer, nodeKafka, nodeRabbit, nodeRabbitBytes, goKafka, goRabbit, nodeEcho] = hops;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parent = (span: Span) => byId.get(span.parentSpanId ?? '');

    // Node → Go over HTTP: Go's SERVER span is the child of Node's fetch CLIENT span.
    expect(parent(goServer!)).toMatchObject({ side: 'node', kind: 'client' });
    // Go → Node over Kafka: the stale duplicated traceparent headers were replaced by one.
    expect(parent(nodeKafka!)).toMatchObject({ side: 'go', kind: 'producer', name: `send interop.${runId}.from-go` });
    expect(nodeKafka!.attributes['test.traceparent.type']).toBe('buffer'); // kafkajs gives an array for repeated keys
    expect(parent(parent(nodeKafka!)!)).toBe(goServer);
    // Go → Node over RabbitMQ: string headers from the generated publisher, []byte from another.
    expect(parent(nodeRabbit!)).toMatchObject({ side: 'go', kind: 'producer', name: `publish interop.${runId}.from-go` });
    expect(parent(nodeRabbitBytes!)).toBe(goServer);
    // Node → Go over Kafka and RabbitMQ.
    expect(parent(goKafka!)).toMatchObject({ side: 'node', kind: 'producer', name: `send interop.${runId}.to-go` });
    expect(parent(goRabbit!)).toMatchObject({ side: 'node', kind: 'producer', name: `publish interop.${runId}.to-go` });
    // Go → Node over HTTP, from the Kafka handler: Node's SERVER span under Go's CLIENT span.
    expect(parent(nodeEcho!)).toMatchObject({ side: 'go', kind: 'client' });
    expect(parent(parent(nodeEcho!)!)).toBe(goKafka);

    for (const span of [goServer, nodeKafka, nodeRabbit, nodeRabbitBytes, goKafka, goRabbit, nodeEcho]) {
      expect(span!.attributes['test.baggage'], `${span!.side} ${span!.name}`).toBe('interop');
    }
    // The same capture config gives the same attributes on both sides: the listed header on the
    // SERVER spans (Node → Go and Go → Node), on every message span, and the listed baggage key in Go.
    for (const span of [goServer, nodeEcho]) {
      expect(span!.attributes['http.request.header.baggage'], `${span!.side} ${span!.name}`).toEqual(['case=interop']);
    }
    for (const span of [nodeKafka, nodeRabbit, goKafka, goRabbit]) {
      expect(span!.attributes['messaging.header.baggage'], `${span!.side} ${span!.name}`).toEqual(['case=interop']);
    }
    for (const span of [goServer, goKafka, goRabbit]) expect(span!.attributes['case'], `${span!.side} ${span!.name}`).toBe('interop');
    // Same attribute keys on both sides of a Kafka hop.
    const keys = (span: Span) => Object.keys(span.attributes).filter((k) => k.startsWith('messaging.')).sort();
    expect(keys(goKafka!)).toEqual(expect.arrayContaining(['messaging.consumer.group.name', 'messaging.destination.name', 'messaging.operation.type', 'messaging.system']));
    expect(keys(nodeKafka!)).toEqual(expect.arrayContaining(['messaging.consumer.group.name', 'messaging.destination.name', 'messaging.operation.type', 'messaging.system']));
  }, 120_000);

  // Issue 10: the pino lines of the Node service (instrumented by the codemod) and the slog lines
  // of the Go service, each written inside one hop of the request, carry that hop's span ids under
  // the same names; the lines logged before any request carry none.
  it(`log lines of both services carry the ids of their hop's span, under the same ${logs.profile} names`, async () => {
    const { traceId, hops } = await oneRequest();
    const [goServer, nodeKafka, nodeRabbit, nodeRabbitBytes, goKafka, goRabbit, nodeEcho, nodeStart] = hops as [Span, Span, Span, Span, Span, Span, Span, Span];
    const expected: Array<[Span, string, string?]> = [
      [nodeStart, 'node start'],
      [goServer, 'go http'],
      [nodeKafka, 'node kafka', 'from go over kafka'],
      [nodeRabbit, 'node amqp', 'from go over rabbitmq'],
      [nodeRabbitBytes, 'node amqp', 'byte headers'],
      [goKafka, 'go kafka'],
      [goRabbit, 'go amqp'],
      [nodeEcho, 'node echo'],
    ];
    const lines = () => [...logLinesOf(node!.output()), ...goLogsOf(goOut)];
    const lineOf = (span: Span, hop: string, body?: string) => {
      const ids = expectedLogIds(logs.profile, traceId, span.spanId);
      return lines().find((l) => l.hop === hop && (body === undefined || l.body === body) && Object.entries(ids).every(([key, value]) => l[key] === value));
    };
    // Node's stdout reaches the test apart from its spans: wait for the lines too.
    const found = await until(
      'a log line for every hop',
      () => {
        const all = expected.map(([span, hop, body]) => lineOf(span, hop, body));
        return all.every(Boolean) ? all : undefined;
      },
      10_000,
      () => lines().map((l) => JSON.stringify(l)).join('\n'),
    );
    expected.forEach(([span, hop], i) => {
      expect(logIdsOf(found[i]!), `${hop} (${span.side} ${span.kind} ${span.name})`).toEqual(expectedLogIds(logs.profile, traceId, span.spanId));
    });
    const outside = [lines().find((l) => l.hop === 'node outside'), goLogsOf(goOut).find((l) => String(l.msg).startsWith('listening on'))];
    for (const line of outside) {
      expect(line).toBeDefined();
      expect(logIdsOf(line!), JSON.stringify(line)).toEqual({});
    }
  }, 120_000);
});
