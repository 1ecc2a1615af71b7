import ts from '#typescript';
import { objectProperty, staticString } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed } from '../../src/codemod/scope.js';
import type { FoundSite, SourceFile } from '../../src/codemod/types.js';
import { functionExportNames } from '../express/exports.js';

/** Fastify's shorthand registration methods (`all` registers every method). */
const SHORTHANDS = new Set(['get', 'head', 'post', 'put', 'delete', 'options', 'patch', 'all']);

/** Types a plugin function is declared with (`const api: FastifyPluginAsync = async (i) => …`). */
const PLUGIN_TYPES = new Set(['FastifyPluginAsync', 'FastifyPluginCallback', 'FastifyPluginAsyncTypebox', 'FastifyPluginAsyncZod', 'FastifyPluginCallbackTypebox']);

type PluginFunction = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration;

/**
 * Where routes can be registered: an instance's name and the node its binding belongs to (the
 * file or block that declares the root instance, or a plugin function whose first parameter is
 * the child instance). `prefix` is null when not statically known (a plugin registered in another
 * file, a computed prefix).
 */
export interface InstanceScope {
  name: string;
  within: ts.Node;
  prefix: string | null;
}

/** Fastify's join: `'/v1'` + `'/'` → `'/v1'` (the prefix itself), otherwise concatenation. */
function joinPrefix(prefix: string, url: string): string {
  if (!prefix) return url || '/';
  return url === '/' || url === '' ? prefix : prefix + url;
}

/** `name.method(...)` where `name` is the scope's instance at that point of the code. */
function scopeCall(call: ts.CallExpression, scope: InstanceScope): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== scope.name) return undefined;
  if (call.pos < scope.within.pos || call.end > scope.within.end || isShadowed(call, scope.name, scope.within)) return undefined;
  return callee.name.text;
}

function isPluginFunction(node: ts.Node | undefined): node is PluginFunction {
  return !!node && (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node));
}

/** The first parameter's name, the plugin's instance. */
function instanceParameter(plugin: PluginFunction): string | undefined {
  const first = plugin.parameters[0];
  return first && ts.isIdentifier(first.name) ? first.name.text : undefined;
}

/** A plugin given by name, declared in this file (`function v1(i) {…}`, `const v1 = async (i) => …`). */
function localPlugin(file: SourceFile, expr: ts.Expression): PluginFunction | undefined {
  if (isPluginFunction(expr)) return expr;
  if (!ts.isIdentifier(expr)) return undefined;
  for (const statement of file.ast.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === expr.text) return statement;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === expr.text && isPluginFunction(d.initializer)) return d.initializer;
      }
    }
  }
  return undefined;
}

/** `T` when it is a type of that name imported from 'fastify'. */
function isFastifyType(file: SourceFile, type: ts.TypeNode | undefined, names: ReadonlySet<string>): boolean {
  const name = type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) ? type.typeName : undefined;
  return !!name && names.has(name.text) && resolveModuleReference(file, name)?.module === 'fastify';
}

const INSTANCE_TYPES = new Set(['FastifyInstance']);

/**
 * Plugins typed as such, wherever they are registered: declared `FastifyPluginAsync` (from
 * 'fastify'), or top-level functions whose first parameter is a `FastifyInstance`
 * (`export async function usersRoutes(app: FastifyInstance) {…}`).
 */
function typedPlugins(file: SourceFile): PluginFunction[] {
  const found: PluginFunction[] = [];
  const takesInstance = (fn: PluginFunction) => isFastifyType(file, fn.parameters[0]?.type, INSTANCE_TYPES);
  for (const statement of file.ast.statements) {
    if (ts.isFunctionDeclaration(statement) && takesInstance(statement)) found.push(statement);
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!isPluginFunction(d.initializer)) continue;
      if (isFastifyType(file, d.type, PLUGIN_TYPES) || takesInstance(d.initializer)) found.push(d.initializer);
    }
  }
  return found;
}

/**
 * A plugin of another module of the project, registered here (`app.register(usersRoutes, {
 * prefix: '/api/users' })` with `usersRoutes` imported from `./users.js`, or `require('./users')`).
 */
function importedPlugin(file: SourceFile, expr: ts.Expression | undefined) {
  if (!expr) return undefined;
  const ref = resolveModuleReference(file, expr);
  return ref && ref.module.startsWith('.') && ref.path.length <= 1 ? ref : undefined;
}

