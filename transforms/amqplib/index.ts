import ts from '#typescript';
import { callExpressions, staticString, walk } from '../../src/codemod/ast.js';
import type { Edit, FoundSite, SourceFile, Transform } from '../../src/codemod/types.js';
import { findDeclaration } from '../../src/codemod/scope.js';
import { AmqpValues, CONNECTION_CALLBACK_WRAPPER, CONNECTION_WRAPPER, isCallTo, moduleReference, optsOut, type AmqpApi, type AmqpValue, AMQP_MODULES } from './channels.js';

/** Each traced channel method and the helper a call site goes through. */
const WRAPPERS = { publish: 'tracedPublish', sendToQueue: 'tracedSendToQueue', consume: 'tracedConsume' } as const;
type Method = keyof typeof WRAPPERS;
const METHOD_OF_WRAPPER = new Map<string, Method>(Object.entries(WRAPPERS).map(([method, wrapper]) => [wrapper, method as Method]));

function isMethod(name: string): name is Method {
  return Object.hasOwn(WRAPPERS, name);
}

/** A string literal, or a `const` of this file initialised with one (`const ORDERS = 'orders'`). */
function constantString(expr: ts.Expression | undefined): string | undefined {
  const literal = staticString(expr);
  if (literal !== undefined || !expr || !ts.isIdentifier(expr)) return literal;
  const declaration = findDeclaration(expr.text, expr);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
  return staticString(declaration.initializer);
}

