import path from 'node:path';
import { instrument } from '../codemod/instrument.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import type { CallSite, InstrumentResult } from '../codemod/types.js';

/** Where in the Node code a fact was read, relative to the working directory. */
export interface Origin {
  file: string;
  line: number;
}

/** An HTTP route a Node service serves (`app.get('/api/orders/:id')`). */
export interface ServedRoute extends Origin {
  method: string;
  /** Express/Fastify template with mount prefixes, e.g. `/api/orders/:id`. */
  route: string;
  /** false: a router's route whose mount prefix is not visible, so `route` may lack a prefix. */
  mounted?: false;
}

/** An HTTP call a Node service makes; `url` is absent when it is not a literal. */
export interface HttpCall extends Origin {
  method?: string;
  url?: string;
}

export interface KafkaSend extends Origin {
  topic?: string;
}

export interface KafkaConsume extends Origin {
  topics: string[];
  groupId?: string;
}

export interface AmqpPublish extends Origin {
  exchange?: string;
  routingKey?: string;
}

export interface AmqpQueueUse extends Origin {
  queue?: string;
}

/** What the Node code does on the wire, as far as it is statically visible (`--json`). */
export interface Inventory {
  routes: ServedRoute[];
  httpCalls: HttpCall[];
  kafka: { sends: KafkaSend[]; consumes: KafkaConsume[] };
  amqp: { publishes: AmqpPublish[]; sendsToQueue: AmqpQueueUse[]; consumes: AmqpQueueUse[] };
}

export function emptyInventory(): Inventory {
  return { routes: [], httpCalls: [], kafka: { sends: [], consumes: [] }, amqp: { publishes: [], sendsToQueue: [], consumes: [] } };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** Adds what one call site tells to the inventory; sites that tell nothing we use are ignored. */
export function addSite(inventory: Inventory, site: CallSite, cwd: string): void {
  if (site.ignored) return;
  const origin: Origin = { file: path.relative(cwd, site.file).split(path.sep).join('/'), line: site.line };
  const { facts, kind } = site;
  if (kind.endsWith('.route')) {
    const route = text(facts.route);
    const mounted = facts.mounted === false ? { mounted: false as const } : {};
    if (route) inventory.routes.push({ ...origin, method: (text(facts.method) ?? 'GET').toUpperCase(), route, ...mounted });
  } else if (kind === 'kafkajs.send') {
    inventory.kafka.sends.push({ ...origin, topic: text(facts.topic) });
  } else if (kind === 'kafkajs.consume') {
    inventory.kafka.consumes.push({ ...origin, topics: texts(facts.topics ?? facts.topic), groupId: text(facts.groupId) });
  } else if (kind === 'amqplib.publish') {
    inventory.amqp.publishes.push({ ...origin, exchange: typeof facts.exchange === 'string' ? facts.exchange : undefined, routingKey: typeof facts.routingKey === 'string' ? facts.routingKey : undefined });
  } else if (kind === 'amqplib.sendToQueue') {
    inventory.amqp.sendsToQueue.push({ ...origin, queue: text(facts.queue) });
  } else if (kind === 'amqplib.consume') {
    inventory.amqp.consumes.push({ ...origin, queue: text(facts.queue) });
  } else if (kind === 'fetch' || kind === 'axios.request' || kind.startsWith('node-http.')) {
    // Outgoing HTTP: fetch, http(s).request/get, axios. A non-literal URL is kept, unknown.
    const method = text(facts.method)?.toUpperCase();
    inventory.httpCalls.push({ ...origin, ...(method ? { method } : {}), ...(text(facts.url) ? { url: text(facts.url) } : {}) });
  }
}

/** The inventory of an `instrument()` result, in a stable order (file, then line). */
export function inventoryOf(result: InstrumentResult, cwd: string): Inventory {
  const inventory = emptyInventory();
  const sites = result.files.flatMap((f) => f.sites).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  for (const site of sites) addSite(inventory, site, cwd);
  return inventory;
}

/**
 * Reads the Node code under `paths` with every transform, in `check` mode (nothing is written),
 * and collects what it serves, calls, produces and consumes.
 */
export async function collectInventory(paths: string[], cwd: string): Promise<{ inventory: Inventory; errors: string[] }> {
  const result = await instrument({ paths, transforms: ALL_TRANSFORMS, mode: 'check', cwd });
  const errors = [...result.errors, ...result.files.flatMap((f) => (f.error ? [f.error] : []))];
  return { inventory: inventoryOf(result, cwd), errors };
}
