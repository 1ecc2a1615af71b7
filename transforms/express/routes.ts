import ts from 'typescript';
import { METHODS } from 'node:http';
import { staticString } from '../../src/ast.js';
import { isShadowed } from '../../src/scope.js';
import type { FoundSite } from '../../src/types.js';
import type { InstanceKind } from './instances.js';

/** Registration methods Express derives from `http.METHODS`, plus `all` (any method). */
const ROUTE_METHODS = new Set([...METHODS.map((m) => m.toLowerCase()), 'all']);

/** A mount seen in the file: `parent.use(path, child)`; `path` null when not a plain string. */
interface Mount {
  parent: string;
  path: string | null;
}

/** `'/api/'` → `'/api'`, `'/'` → `''`, as the runtime helper joins them. */
function mountTemplate(path: string): string {
  return path.replace(/\/+$/, '');
}

export function joinRoute(prefix: string, route: string): string {
  if (!prefix) return route;
  return route === '/' || route === '' ? prefix : prefix + route;
}

/** `x.name(...)` with `x` one of the file's instances (not hidden by a local name). */
function instanceCall(call: ts.CallExpression, instances: ReadonlyMap<string, InstanceKind>): { instance: string; method: string } | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  const instance = callee.expression.text;
  if (!instances.has(instance) || isShadowed(call, instance)) return undefined;
  return { instance, method: callee.name.text };
}

function collectMounts(calls: readonly ts.CallExpression[], instances: ReadonlyMap<string, InstanceKind>): Map<string, Mount[]> {
  const mounts = new Map<string, Mount[]>();
  for (const call of calls) {
    const target = instanceCall(call, instances);
    if (target?.method !== 'use' || call.arguments.length === 0) continue;
    const [first, ...rest] = call.arguments;
    const literal = staticString(first);
    // As Express reads it, a first argument that is not a function is the path; one that is
    // neither a literal nor obviously a function (a constant, say) makes the prefix unknown.
    const isHandler = (ts.isIdentifier(first!) && instances.has(first.text)) || ts.isCallExpression(first!) || ts.isFunctionLike(first!);
    const path = literal !== undefined ? mountTemplate(literal) : isHandler ? '' : null;
    const hasPath = !isHandler;
    for (const arg of hasPath ? rest : call.arguments) {
      if (!ts.isIdentifier(arg) || !instances.has(arg.text)) continue;
      mounts.set(arg.text, [...(mounts.get(arg.text) ?? []), { parent: target.instance, path }]);
    }
  }
  return mounts;
}

/**
 * Every full prefix an instance is reachable at, from the mounts visible in this file; `null`
 * when one is not statically known (a router mounted elsewhere, a path that is an expression).
 * An app nobody mounts here is the top-level app.
 */
function prefixesOf(name: string, instances: ReadonlyMap<string, InstanceKind>, mounts: ReadonlyMap<string, Mount[]>, visiting = new Set<string>()): (string | null)[] {
  const own = mounts.get(name);
  if (!own || own.length === 0) return [instances.get(name) === 'app' ? '' : null];
  if (visiting.has(name)) return [null];
  visiting.add(name);
  const result = own.flatMap((m) => prefixesOf(m.parent, instances, mounts, visiting).map((p) => (p === null || m.path === null ? null : p + m.path)));
  visiting.delete(name);
  return [...new Set(result)];
}

/** The registrations `x.get('/p', …)` and `x.route('/p').get(…).post(…)` on an instance. */
function registrations(calls: readonly ts.CallExpression[], instances: ReadonlyMap<string, InstanceKind>) {
  const found: { node: ts.CallExpression; instance: string; method: string; route: string }[] = [];
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
 * The route inventory of a file: one `express.route` site per statically visible registration,
 * with its method (`ALL` for `all`) and full route template. Routes of a router whose mount
 * is not visible in this file carry their own template and `mounted: false`.
 */
export function findRoutes(calls: readonly ts.CallExpression[], instances: ReadonlyMap<string, InstanceKind>): FoundSite[] {
  if (instances.size === 0) return [];
  const mounts = collectMounts(calls, instances);
  const sites: FoundSite[] = [];
  for (const registration of registrations(calls, instances)) {
    const method = registration.method.toUpperCase();
    for (const prefix of prefixesOf(registration.instance, instances, mounts)) {
      const facts = prefix === null
        ? { method, route: registration.route, instance: registration.instance, mounted: false }
        : { method, route: joinRoute(prefix, registration.route), instance: registration.instance };
      sites.push({ node: registration.node, site: { kind: 'express.route', instrumented: true, facts } });
    }
  }
  return sites;
}
