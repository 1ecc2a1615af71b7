// One dashboard query covers a Node and a Go service (issue 14), live: a generated Go service
// (net/http + otelhttp, amqp091-go) exporting its metrics with the console exporter, and the Node
// helpers (Express, fetch, amqplib) in this process with the real metrics SDK, against the real
// RabbitMQ. Node calls Go's GET /api/stock, whose handler publishes to the queue Node consumes and
// calls Node's own GET /api/stock; Node publishes to the queue Go consumes. The same metric name
// with the same filter then finds one series per service, with the same attribute set.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Attributes } from '@opentelemetry/api';
import amqp from 'amqplib';
import { createRequire } from 'node:module';
import { afterAll, expect, it } from 'vitest';
import { generateGoModule } from '../../src/go/generate.js';
import { emptyInventory } from '../../src/go/inventory.js';
import { buildModel, type GoModel } from '../../src/go/model.js';
import { instrumentConnection } from '../../templates/runtime/amqplib.js';
import { instrumentExpress } from '../../templates/runtime/express.js';
import { tracedFetch } from '../../templates/runtime/http-client.js';
import { AMQP_URL, describeWithBrokers } from '../support/brokers.js';
import { inProcessMetrics } from '../support/in-process-metrics.js';
import { inProcessTracing } from '../support/in-process-tracing.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const express = require('express');
const work = mkdtempSync(path.join(os.tmpdir(), 'otel-instrument-go-metrics-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  }
  rmSync(work, { recursive: true, force: true });
});

/**
 * The Go handlers: GET /api/stock answers 200 after publishing to Node's queue and calling Node's
 * GET /api/stock; deliveries are logged.
 */
function handlersFile(model: GoModel): string {
  const route = model.serverRoutes.find((r) => r.path === '/api/stock');
  const busy = model.serverRoutes.find((r) => r.path === '/api/busy');
  const [consumer] = model.amqpConsumers;
  const [publisher] = model.amqpPublishers;
  const [call] = model.clientCalls;
  return `package main

import (
	"context"
	"log"
	"net/http"

	amqp "github.com/rabbitmq/amqp091-go"
)

func (s *service) ${route!.handler}(w http.ResponseWriter, r *http.Request) {
	if err := s.amqp.${publisher!.method}(r.Context(), amqp.Publishing{Body: []byte("from go")}); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	resp, err := s.node.${call!.funcName}(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	w.Write([]byte("ok"))
}

func (s *service) ${busy!.handler}(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusServiceUnavailable)
}

func (s *service) ${consumer!.handler}(ctx context.Context, delivery amqp.Delivery) error {
	log.Printf("handled %s", delivery.Body)
	return nil
}
`;
}

/** A histogram point as stdoutmetric writes it, and as the in-memory reader gives it: name and attributes. */
interface Series {
  name: string;
  unit: string;
  bounds: number[];
  attributes: Attributes;
}

interface GoExport {
  ScopeMetrics: { Metrics: { Name: string; Unit: string; Data: { DataPoints?: { Attributes: { Key: string; Value: { Value: unknown } }[]; Bounds?: number[] }[] } }[] }[];
}

