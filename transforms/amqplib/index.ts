import ts from '#typescript';
import { callExpressions, staticString, walk } from '../../src/codemod/ast.js';
import type { Edit, FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';
import { findDeclaration } from '../../src/codemod/scope.js';
import { AmqpValues, moduleReference } from './channels.js';

/** Each traced channel method and the helper a call site goes through. */
const WRAPPERS = { publish: 'tracedPublish', sendToQueue: 'tracedSendToQueue', consume: 'tracedConsume' } as const;
type Method = keyof typeof WRAPPERS;
const METHOD_OF_WRAPPER = new Map<string, Method>(Object.entries(WRAPPERS).map(([method, wrapper]) => [wrapper, method as Method]));

function isMethod(name: string): name is Method {
  return Object.hasOwn(WRAPPERS, name);
}

/** What the arguments tell statically (the inventory); `args` start after the channel. */
function facts(method: Method, args: readonly ts.Expression[], api: string | undefined) {
  const [first, second] = args;
  const where =
    method === 'publish' ? { exchange: staticString(first), routingKey: staticString(second) } : { queue: staticString(first) };
  return { ...where, ...(api ? { api } : {}) };
}

/** The innermost function around `node`, or the file for top-level code. */
function enclosingScope(node: ts.Node): ts.Node {
  let scope: ts.Node = node;
  while (scope.parent && !ts.isFunctionLike(scope.parent)) scope = scope.parent;
  return scope.parent ?? scope;
}

/**
 * Whether `root` calls `propagation.inject` / `propagation.extract` of `@opentelemetry/api`;
 * with `scope`, only calls made directly in that function (not in functions nested in it).
 */
function callsPropagation(file: SourceFile, root: ts.Node, operation: 'inject' | 'extract', scope?: ts.Node): boolean {
  let found = false;
  walk(root, (node) => {
    if (found || !ts.isCallExpression(node)) return;
    if (scope && enclosingScope(node) !== scope) return;
    const ref = moduleReference(file, node.expression);
    found = !!ref && ref.module === '@opentelemetry/api' && ref.path.join('.') === `propagation.${operation}`;
  });
  return found;
}

/** The body of the handler passed to `consume`, when it is written in this file. */
function handlerBody(handler: ts.Expression | undefined): ts.Node | undefined {
  if (!handler) return undefined;
  let inner = handler;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return inner.body;
  if (ts.isIdentifier(inner)) {
    const declaration = findDeclaration(inner.text, inner);
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration.body;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return handlerBody(declaration.initializer);
  }
  return undefined;
}

/**
 * Code that already carries context by hand is left alone: a publish in a function that calls
 * `propagation.inject`, a consumer whose handler calls `propagation.extract`.
 */
function instrumentedByHand(file: SourceFile, call: ts.CallExpression, method: Method): boolean {
  if (method === 'consume') {
    const body = handlerBody(call.arguments[1]);
    return !!body && callsPropagation(file, body, 'extract');
  }
  const scope = enclosingScope(call);
  return callsPropagation(file, scope, 'inject', scope);
}

/**
 * `ch.publish(a, …)` → `tracedPublish(ch, a, …)`: the wrapper's name goes before the receiver and
 * `.publish(` becomes a comma. Every argument keeps its bytes; the receiver is evaluated once.
 */
function rewrite(file: SourceFile, call: ts.CallExpression, receiver: ts.Expression, wrapper: string): Edit[] {
  let inner = receiver;
  while (ts.isParenthesizedExpression(inner) && !(ts.isBinaryExpression(inner.expression) && inner.expression.operatorToken.kind === ts.SyntaxKind.CommaToken)) {
    inner = inner.expression;
  }
  const firstArgument = call.arguments[0]!;
  const gap = file.text.slice(call.arguments.pos, firstArgument.getStart(file.ast));
  // Arguments one per line: the receiver gets its own line, indented like them.
  const lineBreak = /^[ \t]*(\r?\n[ \t]*)/.exec(gap)?.[1];
  return [
    { start: receiver.getStart(file.ast), end: inner.getStart(file.ast), text: `${wrapper}(${lineBreak ?? ''}` },
    { start: inner.end, end: call.arguments.pos, text: lineBreak ? ',' : ', ' },
  ];
}

/**
 * amqplib (promise and callback APIs, confirm channels): every `publish`, `sendToQueue` and
 * `consume` on a value known to be an amqplib channel goes through a helper that adds a PRODUCER
 * span with W3C context in a copy of the message headers, or a CONSUMER span per delivery.
 */
export const amqplibTransform: Transform = {
  id: 'amqplib',
  description: 'amqplib channels: PRODUCER span per publish/sendToQueue with context in the headers, CONSUMER span per delivery',
  packages: { amqplib: '>=0.10.0 <3' },
  triggers: ['amqplib'],
  helpers: ['amqplib'],
  find(file) {
    const sites: FoundSite[] = [];
    const values = new AmqpValues(file);
    for (const call of callExpressions(file.ast)) {
      const callee = call.expression;
      if (ts.isIdentifier(callee) && METHOD_OF_WRAPPER.has(callee.text)) {
        const method = METHOD_OF_WRAPPER.get(callee.text)!;
        const [channel, ...args] = call.arguments;
        const api = channel && values.isChannel(channel)?.api;
        sites.push({ node: call, site: { kind: `amqplib.${method}`, instrumented: true, facts: facts(method, args, api) } });
        continue;
      }
      // `ch?.publish(…)` and `ch.publish?.(…)` may skip the call: left as they are.
      if (!ts.isPropertyAccessExpression(callee) || !isMethod(callee.name.text) || ts.isOptionalChain(call)) continue;
      if (call.arguments.length === 0) continue;
      const method = callee.name.text;
      const channel = values.isChannel(callee.expression);
      if (!channel) continue;
      const site = { kind: `amqplib.${method}`, facts: facts(method, call.arguments, channel.api) };
      if (instrumentedByHand(file, call, method)) {
        sites.push({ node: call, site: { ...site, instrumented: true } });
        continue;
      }
      sites.push({
        node: call,
        site: { ...site, instrumented: false },
        plan: {
          edits: rewrite(file, call, callee.expression, WRAPPERS[method]),
          imports: [{ from: 'helper:amqplib', name: WRAPPERS[method] }],
        },
      });
    }
    return sites;
  },
};
