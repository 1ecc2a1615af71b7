import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { describe, it } from 'vitest';

/**
 * The local brokers that `bash scripts/brokers.sh start` runs (loopback only):
 * a single-node Kafka (KRaft) and RabbitMQ with the default guest user.
 */
export const KAFKA_BROKER = '127.0.0.1:9092';
export const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export type BrokerName = 'kafka' | 'rabbitmq';

const ADDRESSES: Record<BrokerName, { host: string; port: number }> = {
  kafka: { host: '127.0.0.1', port: 9092 },
  rabbitmq: { host: '127.0.0.1', port: 5672 },
};

/** True when something accepts a TCP connection on host:port within `timeoutMs`. */
export function tcpReachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Quick TCP check of both brokers (short timeout; does not wait for them to come up). */
export async function brokersAvailable(timeoutMs = 500): Promise<{ kafka: boolean; rabbitmq: boolean }> {
  const [kafka, rabbitmq] = await Promise.all([
    tcpReachable(ADDRESSES.kafka.host, ADDRESSES.kafka.port, timeoutMs),
    tcpReachable(ADDRESSES.rabbitmq.host, ADDRESSES.rabbitmq.port, timeoutMs),
  ]);
  return { kafka, rabbitmq };
}

/** CI must never skip broker suites silently: there a missing broker is a failure. */
export function brokersRequired(): boolean {
  const flag = (name: string) => {
    const value = process.env[name];
    return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
  };
  return flag('CI') || flag('OTEL_REQUIRE_BROKERS');
}

/** A fresh name for a topic, queue or consumer group: `<prefix>-<time>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * `describe` for suites that talk to the real brokers. When the brokers it `needs` (default:
 * both) accept connections, the suite runs as usual. When one does not:
 *  - locally the suite is registered as skipped, with the reason in its name;
 *  - with `CI` (or `OTEL_REQUIRE_BROKERS`) set it fails with a test that throws, so CI can
 *    never pass by skipping.
 */
export function describeWithBrokers(name: string, fn: () => void, options: { needs?: BrokerName[] } = {}): void {
  const needs = options.needs ?? ['kafka', 'rabbitmq'];
  // Vitest awaits an async suite factory while collecting, so the check runs once per suite
  // before any of its tests or hooks are registered.
  describe(name, async () => {
    const available = await brokersAvailable();
    const missing = needs.filter((broker) => !available[broker]);
    if (missing.length === 0) {
      fn();
      return;
    }
    const what = missing.map((broker) => `${broker} (${ADDRESSES[broker].host}:${ADDRESSES[broker].port})`).join(' and ');
    const reason = `${what} not reachable; start the brokers with \`bash scripts/brokers.sh start\``;
    if (brokersRequired()) {
      it('needs the message brokers', () => {
        throw new Error(`${reason}. Broker suites must not be skipped in CI.`);
      });
    } else {
      describe.skip(`skipped: ${reason}`, fn);
    }
  });
}

/**
 * Creates a one-partition topic through `kafka`'s admin client (leaders elected before it
 * returns) and registers its deletion in `closers`, so a test leaves no topic behind.
 */
export async function createTopic(kafka: Pick<Kafka, 'admin'>, topic: string, closers: Array<() => Promise<unknown>>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  closers.push(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
}
