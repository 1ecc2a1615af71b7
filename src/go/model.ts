/** What the generated Go module contains, derived from the inventory of the Node code. */
import type { LogFieldsProfile } from '../log-fields.js';
import { uniqueName } from './go-names.js';
import type { Inventory, Origin } from './inventory.js';
import {
  clientPathExpression,
  colonPath,
  parseCalledUrl,
  parseNodeRoute,
  routeParams,
  routeWords,
  RouteSyntaxError,
  serveMuxPath,
  type ParsedRoute,
} from './routes.js';

export type HttpFlavor = 'nethttp' | 'gin' | 'echo';
export type KafkaFlavor = 'franz-go' | 'sarama' | 'kafka-go';

export interface GoOptions {
  module: string;
  service: string;
  http: HttpFlavor;
  kafka: KafkaFlavor;
  idGenerator: 'random' | 'time-ordered';
  /** The tracelog package's default profile (`--log-fields`; default otel). */
  logFields?: LogFieldsProfile;
  /**
   * Only calls to these hosts (`host` or `host:port`) become Go routes; relative URLs always do.
   * Without it, every literal URL does (the Node code may also call third-party APIs).
   */
  hosts?: string[];
}

/** A route the Node code calls: this service serves it. */
export interface ServerRoute {
  method: string;
  path: string;
  handler: string;
  pattern: string;
  ginPath: string;
  echoPath: string;
  origin: string;
}

/** A route the Node code serves: this service gets a client function for it. */
export interface ClientCall {
  method: string;
  route: string;
  funcName: string;
  params: string[];
  hasBody: boolean;
  pathExpr: string;
  usesEscape: boolean;
  origin: string;
}

export interface Topic {
  topic: string;
  constName: string;
  /** Handler of a topic the Node code produces. */
  handler?: string;
  /** Producer method for a topic the Node code consumes. */
  method?: string;
  produceOrigins: string[];
  consumeOrigins: string[];
  groups: string[];
}

export interface AmqpConsumer {
  queue: string;
  exchange: string;
  routingKey: string;
  handler: string;
  comment: string;
}

export interface AmqpPublisher {
  queue: string;
  method: string;
  origins: string[];
}

/** Something the Node code does that the generator cannot mirror, and why. */
export interface Skipped {
  origin: string;
  what: string;
  reason: string;
}

export interface GoModel {
  options: GoOptions;
  serverRoutes: ServerRoute[];
  clientCalls: ClientCall[];
  topics: Topic[];
  amqpConsumers: AmqpConsumer[];
  amqpPublishers: AmqpPublisher[];
  skipped: Skipped[];
}

const where = (o: Origin) => `${o.file}:${o.line}`;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** `host:port` of an absolute URL; undefined for a relative one. */
function calledHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function routeKey(method: string, route: ParsedRoute): string {
  return `${method} ${serveMuxPath(route)}`;
}

