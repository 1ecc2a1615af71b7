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

/**
 * Where routers and plugins of other modules are mounted: `express.mount` and `fastify.mount`
 * sites (`app.use('/api/users', usersRouter(db))`, `app.register(users, { prefix })`), by the file
 * they import. A route its own file reports as unmounted gets the prefixes of the mounts of the
 * name its module exports it under, through chains of modules (a bounded number of hops).
 */
export class Mounts {
  private readonly byFile = new Map<string, CallSite[]>();

  /** NestJS applications: their global prefix and URI versioning apply to every controller route. */
  private readonly nestApps: CallSite[];

  constructor(sites: readonly CallSite[]) {
    this.nestApps = sites.filter((s) => s.kind === 'nestjs.app' && !s.ignored);
    const files = new Set(sites.map((s) => s.file));
    for (const site of sites) {
      if (site.ignored || !site.kind.endsWith('.mount') || typeof site.facts.module !== 'string') continue;
      const target = resolveRelative(site.file, site.facts.module, files);
      if (target) this.byFile.set(target, [...(this.byFile.get(target) ?? []), site]);
    }
  }

  /**
   * What each NestJS application puts before a controller route: `/api` (unless the prefix
   * excludes the route's path), then `/v1` for its version under URI versioning.
   */
  nestPrefixes(route: CallSite['facts']): string[] {
    return [...new Set(this.nestApps.map(({ facts }) => {
      const version = facts.versioning === 'uri' && text(route.version) ? `/${text(facts.versionPrefix) ?? ''}${text(route.version)}` : '';
      const excluded = texts(facts.prefixExclude).includes(String(route.route));
      return (excluded ? '' : text(facts.prefix) ?? '') + version;
    }))];
  }

  /** The full prefixes of what `file` exports under one of `exports`; empty when no mount is visible. */
  prefixes(file: string, exports: readonly string[], hops = 0): string[] {
    if (hops > MAX_MOUNT_HOPS) return [];
    const result = new Set<string>();
    for (const mount of this.byFile.get(file) ?? []) {
      if (!exports.includes(String(mount.facts.export ?? 'default'))) continue;
      const prefix = text(mount.facts.prefix) ?? (mount.facts.prefix === '' ? '' : undefined);
      if (prefix !== undefined && mount.facts.mounted !== false) {
        result.add(prefix);
      } else if (typeof mount.facts.path === 'string') {
        // Mounted on a router that is itself mounted by another module.
        for (const outer of this.prefixes(mount.file, texts(mount.facts.exports), hops + 1)) result.add(outer + mount.facts.path);
      }
    }
    return [...result];
  }
}

/** Modules a mount chain may cross before the inventory gives up on it (cycles, deep trees). */
const MAX_MOUNT_HOPS = 8;

const MODULE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

/** The file among `files` a relative specifier names (`./users`, `./users.js` for `users.ts`, `./users/index`). */
function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(m|c)?(j|t)sx?$/, '');
  const candidates = [base, ...MODULE_EXTENSIONS.map((e) => stem + e), ...MODULE_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find((c) => files.has(c));
}

function joinRoute(prefix: string, route: string): string {
  if (!prefix) return route;
  return route === '/' || route === '' ? prefix : prefix + route;
}

/** Call-site kinds of outgoing HTTP requests (besides node-http's). */
const OUTGOING_HTTP = new Set(['fetch', 'axios.request', 'undici.request', 'got.request', 'node-fetch']);

/** Adds what one call site tells to the inventory; sites that tell nothing we use are ignored. */
export function addSite(inventory: Inventory, site: CallSite, cwd: string, mounts?: Mounts): void {
  if (site.ignored) return;
  const origin: Origin = { file: path.relative(cwd, site.file).split(path.sep).join('/'), line: site.line };
  const { facts, kind } = site;
  if (kind.endsWith('.route')) {
    const route = text(facts.route);
    if (!route) return;
    const method = (text(facts.method) ?? 'GET').toUpperCase();
    const prefixes = facts.mounted !== false || !mounts ? [] : kind === 'nestjs.route' ? mounts.nestPrefixes(facts) : mounts.prefixes(site.file, texts(facts.exports));
    if (prefixes.length > 0) {
      for (const prefix of prefixes) inventory.routes.push({ ...origin, method, route: joinRoute(prefix, route) });
    } else {
      inventory.routes.push({ ...origin, method, route, ...(facts.mounted === false ? { mounted: false as const } : {}) });
    }
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
  } else if (OUTGOING_HTTP.has(kind) || kind.startsWith('node-http.')) {
    // Outgoing HTTP: fetch, http(s).request/get, axios, undici, got, node-fetch. A non-literal URL is kept, unknown.
    const method = text(facts.method)?.toUpperCase();
    inventory.httpCalls.push({ ...origin, ...(method ? { method } : {}), ...(text(facts.url) ? { url: text(facts.url) } : {}) });
  }
}

/** The inventory of an `instrument()` result, in a stable order (file, then line). */
export function inventoryOf(result: InstrumentResult, cwd: string): Inventory {
  const inventory = emptyInventory();
  const sites = result.files.flatMap((f) => f.sites).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const mounts = new Mounts(sites);
  for (const site of sites) addSite(inventory, site, cwd, mounts);
  return inventory;
}

/**
 * The codemod's project step plans the helpers' dependencies in package.json; `go` writes no
 * package.json, so a missing or unreadable one is not its problem.
 */
function isPackageJsonProblem(message: string): boolean {
  return message.startsWith('no package.json at or above ') || /(^|[\\/])package\.json: /.test(message);
}

/**
 * Reads the Node code under `paths` with every transform, in `check` mode (nothing is written),
 * and collects what it serves, calls, produces and consumes.
 */
export async function collectInventory(paths: string[], cwd: string): Promise<{ inventory: Inventory; errors: string[] }> {
  const result = await instrument({ paths, transforms: ALL_TRANSFORMS, mode: 'check', cwd });
  const errors = [...result.errors.filter((e) => !isPackageJsonProblem(e)), ...result.files.flatMap((f) => (f.error ? [f.error] : []))];
  return { inventory: inventoryOf(result, cwd), errors };
}
