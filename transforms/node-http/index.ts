import ts from '#typescript';
import { callExpressions, objectProperty, staticString } from '../../src/codemod/ast.js';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { isShadowed, rootIdentifier } from '../../src/codemod/scope.js';
import type { Edit, FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';

/** The wrapper for each module; the name says which default protocol the call has. */
const WRAPPERS = { http: 'tracedHttp', https: 'tracedHttps' } as const;
type Protocol = keyof typeof WRAPPERS;
const FUNCTIONS = new Set(['request', 'get']);

/** `http.request`, `https.get`, `request` (named import), `require('node:http').get`, … */
function clientFunction(file: SourceFile, callee: ts.Expression): { protocol: Protocol; fn: string } | undefined {
  const ref = resolveModuleReference(file, callee);
  if (!ref || (ref.module !== 'http' && ref.module !== 'https') || ref.path.length !== 1 || !FUNCTIONS.has(ref.path[0]!)) return undefined;
  const root = rootIdentifier(callee);
  if (root && isShadowed(callee, root.text)) return undefined;
  return { protocol: ref.module, fn: ref.path[0]! };
}

function staticValue(node: ts.Expression | undefined): string | undefined {
  if (node && ts.isNumericLiteral(node)) return node.text;
  return staticString(node);
}

/**
 * The inventory: method and URL when the call spells them out, from a URL literal, an options
 * literal (`{ hostname, port, path, method }`), or both.
 */
/** A URL written as a string (literal, template, concatenation) or `new URL(…)`. */
function isUrlExpression(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  if (ts.isParenthesizedExpression(node)) return isUrlExpression(node.expression);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return true;
  return ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL';
}

function facts(protocol: Protocol, fn: string, args: readonly ts.Expression[]) {
  const [first, second] = args;
  const firstIsUrl = isUrlExpression(first);
  const urlNode = first && ts.isNewExpression(first) ? first.arguments?.[0] : first;
  const literalUrl = firstIsUrl ? staticString(urlNode) : undefined;
  const options = firstIsUrl ? second : first;
  const optionsKnown = !options || ts.isObjectLiteralExpression(options) || ts.isArrowFunction(options) || ts.isFunctionExpression(options);
  // `get` sends GET unless an options literal says otherwise.
  const method = staticString(objectProperty(options, 'method'))?.toUpperCase() ?? (optionsKnown || fn === 'get' ? 'GET' : undefined);
  if (firstIsUrl) return { method, url: literalUrl };
  if (literalUrl !== undefined) return { method, url: literalUrl };
  const host = staticValue(objectProperty(options, 'hostname') ?? objectProperty(options, 'host'));
  if (!host) return { method, url: undefined };
  const scheme = staticString(objectProperty(options, 'protocol')) ?? `${protocol}:`;
  const port = staticValue(objectProperty(options, 'port'));
  const path = objectProperty(options, 'path');
  const pathText = path ? staticString(path) : '/';
  const url = pathText === undefined ? undefined : `${scheme}//${host}${port ? `:${port}` : ''}${pathText}`;
  return { method, url };
}

/** `http.get(a, b)` → `tracedHttp(http.get, a, b)`: the caller's function is kept and passed in. */
function wrapEdits(file: SourceFile, call: ts.CallExpression, wrapper: string): Edit[] {
  const callee = call.expression;
  // Arguments on their own lines keep their layout: no trailing space after the comma.
  const onOwnLines = /^[ \t]*\r?\n/.test(file.text.slice(call.arguments.pos, call.arguments.pos + 80));
  const separator = call.arguments.length === 0 ? '' : onOwnLines ? ',' : ', ';
  return [
    { start: callee.getStart(file.ast), end: callee.getStart(file.ast), text: `${wrapper}(` },
    { start: callee.end, end: call.arguments.pos, text: separator },
  ];
}

/**
 * `node:http` / `node:https` `request` and `get`, in any import style: each call goes through
 * `tracedHttp` / `tracedHttps`, which start a CLIENT span and inject W3C context into a copy of
 * the request options' headers, then call the original function.
 */
export const nodeHttpTransform: Transform = {
  id: 'node-http',
  description: 'node:http / node:https request() and get(): CLIENT span, context injected into a copy of the headers',
  packages: { node: '>=20' },
  triggers: ["'http", '"http', 'node:http'],
  helpers: ['node-http'],
  find(file) {
    const sites: FoundSite[] = [];
    for (const call of callExpressions(file.ast)) {
      const callee = call.expression;
      if (ts.isIdentifier(callee) && (callee.text === WRAPPERS.http || callee.text === WRAPPERS.https)) {
        const [wrapped, ...args] = call.arguments;
        const target = wrapped && clientFunction(file, wrapped);
        if (!target) continue;
        sites.push({ node: call, site: { kind: `node-http.${target.fn}`, instrumented: true, facts: facts(target.protocol, target.fn, args) } });
        continue;
      }
      const target = clientFunction(file, callee);
      if (!target || call.questionDotToken || call.typeArguments) continue;
      const wrapper = WRAPPERS[target.protocol];
      sites.push({
        node: call,
        site: { kind: `node-http.${target.fn}`, instrumented: false, facts: facts(target.protocol, target.fn, call.arguments) },
        plan: { edits: wrapEdits(file, call, wrapper), imports: [{ from: 'helper:node-http', name: wrapper }] },
      });
    }
    return sites;
  },
};
