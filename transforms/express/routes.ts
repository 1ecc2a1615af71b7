import ts from '#typescript';
import { METHODS } from 'node:http';
import { staticString } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { exportNames } from './exports.js';
import type { FoundSite, SourceFile } from '../../src/codemod/types.js';
import { instanceAt, type Instance } from './instances.js';

/** Registration methods Express derives from `http.METHODS`, plus `all` (any method). */
const ROUTE_METHODS = new Set([...METHODS.map((m) => m.toLowerCase()), 'all']);

/** A mount seen in the file: `parent.use(path, child)`; `path` null when not a plain string. */
interface Mount {
  parent: Instance;
  path: string | null;
  /** The mounted expression (an instance of this file, or a router imported from another). */
  child: ts.Expression;
  node: ts.CallExpression;
}

/** `'/api/'` → `'/api'`, `'/'` → `''`, as the runtime helper joins them. */
function mountTemplate(path: string): string {
  return path.replace(/\/+$/, '');
}

export function joinRoute(prefix: string, route: string): string {
  if (!prefix) return route;
  return route === '/' || route === '' ? prefix : prefix + route;
}

type Instances = ReadonlyMap<ts.Node, Instance>;

/** `x.name(...)` with `x` one of the file's instances, as declared where the call is. */
function instanceCall(call: ts.CallExpression, instances: Instances): { instance: Instance; method: string } | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const instance = instanceAt(callee.expression, instances);
  return instance ? { instance, method: callee.name.text } : undefined;
}

function collectMounts(file: SourceFile, calls: readonly ts.CallExpression[], instances: Instances): Map<ts.Node | symbol, Mount[]> {
  const mounts = new Map<ts.Node | symbol, Mount[]>();
  for (const call of calls) {
    const target = instanceCall(call, instances);
    if (target?.method !== 'use' || call.arguments.length === 0) continue;
    const [first, ...rest] = call.arguments;
    const literal = staticString(first);
    // As Express reads it, a first argument that is not a function is the path. One that is
    // neither a literal nor plainly a handler (an instance, a call, a function, something
    // imported) is taken for a path that is not known statically (a constant, say).
    const isHandler = instanceAt(first!, instances) !== undefined || ts.isCallExpression(first!) || ts.isFunctionLike(first!) || resolveModuleReference(file, first!) !== undefined;
    const path = literal !== undefined ? mountTemplate(literal) : isHandler ? '' : null;
    const hasPath = !isHandler;
    for (const arg of hasPath ? rest : call.arguments) {
      const key = instanceAt(arg, instances)?.declaration ?? EXTERNAL;
      mounts.set(key, [...(mounts.get(key) ?? []), { parent: target.instance, path, child: arg, node: call }]);
    }
  }
  return mounts;
}

/** Key of the mounts whose child is not an instance of this file. */
const EXTERNAL = Symbol('external');

/**
 * Every full prefix an instance is reachable at, from the mounts visible in this file; `null`
 * when one is not statically known (a router mounted elsewhere, a path that is an expression).
 * An app nobody mounts here is the top-level app.
 */
function prefixesOf(instance: Instance, mounts: ReadonlyMap<ts.Node | symbol, Mount[]>, visiting = new Set<ts.Node>()): (string | null)[] {
  const own = mounts.get(instance.declaration);
  if (!own || own.length === 0) return [instance.kind === 'app' ? '' : null];
  if (visiting.has(instance.declaration)) return [null];
  visiting.add(instance.declaration);
  const result = own.flatMap((m) => prefixesOf(m.parent, mounts, visiting).map((p) => (p === null || m.path === null ? null : p + m.path)));
  visiting.delete(instance.declaration);
  return [...new Set(result)];
}

