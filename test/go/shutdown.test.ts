// The generated Go service stops when asked: with Kafka records and RabbitMQ deliveries in
// flight (a backlog waiting in each broker, the consumers busy with slow handlers), SIGTERM makes
// it exit within 10 s, exit 0, with the spans of every message it handled flushed (the batch
// delay is longer than the run, so only the shutdown flush can export them), and no delivery
// lost: what it did not handle is back in the queue. Once per Kafka flavor, each module with a
// Kafka and an AMQP consumer; built once per run into a binary that the test runs directly, in a
// process group of its own that afterAll kills whatever happens.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, expect, it } from 'vitest';
import { generateGoModule } from '../../src/go/generate.js';
import { emptyInventory, type Inventory } from '../../src/go/inventory.js';
import { buildModel, type GoModel, type KafkaFlavor } from '../../src/go/model.js';
import { AMQP_URL, describeWithBrokers, KAFKA_BROKER } from '../support/brokers.js';

const run = promisify(execFile);
const work = mkdtempSync(path.join(os.tmpdir(), 'otel-instrument-go-shutdown-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) killGroup(child);
  rmSync(work, { recursive: true, force: true });
});

/** Ends the child's whole process group (it was spawned detached, so it leads one). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Messages put in each broker before the service starts: far more than it handles before SIGTERM. */
const BACKLOG = 1000;

/**
 * Handlers that stand in for real work: slow enough that the backlog is still buffered when
 * SIGTERM comes, and, like real ones, giving up when their context ends (a message cut short by
 * stopping must not count as handled, nor be lost).
 */
function handlersFile(model: GoModel): string {
  const kafka = model.topics.filter((t) => t.handler).map((t) => `
func (s *service) ${t.handler}(ctx context.Context, msg kafkaMessage) error {
	return slowWork(ctx, "kafka", string(msg.Value))
}
`);
  const amqpHandlers = model.amqpConsumers.map((c) => `
func (s *service) ${c.handler}(ctx context.Context, delivery amqp.Delivery) error {
	return slowWork(ctx, "amqp", string(delivery.Body))
}
`);
  return `package main

import (
	"context"
	"fmt"
	"os"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)
${kafka.join('')}${amqpHandlers.join('')}
// slowWork is a handler's work as real handlers do it: it gives up when its context ends.
func slowWork(ctx context.Context, source, body string) error {
	select {
	case <-time.After(40 * time.Millisecond):
	case <-ctx.Done():
		return ctx.Err()
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.String("test.body", body))
	// On stderr: the service's own logs are JSON on stdout.
	fmt.Fprintf(os.Stderr, "handled %s %s\\n", source, body)
	return nil
}
`;
}

async function go(args: string[], cwd: string): Promise<void> {
  try {
    await run('go', args, { cwd, maxBuffer: 16 << 20, env: { ...process.env, GOFLAGS: '-mod=mod' } });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`go ${args.join(' ')} failed in ${cwd}:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`, { cause: error });
  }
}

/** A Go span as stdouttrace writes it, the parts this test reads. */
interface GoSpan {
  Name: string;
  Attributes: Array<{ Key: string; Value: { Value: unknown } }> | null;
}

function spansOf(stdout: string): GoSpan[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as GoSpan);
}

function bodyOf(span: GoSpan): unknown {
  return span.Attributes?.find((a) => a.Key === 'test.body')?.Value.Value;
}