/** Derives the Go side from the inventory: every name unique, everything in a stable order. */
export function buildModel(inventory: Inventory, options: GoOptions): GoModel {
  const skipped: Skipped[] = [];
  const names = new Set<string>(['routes', 'consumeKafka', 'kafkaHandlers', 'amqpConsumers']);

  // Node calls → Go serves.
  const serverRoutes = new Map<string, ServerRoute>();
  for (const call of inventory.httpCalls) {
    if (!call.url) {
      skipped.push({ origin: where(call), what: `${call.method ?? 'HTTP'} call`, reason: 'the URL is not a literal' });
      continue;
    }
    const method = call.method ?? 'GET';
    const host = calledHost(call.url);
    if (options.hosts?.length && host !== undefined && !options.hosts.some((h) => h === host || h === host.replace(/:\d+$/, ''))) {
      skipped.push({ origin: where(call), what: `${method} ${call.url}`, reason: `${host} is not a --host` });
      continue;
    }
    let route: ParsedRoute;
    try {
      route = parseCalledUrl(call.url);
    } catch (error) {
      if (!(error instanceof RouteSyntaxError)) throw error;
      skipped.push({ origin: where(call), what: `${method} ${call.url}`, reason: error.message });
      continue;
    }
    const key = routeKey(method, route);
    const existing = serverRoutes.get(key);
    if (existing) {
      existing.origin += `, ${where(call)}`;
      continue;
    }
    serverRoutes.set(key, {
      method,
      path: serveMuxPath(route),
      handler: uniqueName(method.toLowerCase(), routeWords(route) || 'root', names),
      pattern: `${method} ${serveMuxPath(route)}`,
      ginPath: colonPath(route, 'gin'),
      echoPath: colonPath(route, 'echo'),
      origin: where(call),
    });
  }

  // Node serves → Go calls.
  const clientCalls = new Map<string, ClientCall>();
  for (const served of inventory.routes) {
    let route: ParsedRoute;
    try {
      route = parseNodeRoute(served.route);
    } catch (error) {
      if (!(error instanceof RouteSyntaxError)) throw error;
      skipped.push({ origin: where(served), what: `${served.method} ${served.route}`, reason: error.message });
      continue;
    }
    if (served.method === 'ALL' || served.method === 'USE') {
      skipped.push({ origin: where(served), what: `${served.method} ${served.route}`, reason: 'no single method to call' });
      continue;
    }
    const key = routeKey(served.method, route);
    if (clientCalls.has(key)) continue;
    const { expression, usesEscape } = clientPathExpression(route);
    clientCalls.set(key, {
      method: served.method,
      route: served.route,
      funcName: uniqueName(served.method.toLowerCase(), routeWords(route) || 'root', names),
      params: routeParams(route).map((p) => p.goName),
      hasBody: BODY_METHODS.has(served.method),
      pathExpr: expression,
      usesEscape,
      origin: served.mounted === false ? `${where(served)}, mount prefix not visible there` : where(served),
    });
  }

  // Kafka: Node produces → Go consumes; Node consumes → Go produces.
  const topics = new Map<string, Topic>();
  const topic = (name: string): Topic => {
    let entry = topics.get(name);
    if (!entry) {
      entry = { topic: name, constName: '', produceOrigins: [], consumeOrigins: [], groups: [] };
      topics.set(name, entry);
    }
    return entry;
  };
  for (const send of inventory.kafka.sends) {
    if (!send.topic) {
      skipped.push({ origin: where(send), what: 'kafka send', reason: 'the topic is not a literal' });
      continue;
    }
    topic(send.topic).produceOrigins.push(where(send));
  }
  for (const consume of inventory.kafka.consumes) {
    if (consume.topics.length === 0) skipped.push({ origin: where(consume), what: 'kafka consumer', reason: 'the topics are not literals' });
    for (const name of consume.topics) {
      const entry = topic(name);
      entry.consumeOrigins.push(where(consume));
      if (consume.groupId && !entry.groups.includes(consume.groupId)) entry.groups.push(consume.groupId);
    }
  }
  const sortedTopics = [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic));
  for (const entry of sortedTopics) entry.constName = uniqueName('topic', entry.topic, names);
  for (const entry of sortedTopics) {
    if (entry.produceOrigins.length > 0) entry.handler = uniqueName('handle', entry.topic, names);
    if (entry.consumeOrigins.length > 0) entry.method = uniqueName('send', entry.topic, names);
  }

  // RabbitMQ: Node publishes → Go consumes (a queue of its own bound to a named exchange);
  // Node consumes a queue → Go publishes to it through the default exchange.
  const consumers = new Map<string, AmqpConsumer>();
  const addConsumer = (queue: string, exchange: string, routingKey: string, origin: string, what: string) => {
    const existing = consumers.get(queue);
    if (existing) {
      existing.comment += `, ${origin}`;
      return;
    }
    const named = exchange ? `${exchange} ${routingKey}` : queue;
    consumers.set(queue, { queue, exchange, routingKey, handler: uniqueName('handle', `${named} delivery`, names), comment: `${what}: ${origin}` });
  };
  for (const publish of inventory.amqp.publishes) {
    if (publish.exchange === undefined) {
      skipped.push({ origin: where(publish), what: 'amqp publish', reason: 'the exchange is not a literal' });
    } else if (publish.exchange === '') {
      if (publish.routingKey) addConsumer(publish.routingKey, '', '', where(publish), `the Node services publish to queue ${publish.routingKey}`);
      else skipped.push({ origin: where(publish), what: 'amqp publish', reason: 'the routing key is not a literal' });
    } else if (publish.routingKey === undefined) {
      skipped.push({ origin: where(publish), what: `amqp publish to ${publish.exchange}`, reason: 'the routing key is not a literal' });
    } else {
      const key = publish.routingKey;
      const queue = [options.service, publish.exchange, key].filter(Boolean).join('.');
      addConsumer(queue, publish.exchange, key, where(publish), `bound to exchange ${publish.exchange}${key ? ` with key ${key}` : ''}, which the Node services publish to`);
    }
  }
  for (const send of inventory.amqp.sendsToQueue) {
    if (!send.queue) skipped.push({ origin: where(send), what: 'amqp sendToQueue', reason: 'the queue is not a literal' });
    else addConsumer(send.queue, '', '', where(send), 'the Node services send to it');
  }
  const publishers = new Map<string, AmqpPublisher>();
  for (const consume of inventory.amqp.consumes) {
    if (!consume.queue) {
      skipped.push({ origin: where(consume), what: 'amqp consume', reason: 'the queue is not a literal' });
      continue;
    }
    const existing = publishers.get(consume.queue);
    if (existing) existing.origins.push(where(consume));
    else publishers.set(consume.queue, { queue: consume.queue, method: '', origins: [where(consume)] });
  }
  const amqpConsumers = [...consumers.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  const amqpPublishers = [...publishers.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  for (const publisher of amqpPublishers) publisher.method = uniqueName('publishTo', publisher.queue, names);

  return {
    options,
    serverRoutes: [...serverRoutes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    clientCalls: [...clientCalls.values()].sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method)),
    topics: sortedTopics,
    amqpConsumers,
    amqpPublishers,
    skipped,
  };
}