/** The registrations `x.get('/p', …)` and `x.route('/p').get(…).post(…)` on an instance. */
function registrations(calls: readonly ts.CallExpression[], instances: Instances) {
  const found: { node: ts.CallExpression; instance: Instance; method: string; route: string }[] = [];
  for (const call of calls) {
    const target = instanceCall(call, instances);
    if (!target) continue;
    const route = staticString(call.arguments[0]);
    if (route === undefined) continue;
    // `app.get('setting')` reads a setting.
    if (ROUTE_METHODS.has(target.method) && call.arguments.length >= 2) {
      found.push({ node: call, instance: target.instance, method: target.method, route });
    } else if (target.method === 'route') {
      let node: ts.Node = call;
      while (ts.isPropertyAccessExpression(node.parent) && ts.isCallExpression(node.parent.parent) && node.parent.parent.expression === node.parent) {
        const method = node.parent.name.text;
        if (!ROUTE_METHODS.has(method)) break;
        node = node.parent.parent;
        found.push({ node: node as ts.CallExpression, instance: target.instance, method, route });
      }
    }
  }
  return found;
}

/**
 * What a mounted expression refers to in another module of the project: an imported router
 * (`orders`, `require('./users')`), or the router an imported function returns
 * (`usersRouter(db)`, `require('./users')(db)`).
 */
function mountedModule(file: SourceFile, child: ts.Expression) {
  const ref = resolveModuleReference(file, child) ?? (ts.isCallExpression(child) ? resolveModuleReference(file, child.expression) : undefined);
  return ref && ref.module.startsWith('.') && ref.path.length <= 1 ? ref : undefined;
}

/**
 * Routers imported from another module of the project and mounted here
 * (`app.use('/api/orders', orders)` with `orders` from `./orders.js`, `app.use('/api/users',
 * usersRouter(db))`): one `express.mount` site each, so the inventory can prefix that module's
 * unmounted routes. A mount on a router whose own prefix is not visible here carries the names
 * the router is exported as, so the inventory can follow a chain of modules.
 */
function externalMounts(file: SourceFile, mounts: ReadonlyMap<ts.Node | symbol, Mount[]>): FoundSite[] {
  const sites: FoundSite[] = [];
  for (const mount of mounts.get(EXTERNAL) ?? []) {
    const ref = mountedModule(file, mount.child);
    if (!ref) continue;
    for (const prefix of prefixesOf(mount.parent, mounts)) {
      const known = prefix !== null && mount.path !== null;
      const via = known ? [] : exportNames(file, mount.parent);
      const facts = {
        prefix: known ? prefix + mount.path : undefined,
        module: ref.module,
        export: ref.path[0] ?? 'default',
        instance: mount.parent.name,
        ...(known ? {} : { mounted: false, ...(mount.path !== null ? { path: mount.path } : {}), ...(via.length > 0 ? { exports: via } : {}) }),
      };
      sites.push({ node: mount.node, site: { kind: 'express.mount', instrumented: true, facts } });
    }
  }
  return sites;
}

/**
 * The route inventory of a file: one `express.route` site per statically visible registration,
 * with its method (`ALL` for `all`) and full route template. Routes of a router whose mount
 * is not visible in this file carry their own template, `mounted: false` and the names the
 * module exports the router as (`exports`: the router itself, or the function that returns it),
 * which the inventory matches with the `express.mount` sites of the modules that mount it.
 */
export function findRoutes(file: SourceFile, calls: readonly ts.CallExpression[], instances: Instances): FoundSite[] {
  if (instances.size === 0) return [];
  const mounts = collectMounts(file, calls, instances);
  const sites: FoundSite[] = [];
  for (const registration of registrations(calls, instances)) {
    const method = registration.method.toUpperCase();
    const instance = registration.instance.name;
    for (const prefix of prefixesOf(registration.instance, mounts)) {
      const via = prefix === null ? exportNames(file, registration.instance) : [];
      const facts = prefix === null
        ? { method, route: registration.route, instance, mounted: false, ...(via.length > 0 ? { exports: via } : {}) }
        : { method, route: joinRoute(prefix, registration.route), instance };
      sites.push({ node: registration.node, site: { kind: 'express.route', instrumented: true, facts } });
    }
  }
  sites.push(...externalMounts(file, mounts));
  return sites;
}