/** Resolves with the exit once the child has exited, or undefined after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    const timer = setTimeout(() => resolve(undefined), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function until(what: string, probe: () => boolean, timeoutMs: number, detail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const FLAVORS: KafkaFlavor[] = ['franz-go', 'sarama', 'kafka-go'];

describeWithBrokers('generated Go stops on SIGTERM with messages in flight', () => {
  for (const flavor of FLAVORS) {
    it(`${flavor} + amqp091-go: exits within 10 s, spans flushed, nothing lost`, async () => {
      const runId = `shutdown.${flavor}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
      const topic = `${runId}.kafka`;
      const queue = `${runId}.amqp`;
      const inventory: Inventory = emptyInventory();
      inventory.kafka.sends.push({ file: 'src/app.js', line: 1, topic });
      inventory.amqp.sendsToQueue.push({ file: 'src/app.js', line: 2, queue });
      const model = buildModel(inventory, { module: 'example.com/shutdown', service: 'shutdown-go', http: 'nethttp', kafka: flavor, idGenerator: 'random' });

      const dir = path.join(work, flavor);
      for (const file of generateGoModule(model)) {
        mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
        writeFileSync(path.join(dir, file.path), file.text);
      }
      writeFileSync(path.join(dir, 'handlers.go'), handlersFile(model));
      await go(['mod', 'tidy'], dir);
      await go(['build', '-o', 'service', '.'], dir);

      // The backlog: the queue as the consumer declares it (durable), the topic with one partition.
      const connection = await amqp.connect(AMQP_URL);
      const kafka = new Kafka({ brokers: [KAFKA_BROKER], clientId: 'shutdown-test', logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      const admin = kafka.admin();
      let child: ChildProcess | undefined;
      let stdout = '';
      let stderr = '';
      try {
        const channel = await connection.createConfirmChannel();
        await channel.assertQueue(queue, { durable: true });
        for (let i = 0; i < BACKLOG; i++) channel.sendToQueue(queue, Buffer.from(`amqp-${i}`));
        await channel.waitForConfirms();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await producer.connect();
        await producer.send({ topic, messages: Array.from({ length: BACKLOG }, (_, i) => ({ value: `kafka-${i}` })) });

        child = spawn(path.join(dir, 'service'), [], {
          cwd: dir,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            OTEL_TRACES_EXPORTER: 'console',
            // Longer than the run: spans reach stdout only through the flush at shutdown.
            OTEL_BSP_SCHEDULE_DELAY: '600000',
            OTEL_BSP_MAX_QUEUE_SIZE: '100000',
            OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100000',
            KAFKA_BROKERS: KAFKA_BROKER,
            KAFKA_GROUP: runId,
            AMQP_URL,
          },
        });
        children.push(child);
        child.stdout!.on('data', (d) => (stdout += d));
        child.stderr!.on('data', (d) => (stderr += d));
        const handled = (source: string) => [...stderr.matchAll(new RegExp(`handled ${source} (\\S+)`, 'g'))].map((m) => m[1]!);
        await until('both consumers to handle messages', () => handled('kafka').length >= 3 && handled('amqp').length >= 3, 60_000, () => stderr);

        child.kill('SIGTERM');
        const exit = await exitWithin(child, 10_000);
        if (!exit) {
          // A goroutine dump says where it hangs.
          child.kill('SIGQUIT');
          await exitWithin(child, 2_000);
        }
        expect(exit, `the service did not exit within 10 s of SIGTERM:\n${stderr.slice(-20_000)}`).toBeDefined();
        expect(exit, stderr).toEqual({ code: 0, signal: null });

        // Every message it handled has its span on stdout: the provider was flushed.
        const bodies = new Set(spansOf(stdout).map(bodyOf));
        for (const source of ['kafka', 'amqp']) {
          const done = handled(source);
          expect(done.length, `${source} messages handled`).toBeLessThan(BACKLOG);
          expect(done.filter((body) => !bodies.has(body)), `${source} messages handled without a flushed span`).toEqual([]);
        }
        // Nothing lost: the deliveries it did not handle went back to the queue.
        const { messageCount } = await channel.checkQueue(queue);
        expect(messageCount + new Set(handled('amqp')).size).toBe(BACKLOG);
        await channel.deleteQueue(queue);
        // And the group's committed offset is where its handling stopped: the records it handled
        // are not read again, the ones it did not are.
        const [offsets] = await admin.fetchOffsets({ groupId: runId, topics: [topic] });
        expect(offsets!.partitions.map((p) => Number(p.offset)), 'committed offset').toEqual([new Set(handled('kafka')).size]);
        await admin.deleteTopics({ topics: [topic] });
      } finally {
        if (child) killGroup(child);
        await producer.disconnect().catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
        await connection.close().catch(() => undefined);
      }
    }, 600_000);
  }
});
