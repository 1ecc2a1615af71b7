import ts from '#typescript';
import { METHODS } from 'node:http';
import { objectProperty, staticString } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FoundSite, SourceFile } from '../../src/codemod/types.js';
import { exportNames } from '../express/exports.js';
import { instanceAt, instanceVariable, type Instance } from '../express/instances.js';
import { joinRoute } from '../express/routes.js';

/** Registration methods of @koa/router: every `http.METHODS` verb, `all`, and `del` for `delete`. */
const ROUTE_METHODS = new Set([...METHODS.map((m) => m.toLowerCase()), 'all', 'del']);

/** Methods that return the router, so calls chain (`router.get(…).post(…)`). */
const CHAINING = new Set([...ROUTE_METHODS, 'use', 'prefix', 'param', 'redirect']);

/** `new Router()` of @koa/router (default or named `Router` export) or the older koa-router. */
export function isRouterClass(file: SourceFile, callee: ts.Expression): boolean {
  const ref = resolveModuleReference(file, callee);
  if (!ref) return false;
  const known = (ref.module === '@koa/router' && (ref.path.length === 0 || (ref.path.length === 1 && ref.path[0] === 'Router'))) || (ref.module === 'koa-router' && ref.path.length === 0);
  const root = rootIdentifier(callee);
  return known && !(root && isShadowed(callee, root.text));
}

interface Router extends Instance {
  /** The router's own prefix (`new Router({ prefix })`, `router.prefix()`); null when not static. */
  prefix: string | null;
}

type Routers = ReadonlyMap<ts.Node, Router>;

/** A router mounted in another: `parent.use('/v1', child.routes())`; `path` null when not static. */
interface Nesting {
  parent: Router;
  path: string | null;
}

/** The router a call is made on, through chains (`router.prefix('/x').get(…)`). */
function receiver(expr: ts.Expression, routers: Routers): Router | undefined {
  if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && CHAINING.has(expr.expression.name.text)) return receiver(expr.expression.expression, routers);
  return instanceAt(expr, routers) as Router | undefined;
}

/** `x.routes()` / `x.middleware()` of a router of this file. */
function mountedRouter(expr: ts.Expression, routers: Routers): Router | undefined {
  if (!ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression)) return undefined;
  const method = expr.expression.name.text;
  return method === 'routes' || method === 'middleware' ? receiver(expr.expression.expression, routers) : undefined;
}

function normalizedPrefix(value: string | undefined): string | null {
  return value === undefined ? null : value.replace(/\/$/, '');
}

/**
 * The route inventory of a file: one `koa.route` site per statically visible registration on a
 * @koa/router router, with its method (`ALL` for `all`) and its full template: the router's
 * prefix and those of the routers it is nested in (`api.use('/v1', v1.routes())`). A router that
 * no router of this file nests, and that no app here uses, carries `mounted: false` and the
 * names the module exports it under.
 */