/** What the arguments tell statically (the inventory); `args` start after the channel. */
function facts(method: Method, args: readonly ts.Expression[], api: string | undefined) {
  const [first, second] = args;
  const where =
    method === 'publish' ? { exchange: constantString(first), routingKey: constantString(second) } : { queue: constantString(first) };
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

/** The site kind of a connection instrumented where it is made; it covers every channel it creates. */
const BIRTH_KIND = 'amqplib.connect';

/** How many arguments a call needs before it looks like amqplib's method of that name. */
const MIN_ARGUMENTS: Record<Method, number> = { publish: 3, sendToQueue: 2, consume: 2 };

/** `amqp.connect(…)` wrapped where it is made: the call (promise API) or its callback (callback API). */
function birthSite(file: SourceFile, call: ts.CallExpression, api: AmqpApi): FoundSite | undefined {
  const site = { kind: BIRTH_KIND, facts: { api } };
  if (api === 'promise') {
    let outer: ts.Node = call;
    while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    if (isCallTo(outer.parent as ts.Expression, CONNECTION_WRAPPER)) return { node: call, site: { ...site, instrumented: true } };
    return { node: call, site: { ...site, instrumented: false }, plan: wrapIn(file, call, CONNECTION_WRAPPER) };
  }
  // Callback API: `connect(url, [options,] callback)`; its connection reaches the callback.
  const callback = call.arguments[call.arguments.length - 1];
  if (!callback || call.arguments.length < 2) return undefined;
  if (isCallTo(callback, CONNECTION_CALLBACK_WRAPPER)) return { node: call, site: { ...site, instrumented: true } };
  const inner = skipParentheses(callback);
  if (!ts.isArrowFunction(inner) && !ts.isFunctionExpression(inner) && !ts.isIdentifier(inner) && !ts.isPropertyAccessExpression(inner)) return undefined;
  return { node: call, site: { ...site, instrumented: false }, plan: wrapIn(file, callback, CONNECTION_CALLBACK_WRAPPER) };
}

function skipParentheses(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
  return expr;
}

function wrapIn(file: SourceFile, node: ts.Expression, wrapper: string) {
  const start = node.getStart(file.ast);
  return {
    edits: [
      { start, end: start, text: `${wrapper}(` },
      { start: node.end, end: node.end, text: ')' },
    ],
    imports: [{ from: 'helper:amqplib', name: wrapper }],
  };
}

/** A receiver that names another package's export (`redis.publish(…)`) or has a type of its own: not a channel passed around. */
function isForeign(file: SourceFile, receiver: ts.Expression): boolean {
  let root = receiver;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isParenthesizedExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  // A name declared with a type (not an amqplib one, or it would have resolved) is something else.
  const declaration = findDeclaration(root.text, root);
  if (declaration && (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) && (declaration.type ?? ts.getJSDocType(declaration))) return true;
  const ref = moduleReference(file, root);
  return !!ref && !ref.module.startsWith('.') && !Object.hasOwn(AMQP_MODULES, ref.module);
}

/** A call shaped like amqplib's `method` (arity, a handler for `consume`). */
function looksLikeChannelCall(call: ts.CallExpression, method: Method): boolean {
  if (call.arguments.length < MIN_ARGUMENTS[method] || call.arguments.some(ts.isSpreadElement)) return false;
  if (method !== 'consume') return true;
  const handler = skipParentheses(call.arguments[1]!);
  return ts.isArrowFunction(handler) || ts.isFunctionExpression(handler) || ts.isIdentifier(handler) || ts.isPropertyAccessExpression(handler);
}

/** One channel call found on a value known to be a channel. */
interface ChannelUse {
  call: ts.CallExpression;
  method: Method;
  receiver: ts.Expression;
  channel: AmqpValue;
  optedOut: boolean;
}

/**
 * amqplib (promise and callback APIs, confirm channels): a connection is instrumented where it is
 * made, `instrumentConnection(amqp.connect(url))` (promise API) or
 * `amqp.connect(url, instrumentConnectionCallback(cb))` (callback API), so every channel it creates
 * gets a PRODUCER span per publish/sendToQueue (W3C context in a copy of the headers) and a
 * CONSUMER span per delivery wherever the channel is passed. Calls on a channel this file knows
 * only by its type, or whose connection is not made here, go through a helper at the call site
 * (`tracedPublish(ch, …)`); calls the file cannot resolve are reported with their facts, and
 * warned about unless the run instruments a connection.
 */
export const amqplibTransform: Transform = {
  id: 'amqplib',
  description: 'amqplib connections and channels: PRODUCER span per publish/sendToQueue with context in the headers, CONSUMER span per delivery',
  packages: { amqplib: '>=0.10.0 <3' },
  // The method names: files that use a channel passed in from another module.
  triggers: ['amqplib', '.publish(', '.sendToQueue(', '.consume('],
  helpers: ['amqplib'],
  find(file, context) {
    const sites: FoundSite[] = [];
    const values = new AmqpValues(file);
    const births: { call: ts.CallExpression; api: AmqpApi }[] = [];
    const uses: ChannelUse[] = [];
    const unresolved: { call: ts.CallExpression; method: Method; receiver: ts.Expression }[] = [];
    for (const call of callExpressions(file.ast)) {
      const callee = call.expression;
      if (ts.isIdentifier(callee) && METHOD_OF_WRAPPER.has(callee.text)) {
        const method = METHOD_OF_WRAPPER.get(callee.text)!;
        const [channel, ...args] = call.arguments;
        const api = channel && values.isChannel(channel)?.api;
        sites.push({ node: call, site: { kind: `amqplib.${method}`, instrumented: true, facts: facts(method, args, api) } });
        continue;
      }
      const api = values.connectApi(skipParentheses(callee));
      if (api) {
        births.push({ call, api });
        continue;
      }
      // `ch?.publish(…)` and `ch.publish?.(…)` may skip the call: left as they are.
      if (!ts.isPropertyAccessExpression(callee) || !isMethod(callee.name.text) || ts.isOptionalChain(call)) continue;
      if (call.arguments.length === 0) continue;
      const method = callee.name.text;
      const channel = values.isChannel(callee.expression);
      if (channel) {
        const optedOut = optsOut(file, call) || instrumentedByHand(file, call, method);
        uses.push({ call, method, receiver: callee.expression, channel, optedOut });
      } else if (!values.valueOf(callee.expression)) {
        unresolved.push({ call, method, receiver: callee.expression });
      }
    }
    // A call opted out (ignore comment, propagation by hand) on a channel of a connection made
    // here would be traced by the birth wrap: such a file keeps the per-call rewrites.
    const birthWrap = !uses.some((use) => use.channel.born && use.optedOut);
    if (birthWrap) {
      for (const { call, api } of births) {
        const site = birthSite(file, call, api);
        if (site) sites.push(site);
      }
    }
    for (const { call, method, receiver, channel, optedOut } of uses) {
      const site = { kind: `amqplib.${method}`, facts: facts(method, call.arguments, channel.api) };
      if (birthWrap && channel.born) {
        sites.push({ node: call, site: { ...site, instrumented: true, facts: { ...site.facts, coveredBy: BIRTH_KIND } } });
      } else if (optedOut) {
        sites.push({ node: call, site: { ...site, instrumented: true } });
      } else {
        sites.push({
          node: call,
          site: { ...site, instrumented: false },
          plan: { edits: rewrite(file, call, receiver, WRAPPERS[method]), imports: [{ from: 'helper:amqplib', name: WRAPPERS[method] }] },
        });
      }
    }
    if (unresolved.length > 0 && context.dependsOn('amqplib')) {
      const bornHere = birthWrap && births.length > 0;
      for (const { call, method, receiver } of unresolved) {
        if (!looksLikeChannelCall(call, method) || isForeign(file, receiver)) continue;
        // Traced when the channel comes from an instrumented connection: what the call tells still goes in the inventory.
        sites.push({ node: call, site: { kind: `amqplib.${method}`, instrumented: true, facts: { ...facts(method, call.arguments, undefined), coveredBy: BIRTH_KIND } } });
        if (bornHere) continue;
        const name = receiver.getText(file.ast);
        context.warn(
          call,
          `${name}.${method}(…): not known to be an amqplib channel; it is traced only if it comes from a connection instrumented where amqp.connect() is called, and none was found`,
          { unlessSite: BIRTH_KIND },
        );
      }
    }
    // In the order of the source, whatever pass found them.
    return sites.sort((a, b) => a.node.getStart(file.ast) - b.node.getStart(file.ast));
  },
};