/** The methods of a `route({ method })` option: a string or an array of strings. */
function routeMethods(expr: ts.Expression | undefined): string[] {
  const single = staticString(expr);
  if (single !== undefined) return [single.toUpperCase()];
  if (expr && ts.isArrayLiteralExpression(expr)) return expr.elements.map(staticString).filter((m): m is string => m !== undefined).map((m) => m.toUpperCase());
  return [];
}

interface Registration {
  node: ts.CallExpression;
  method: string;
  url: string;
}

/**
 * The route inventory of a file: one `fastify.route` site per statically visible registration
 * (`x.get('/p', …)`, `x.route({ method, url })`), with its method (`ALL` for `all`) and the full
 * template including every `register(plugin, { prefix })` prefix seen in the file. Routes of a
 * plugin registered elsewhere (typed `FastifyPluginAsync` or taking a `FastifyInstance`) carry
 * their own template, `mounted: false` and the names the module exports the plugin under; a
 * plugin imported from another module of the project and registered here is a `fastify.mount`
 * site with its prefix, which the inventory joins with that module's routes.
 */
export function findRoutes(file: SourceFile, calls: readonly ts.CallExpression[], roots: readonly InstanceScope[]): FoundSite[] {
  const sites: FoundSite[] = [];
  const seen = new Set<PluginFunction>();
  // The names this module exports an unmounted plugin under (a plugin function is its own export).
  const exportsOf = (scope: InstanceScope): string[] => (isPluginFunction(scope.within) ? functionExportNames(file, scope.within) : []);

  const visit = (scope: InstanceScope, depth: number) => {
    if (depth > 16) return;
    for (const call of calls) {
      const method = scopeCall(call, scope);
      if (!method) continue;
      const registrations: Registration[] = [];
      if (SHORTHANDS.has(method) && call.arguments.length >= 2) {
        const url = staticString(call.arguments[0]);
        if (url !== undefined) registrations.push({ node: call, method: method.toUpperCase(), url });
      } else if (method === 'route') {
        const options = call.arguments[0];
        const url = staticString(objectProperty(options, 'url') ?? objectProperty(options, 'path'));
        if (url !== undefined) for (const m of routeMethods(objectProperty(options, 'method'))) registrations.push({ node: call, method: m, url });
      } else if (method === 'register') {
        const prefixOption = objectProperty(call.arguments[1], 'prefix');
        const own = prefixOption === undefined ? '' : staticString(prefixOption);
        const path = own === undefined ? null : own.replace(/\/+$/, '');
        const prefix = scope.prefix === null || path === null ? null : scope.prefix + path;
        const plugin = call.arguments[0] && localPlugin(file, call.arguments[0]);
        const name = plugin && instanceParameter(plugin);
        if (plugin && name) {
          seen.add(plugin);
          visit({ name, within: plugin, prefix }, depth + 1);
          continue;
        }
        const imported = importedPlugin(file, call.arguments[0]);
        if (!imported) continue;
        // For the inventory, which prefixes the routes that module reports as unmounted.
        const via = prefix === null ? exportsOf(scope) : [];
        const facts = {
          prefix: prefix ?? undefined,
          module: imported.module,
          export: imported.path[0] ?? 'default',
          instance: scope.name,
          ...(prefix === null ? { mounted: false, ...(path !== null ? { path } : {}), ...(via.length > 0 ? { exports: via } : {}) } : {}),
        };
        sites.push({ node: call, site: { kind: 'fastify.mount', instrumented: true, facts } });
      }
      for (const r of registrations) {
        const via = scope.prefix === null ? exportsOf(scope) : [];
        const facts = scope.prefix === null
          ? { method: r.method, route: r.url, instance: scope.name, mounted: false, ...(via.length > 0 ? { exports: via } : {}) }
          : { method: r.method, route: joinPrefix(scope.prefix, r.url), instance: scope.name };
        sites.push({ node: r.node, site: { kind: 'fastify.route', instrumented: true, facts } });
      }
    }
  };

  for (const root of roots) visit(root, 0);
  for (const plugin of typedPlugins(file)) {
    const name = instanceParameter(plugin);
    if (name && !seen.has(plugin)) visit({ name, within: plugin, prefix: null }, 0);
  }
  return sites;
}
