import ts from '#typescript';
import { callExpressions, isWrappedBy, objectProperty, staticString, walk, wrapEdits } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FindContext, FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';
import { fetchFacts } from '../fetch/index.js';

const HELPER = 'helper:undici';
/** Wraps a dispatcher created at the call site; aliases a module function (global dispatcher). */
const WRAPPER = 'instrumentUndici';
const ALIAS = 'tracedUndici';

/** Module functions that send a request through a dispatcher (`connect`, `upgrade`: no HTTP exchange to trace). */
const FUNCTIONS = new Set(['request', 'fetch', 'stream', 'pipeline']);
/** Dispatchers whose requests carry their origin (agents) or that keep one (`Client`, `Pool`). */
const DISPATCHERS = new Set(['Client', 'Pool', 'Agent', 'ProxyAgent', 'EnvHttpProxyAgent', 'RetryAgent']);
/** Instance methods that dispatch one request. */
const INSTANCE_METHODS = new Set(['request', 'stream', 'pipeline']);

/** The undici export an expression names (`request`, `undici.Pool`, `require('undici').fetch`), unless shadowed. */
function undiciExport(file: SourceFile, expr: ts.Expression): string | undefined {
  const ref = resolveModuleReference(file, expr);
  if (!ref || ref.module !== 'undici' || ref.path.length !== 1) return undefined;
  const root = rootIdentifier(expr);
  if (root && isShadowed(expr, root.text)) return undefined;
  return ref.path[0];
}

function joinOrigin(origin: string | undefined, path: string | undefined): string | undefined {
  if (origin === undefined || path === undefined) return undefined;
  return `${origin.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** undici's default method: `opts.method`, else PUT with a body, else GET. */
function defaultMethod(options: ts.Expression | undefined): string | undefined {
  if (!options) return 'GET';
  const method = staticString(objectProperty(options, 'method'));
  if (method) return method.toUpperCase();
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  return objectProperty(options, 'body') ? 'PUT' : 'GET';
}

/** `request(url, options?)`, `stream(url, options, factory)`, `pipeline(url, options, handler)`. */
function moduleCallFacts(call: ts.CallExpression, name: string) {
  if (name === 'fetch') return fetchFacts(call);
  const [url, second] = call.arguments;
  const options = second && !ts.isFunctionLike(second) ? second : undefined;
  const path = staticString(objectProperty(options, 'path'));
  const literal = staticString(url);
  return { method: defaultMethod(options), url: path !== undefined ? joinOrigin(originOf(literal), path) : literal };
}

/** `client.request({ path, method })`: the URL is the client's origin (or `opts.origin`) and the path. */
function instanceCallFacts(call: ts.CallExpression, origin: string | undefined) {
  const [options] = call.arguments;
  const method = staticString(objectProperty(options, 'method'))?.toUpperCase();
  const url = joinOrigin(staticString(objectProperty(options, 'origin')) ?? origin, staticString(objectProperty(options, 'path')));
  return { method, url };
}

/** The variable a created dispatcher is assigned to (`const pool = new Pool(…)` → `pool`). */
function instanceName(node: ts.Expression): string | undefined {
  let outer: ts.Node = node;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || (ts.isCallExpression(outer.parent) && ts.isIdentifier(outer.parent.expression) && outer.parent.expression.text === WRAPPER))) outer = outer.parent;
  const parent = outer.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function originOf(literal: string | undefined): string | undefined {
  try {
    return literal === undefined ? undefined : new URL(literal).origin;
  } catch {
    return undefined;
  }
}

function dispatcherSites(file: SourceFile, context: FindContext, sites: FoundSite[], instances: Map<string, string | undefined>): void {
  walk(file.ast, (node) => {
    if (!ts.isNewExpression(node)) return;
    const name = undiciExport(file, node.expression);
    if (name === 'BalancedPool') {
      context.warn(node, 'undici BalancedPool is not instrumented: its requests name no origin; wrap each upstream Pool with instrumentUndici() or use a Pool');
      return;
    }
    if (!name || !DISPATCHERS.has(name)) return;
    const origin = name === 'Client' || name === 'Pool' ? originOf(staticString(node.arguments?.[0])) : undefined;
    const instance = instanceName(node);
    if (instance) instances.set(instance, origin);
    const instrumented = isWrappedBy(node, [WRAPPER]);
    const site = { kind: 'undici.dispatcher', instrumented, facts: { dispatcher: name, instance, origin } };
    sites.push({ node, site, ...(instrumented ? {} : { plan: { edits: wrapEdits(file.ast, node, WRAPPER), imports: [{ from: HELPER, name: WRAPPER }] } }) });
  });
}

/**
 * undici: dispatchers created in the code (`new Client(origin)`, `new Pool(origin)`,
 * `new Agent()`, proxy and retry agents) become `instrumentUndici(new Pool(…))`, so every request
 * through them is traced; the module functions on the global dispatcher (`request`, `fetch`,
 * `stream`, `pipeline`) go through their traced alias, `tracedUndici(request)(…)`, so only the
 * rewritten call sites are traced, not other users of the global dispatcher. Requests through a
 * dispatcher created in the same file are reported (method, URL with its origin) and need no
 * edit of their own.
 */
export const undiciTransform: Transform = {
  id: 'undici',
  description: 'undici Client/Pool/Agent instances and request/fetch/stream/pipeline: CLIENT span per dispatched request',
  packages: { undici: '>=6.0.0' },
  triggers: ['undici'],
  helpers: ['undici'],
  find(file, context) {
    const sites: FoundSite[] = [];
    const instances = new Map<string, string | undefined>();
    dispatcherSites(file, context, sites, instances);
    for (const call of callExpressions(file.ast)) {
      const callee = call.expression;
      const name = undiciExport(file, callee);
      if (name && FUNCTIONS.has(name)) {
        sites.push({
          node: call,
          site: { kind: 'undici.request', instrumented: false, facts: moduleCallFacts(call, name) },
          plan: { edits: wrapEdits(file.ast, callee, ALIAS), imports: [{ from: HELPER, name: ALIAS }] },
        });
        continue;
      }
      // `tracedUndici(request)(…)`: an earlier run's rewrite.
      if (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === ALIAS && callee.arguments.length === 1) {
        const wrapped = undiciExport(file, callee.arguments[0]!);
        if (wrapped && FUNCTIONS.has(wrapped)) sites.push({ node: call, site: { kind: 'undici.request', instrumented: true, facts: moduleCallFacts(call, wrapped) } });
        continue;
      }
      // Requests through a dispatcher created in this file: traced by its wrapper.
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && instances.has(callee.expression.text) && INSTANCE_METHODS.has(callee.name.text)) {
        const facts = { ...instanceCallFacts(call, instances.get(callee.expression.text)), instance: callee.expression.text };
        sites.push({ node: call, site: { kind: 'undici.request', instrumented: true, facts } });
      }
    }
    return sites;
  },
};
