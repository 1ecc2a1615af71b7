import ts from '#typescript';
import { objectProperty, staticString } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed } from '../../src/codemod/scope.js';
import type { FoundSite, SourceFile } from '../../src/codemod/types.js';

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

/** Plugins typed as such (`FastifyPluginAsync` from 'fastify'), wherever they are registered. */
function typedPlugins(file: SourceFile): PluginFunction[] {
  const found: PluginFunction[] = [];
  for (const statement of file.ast.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const type = d.type && ts.isTypeReferenceNode(d.type) && ts.isIdentifier(d.type.typeName) ? d.type.typeName : undefined;
      if (!type || !PLUGIN_TYPES.has(type.text) || !isPluginFunction(d.initializer)) continue;
      if (resolveModuleReference(file, type)?.module === 'fastify') found.push(d.initializer);
    }
  }
  return found;
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
 * plugin registered elsewhere (typed `FastifyPluginAsync`, say) carry their own template and
 * `mounted: false`.
 */
export function findRoutes(file: SourceFile, calls: readonly ts.CallExpression[], roots: readonly InstanceScope[]): FoundSite[] {
  const sites: FoundSite[] = [];
  const seen = new Set<PluginFunction>();

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
        const plugin = call.arguments[0] && localPlugin(file, call.arguments[0]);
        const name = plugin && instanceParameter(plugin);
        if (!plugin || !name) continue;
        seen.add(plugin);
        const prefixOption = objectProperty(call.arguments[1], 'prefix');
        const own = prefixOption === undefined ? '' : staticString(prefixOption);
        const prefix = scope.prefix === null || own === undefined ? null : scope.prefix + own.replace(/\/+$/, '');
        visit({ name, within: plugin, prefix }, depth + 1);
      }
      for (const r of registrations) {
        const facts = scope.prefix === null ? { method: r.method, route: r.url, instance: scope.name, mounted: false } : { method: r.method, route: joinPrefix(scope.prefix, r.url), instance: scope.name };
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
