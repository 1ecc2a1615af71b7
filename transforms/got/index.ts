import ts from '#typescript';
import { callExpressions, isWrappedBy, objectProperty, staticString, wrapEdits } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';

const HELPER = 'helper:got';
const WRAPPER = 'instrumentGot';

/** Members of a got instance that make a request (`got.stream.get`, `got.paginate.all` start with them too). */
const REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'head', 'delete', 'stream', 'paginate']);

/** The member path below a reference to the got instance (`got`, the named export `got`, `require('got')`), unless shadowed. */
function gotPath(file: SourceFile, expr: ts.Expression): string[] | undefined {
  const ref = resolveModuleReference(file, expr);
  if (!ref || ref.module !== 'got') return undefined;
  const root = rootIdentifier(expr);
  if (root && isShadowed(expr, root.text)) return undefined;
  const path = ref.path[0] === 'got' ? ref.path.slice(1) : ref.path;
  return path[0] === 'default' ? path.slice(1) : path;
}

/** The instance expression `depth` members above a callee: `got` in `got.stream.get(…)` (2). */
function instanceOf(callee: ts.Expression, depth: number): ts.Expression {
  let expr = callee;
  for (let i = 0; i < depth; i++) expr = (expr as ts.PropertyAccessExpression).expression;
  return expr;
}

function joinPrefix(prefixUrl: string | undefined, url: string | undefined): string | undefined {
  if (url === undefined || prefixUrl === undefined) return url;
  return `${prefixUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/**
 * Method and URL of `got(url, options?)`, `got(options)`, `got.post(url, options?)`,
 * `got.stream.put(url)`: the method member, else `options.method`, else GET.
 */
function requestFacts(call: ts.CallExpression, members: string[], prefixUrl: string | undefined) {
  const [first, second] = call.arguments;
  const optionsOnly = !!first && ts.isObjectLiteralExpression(first);
  const options = optionsOnly ? first : second;
  const url = optionsOnly ? staticString(objectProperty(first, 'url')) : staticString(first);
  const named = members.find((m) => REQUEST_METHODS.has(m) && m !== 'stream' && m !== 'paginate');
  const known = !options || ts.isObjectLiteralExpression(options);
  const method = named ?? staticString(objectProperty(options, 'method')) ?? (known ? 'get' : undefined);
  return { method: method?.toUpperCase(), url: joinPrefix(staticString(objectProperty(options, 'prefixUrl')) ?? prefixUrl, url) };
}

/** The variable an extended instance is assigned to (`const api = got.extend(…)` → `api`). */
function instanceName(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || (ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && node.parent.expression.text === WRAPPER))) node = node.parent;
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** `instrumentGot(got)`: the default instance's traced copy, from an earlier run. */
function isTracedDefault(file: SourceFile, expr: ts.Expression): boolean {
  if (!ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== WRAPPER) return false;
  const [arg] = expr.arguments;
  return !!arg && gotPath(file, arg)?.length === 0;
}

/** `got.stream.get` → `['stream', 'get']` below `base`, when the callee is a plain member chain. */
function membersBelow(callee: ts.Expression): { base: ts.Expression; members: string[] } {
  const members: string[] = [];
  let expr = callee;
  while (ts.isPropertyAccessExpression(expr)) {
    members.unshift(expr.name.text);
    expr = expr.expression;
  }
  return { base: expr, members };
}

/**
 * got: instances from `got.extend(…)` become `instrumentGot(got.extend(…))` (every call through
 * them, and through instances extended from them, is traced), and calls on the shared default
 * instance (`got(…)`, `got.get(…)`, `got.stream(…)`, `got.paginate(…)`) go through its traced
 * copy `instrumentGot(got)`, so only the rewritten call sites are traced. Calls on an instance
 * extended in the same file are reported (method, URL with the instance's `prefixUrl`) and need
 * no edit of their own.
 */
export const gotTransform: Transform = {
  id: 'got',
  description: 'got default instance and got.extend() instances: CLIENT span per call via got handlers',
  packages: { got: '>=12.0.0' },
  triggers: ['got'],
  helpers: ['got'],
  find(file) {
    const sites: FoundSite[] = [];
    const instances = new Map<string, string | undefined>();
    const calls = callExpressions(file.ast);
    for (const call of calls) {
      const callee = call.expression;
      const path = gotPath(file, callee);
      if (path?.length === 1 && path[0] === 'extend') {
        const name = instanceName(call);
        const prefixUrl = staticString(objectProperty(call.arguments[0], 'prefixUrl'));
        if (name) instances.set(name, prefixUrl);
        const site = { kind: 'got.instance', instrumented: isWrappedBy(call, [WRAPPER]), facts: { instance: name, prefixUrl } };
        sites.push({ node: call, site, ...(site.instrumented ? {} : { plan: { edits: wrapEdits(file.ast, call, WRAPPER), imports: [{ from: HELPER, name: WRAPPER }] } }) });
        continue;
      }
      if (path && (path.length === 0 || REQUEST_METHODS.has(path[0]!))) {
        sites.push({
          node: call,
          site: { kind: 'got.request', instrumented: false, facts: requestFacts(call, path, undefined) },
          plan: { edits: wrapEdits(file.ast, instanceOf(callee, path.length), WRAPPER), imports: [{ from: HELPER, name: WRAPPER }] },
        });
        continue;
      }
      const { base, members } = membersBelow(callee);
      if (members.length > 0 && !REQUEST_METHODS.has(members[0]!)) continue;
      if (isTracedDefault(file, base)) {
        sites.push({ node: call, site: { kind: 'got.request', instrumented: true, facts: requestFacts(call, members, undefined) } });
      } else if (ts.isIdentifier(base) && instances.has(base.text) && !file.bindings.has(base.text)) {
        const facts = { ...requestFacts(call, members, instances.get(base.text)), instance: base.text };
        sites.push({ node: call, site: { kind: 'got.request', instrumented: true, facts } });
      }
    }
    return sites;
  },
};