export function findRoutes(file: SourceFile, births: readonly ts.NewExpression[]): FoundSite[] {
  const routers = new Map<ts.Node, Router>();
  for (const birth of births) {
    const variable = instanceVariable(birth);
    if (!variable) continue;
    const options = birth.arguments?.[0];
    const prefix = options ? normalizedPrefix(staticString(objectProperty(options, 'prefix')) ?? (objectProperty(options, 'prefix') ? undefined : '')) : '';
    routers.set(variable.declaration, { ...variable, kind: 'router', prefix });
  }

  const nestings = new Map<ts.Node, Nesting[]>();
  const usedByApp = new Set<ts.Node>();
  const external: { node: ts.CallExpression; parent: Router | undefined; path: string | null; module: string; export: string }[] = [];
  const registrations: { node: ts.CallExpression; router: Router; method: string; route: string }[] = [];
  const visit = (node: ts.Node): void => {
    ts.forEachChild(node, visit);
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const method = node.expression.name.text;
    const router = receiver(node.expression.expression, routers);
    if (method === 'use') {
      // As @koa/router reads it: a leading string or array of strings is the mount path.
      const first = node.arguments[0];
      const hasPath = !!first && (ts.isStringLiteralLike(first) || ts.isArrayLiteralExpression(first));
      const path = first && ts.isStringLiteralLike(first) ? normalizedPrefix(first.text) : hasPath ? null : '';
      for (const arg of node.arguments.slice(hasPath ? 1 : 0)) {
        const child = mountedRouter(arg, routers);
        if (!child) {
          const imported = importedRouter(file, arg);
          if (imported) external.push({ node, parent: router, path, module: imported.module, export: imported.path[0] ?? 'default' });
          continue;
        }
        if (router) nestings.set(child.declaration, [...(nestings.get(child.declaration) ?? []), { parent: router, path }]);
        else usedByApp.add(child.declaration);
      }
      return;
    }
    if (!router) return;
    if (method === 'prefix') {
      router.prefix = normalizedPrefix(staticString(node.arguments[0]));
      return;
    }
    if (!ROUTE_METHODS.has(method)) return;
    // `router.get('name', '/path', …)` names the route.
    const [first, second] = node.arguments;
    const named = staticString(first) !== undefined && staticString(second) !== undefined;
    const route = staticString(named ? second : first);
    if (route !== undefined && node.arguments.length >= 2) registrations.push({ node, router, method: method === 'del' ? 'DELETE' : method.toUpperCase(), route });
  };
  visit(file.ast);

  /** Every full prefix a router's routes get; null when one is not static or not visible here. */
  const prefixesOf = (router: Router, seen: ReadonlySet<ts.Node> = new Set()): (string | null)[] => {
    const own = router.prefix;
    const outer = nestings.get(router.declaration) ?? [];
    if (outer.length === 0 || seen.has(router.declaration)) return [own];
    const within = new Set([...seen, router.declaration]);
    return [...new Set(outer.flatMap((n) => prefixesOf(n.parent, within).map((p) => (p === null || n.path === null || own === null ? null : p + n.path + own))))];
  };
  const isMounted = (router: Router): boolean => usedByApp.has(router.declaration) || (nestings.get(router.declaration) ?? []).some((n) => isMounted(n.parent));

  const sites: FoundSite[] = [];
  for (const r of registrations) {
    const instance = r.router.name;
    for (const prefix of prefixesOf(r.router)) {
      const mounted = prefix !== null && isMounted(r.router);
      const via = mounted ? [] : exportNames(file, r.router);
      const facts = mounted
        ? { method: r.method, route: joinRoute(prefix, r.route), instance }
        : { method: r.method, route: prefix === null ? r.route : joinRoute(prefix, r.route), instance, mounted: false, ...(via.length > 0 ? { exports: via } : {}) };
      sites.push({ node: r.node, site: { kind: 'koa.route', instrumented: true, facts } });
    }
  }
  // Routers of other modules of the project used here: the inventory prefixes their unmounted routes.
  for (const m of external) {
    for (const prefix of m.parent ? prefixesOf(m.parent) : ['']) {
      const known = prefix !== null && m.path !== null && (!m.parent || isMounted(m.parent));
      const via = known || !m.parent ? [] : exportNames(file, m.parent);
      const facts = known
        ? { prefix: prefix + m.path, module: m.module, export: m.export, instance: m.parent?.name ?? 'app' }
        : { module: m.module, export: m.export, instance: m.parent?.name, mounted: false, ...(prefix !== null && m.path !== null ? { path: prefix + m.path } : {}), ...(via.length > 0 ? { exports: via } : {}) };
      sites.push({ node: m.node, site: { kind: 'koa.mount', instrumented: true, facts } });
    }
  }
  return sites;
}

/** `users.routes()` with `users` (or `require('./users')`) a router of another module of the project. */
function importedRouter(file: SourceFile, expr: ts.Expression) {
  if (!ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression)) return undefined;
  const method = expr.expression.name.text;
  if (method !== 'routes' && method !== 'middleware') return undefined;
  const ref = resolveModuleReference(file, expr.expression.expression);
  return ref && ref.module.startsWith('.') && ref.path.length <= 1 ? ref : undefined;
}