function goSeries(stdout: string): Series[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{"Resource"')) // stdout carries the JSON log lines too
    .flatMap((line) => (JSON.parse(line) as GoExport).ScopeMetrics)
    .flatMap((scope) => scope.Metrics)
    .flatMap((m) =>
      (m.Data.DataPoints ?? []).map((p) => ({
        name: m.Name,
        unit: m.Unit,
        bounds: p.Bounds ?? [],
        attributes: Object.fromEntries(p.Attributes.map((a) => [a.Key, a.Value.Value])) as Attributes,
      })),
    );
}

/** The dashboard query: series of `name` whose attributes include `filter`. */
function query(series: Series[], name: string, filter: Attributes): Series[] {
  return series.filter((s) => s.name === name && Object.entries(filter).every(([key, value]) => s.attributes[key] === value));
}

describeWithBrokers('one dashboard query covers the Node and the Go service', () => {
  const { exporter, closers } = inProcessTracing();
  const { collect } = inProcessMetrics();

  it('http.{server,client}.request.duration and messaging.*.duration: same names, unit, buckets and attribute sets on both sides', async () => {
    const runId = `metrics.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const goQueue = `${runId}.go`;
    const nodeQueue = `${runId}.node`;
    const inventory = emptyInventory();
    inventory.httpCalls.push({ file: 'src/app.js', line: 1, method: 'GET', url: 'http://stock-go/api/stock' });
    inventory.httpCalls.push({ file: 'src/app.js', line: 5, method: 'GET', url: 'http://stock-go/api/busy' });
    inventory.amqp.sendsToQueue.push({ file: 'src/app.js', line: 2, queue: goQueue });
    inventory.amqp.consumes.push({ file: 'src/app.js', line: 3, queue: nodeQueue });
    inventory.routes.push({ file: 'src/app.js', line: 4, method: 'GET', route: '/api/stock' });
    const model = buildModel(inventory, { module: 'example.com/metrics', service: 'stock-go', http: 'nethttp', kafka: 'franz-go', idGenerator: 'random' });
    const dir = path.join(work, 'service');
    for (const file of generateGoModule(model)) {
      mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
      writeFileSync(path.join(dir, file.path), file.text);
    }
    writeFileSync(path.join(dir, 'handlers.go'), handlersFile(model));
    const env = { ...process.env, GOFLAGS: '-mod=mod' };
    await run('go', ['mod', 'tidy'], { cwd: dir, env });
    await run('go', ['build', '-o', 'service', '.'], { cwd: dir, env });

    // Node: Express serving the same route, a consumer of its queue, the helpers' publish.
    const connection = await instrumentConnection(amqp.connect(AMQP_URL));
    closers.push(() => connection.close());
    const channel = await connection.createChannel();
    // Both queues as the Go consumer declares its own (durable), so either side may come first.
    for (const queue of [nodeQueue, goQueue]) {
      await channel.assertQueue(queue, { durable: true });
      closers.push(() => channel.deleteQueue(queue));
    }
    const nodeGot = new Promise<void>((resolve) => {
      void channel.consume(nodeQueue, (msg) => {
        if (!msg) return;
        channel.ack(msg);
        resolve();
      });
    });
    const app = instrumentExpress(express());
    app.get('/api/stock', (_req: unknown, res: any) => res.send('ok'));
    app.get('/api/busy', (_req: unknown, res: any) => res.status(503).end());
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((r) => server.close(r)));

    const child = spawn(path.join(dir, 'service'), [], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        OTEL_SERVICE_NAME: 'stock-go',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'console',
        HTTP_ADDR: '127.0.0.1:0',
        NODE_SERVICE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AMQP_URL,
      },
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const listening = () => /listening on (http:\/\/[\d.:]+)/.exec(stdout + stderr);
    await expect.poll(listening, { timeout: 30_000 }).toBeTruthy();
    const goUrl = listening()![1]!;

    channel.sendToQueue(goQueue, Buffer.from('from node'));
    for (let i = 0; i < 2; i++) {
      expect((await tracedFetch(`${goUrl}/api/stock`)).status).toBe(200);
      await new Promise<void>((resolve, reject) =>
        http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stock`, (res) => res.resume().on('end', resolve)).on('error', reject),
      );
    }
    // A 5xx on each side, asked for by plain requests.
    for (const base of [goUrl, `http://127.0.0.1:${(server.address() as AddressInfo).port}`]) {
      await new Promise<void>((resolve, reject) => http.get(`${base}/api/busy`, (res) => res.resume().on('end', resolve)).on('error', reject));
    }
    await nodeGot;
    await expect.poll(() => (stdout + stderr).includes('handled from node'), { timeout: 20_000 }).toBe(true);
    // Node's /api/stock: twice from this test, twice from Go's handler; its /api/busy once.
    await expect.poll(() => exporter.getFinishedSpans().filter((s) => s.kind === 1).length).toBe(5);

    child.kill('SIGTERM');
    const exit = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(exit, stderr).toBe(0);
    const go = goSeries(stdout);
    const node = (await collect()).map(({ name, unit, boundaries, attributes }) => ({ name, unit, bounds: boundaries, attributes }));

    const both = (name: string, filter: Attributes) => {
      const found = { node: query(node, name, filter), go: query(go, name, filter) };
      expect(found.node, `${name} in Node: ${JSON.stringify(node)}`).toHaveLength(1);
      expect(found.go, `${name} in Go: ${JSON.stringify(go)}`).toHaveLength(1);
      const [n, g] = [found.node[0]!, found.go[0]!];
      expect([g.unit, g.bounds]).toEqual([n.unit, n.bounds]);
      return { node: n.attributes, go: g.attributes };
    };
    // HTTP: the very same series, Node's and Go's.
    const served = both('http.server.request.duration', { 'http.request.method': 'GET', 'http.route': '/api/stock', 'http.response.status_code': 200 });
    expect(served.go).toEqual(served.node);
    expect(served.node).toEqual({ 'http.request.method': 'GET', 'http.route': '/api/stock', 'http.response.status_code': 200, 'url.scheme': 'http', 'network.protocol.version': '1.1' });
    // A 5xx: error.type is the status code on both sides.
    const failed = both('http.server.request.duration', { 'http.route': '/api/busy', 'http.response.status_code': 503 });
    expect(failed.go).toEqual(failed.node);
    expect(failed.node).toMatchObject({ 'error.type': '503' });
    // HTTP client: Node's fetch to Go, Go's nodeClient to Node; the same attributes but for the port.
    const called = both('http.client.request.duration', { 'http.request.method': 'GET', 'http.response.status_code': 200 });
    const port = (url: string) => Number(new URL(url).port);
    const client = { 'http.request.method': 'GET', 'http.response.status_code': 200, 'server.address': '127.0.0.1', 'url.scheme': 'http' };
    expect(called).toEqual({ node: { ...client, 'server.port': port(goUrl) }, go: { ...client, 'server.port': (server.address() as AddressInfo).port } });
    // Messaging: one series per side and direction; the same attributes but for the destination.
    const rabbit = { 'messaging.system': 'rabbitmq' };
    const broker = { 'server.address': '127.0.0.1', 'server.port': 5672 };
    const sent = both('messaging.client.operation.duration', rabbit);
    expect(sent).toEqual({
      node: { ...rabbit, ...broker, 'messaging.operation.name': 'publish', 'messaging.operation.type': 'send', 'messaging.destination.name': goQueue },
      go: { ...rabbit, ...broker, 'messaging.operation.name': 'publish', 'messaging.operation.type': 'send', 'messaging.destination.name': nodeQueue },
    });
    const processed = both('messaging.process.duration', rabbit);
    expect(processed).toEqual({
      node: { ...rabbit, ...broker, 'messaging.operation.name': 'process', 'messaging.destination.name': nodeQueue },
      go: { ...rabbit, ...broker, 'messaging.operation.name': 'process', 'messaging.destination.name': goQueue },
    });
  }, 120_000);
});
