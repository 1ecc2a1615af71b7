import ts from '#typescript';
import { resolveModuleReference, type ModuleReference } from '../../src/codemod/bindings.js';
import { IGNORE_MARKER } from '../../src/codemod/instrument-source.js';
import { findDeclaration } from '../../src/codemod/scope.js';
import type { SourceFile } from '../../src/codemod/types.js';

/** The amqplib entry points and the API style each one has. */
export const AMQP_MODULES: Readonly<Record<string, AmqpApi>> = { amqplib: 'promise', 'amqplib/callback_api': 'callback' };
export type AmqpApi = 'promise' | 'callback';

/** Exported amqplib types that name a connection or a channel (both APIs, old and new typings). */
const TYPE_KINDS: Readonly<Record<string, AmqpValue['kind']>> = {
  Channel: 'channel',
  ConfirmChannel: 'channel',
  Connection: 'connection',
  ChannelModel: 'connection',
  RecoveringChannelModel: 'connection',
  RecoveringConnection: 'connection',
};

const CHANNEL_FACTORIES = new Set(['createChannel', 'createConfirmChannel']);

/** What an expression holds, as far as amqplib is concerned. */
export interface AmqpValue {
  kind: 'connection' | 'channel';
  api: AmqpApi;
  /** A promise of the value (`amqp.connect(url)` before `await`). */
  promise: boolean;
  /**
   * Comes from an `amqp.connect()` call of this file that is instrumented where it is made (not
   * opted out with `// otel-instrument-ignore`): the calls on it are traced without a rewrite.
   */
  born?: boolean;
}

/** The helpers that wrap a connection where it is made (promise API; the callback API's callback). */
export const CONNECTION_WRAPPER = 'instrumentConnection';
export const CONNECTION_CALLBACK_WRAPPER = 'instrumentConnectionCallback';

type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

/** Parentheses, `!`, `satisfies`: the same value. */
function skipOuter(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) expr = expr.expression;
  return expr;
}

/** The engine's ignore rule (the marker on the line above `node`), asked where a transform needs it itself. */
export function optsOut(file: SourceFile, node: ts.Node): boolean {
  const ast = file.ast;
  const line = ast.getLineAndCharacterOfPosition(node.getStart(ast)).line;
  if (line === 0) return false;
  const previous = ast.text.slice(ast.getPositionOfLineAndCharacter(line - 1, 0), ast.getPositionOfLineAndCharacter(line, 0));
  return new RegExp(`(//|/\\*)\\s*${IGNORE_MARKER}\\b`).test(previous);
}

/** A top-level `const x = …` or `const { x } = …` (where `require` bindings live). */
function isTopLevel(node: ts.Node): boolean {
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  return ts.isVariableDeclaration(node) && ts.isSourceFile(node.parent.parent.parent);
}

/** The identifier `a.b.c` starts from. */
function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  expr = skipOuter(expr);
  if (ts.isIdentifier(expr)) return expr;
  if (ts.isPropertyAccessExpression(expr)) return rootIdentifier(expr.expression);
  return undefined;
}

/** `resolveModuleReference`, unless a local declaration hides the top-level name. */
export function moduleReference(file: SourceFile, expr: ts.Expression): ModuleReference | undefined {
  const root = rootIdentifier(expr);
  if (root && root.text !== 'require') {
    const declaration = findDeclaration(root.text, root);
    if (declaration && !isTopLevel(declaration)) return undefined;
  }
  return resolveModuleReference(file, skipOuter(expr));
}

/** The class whose instance `this` is at `node` (arrow functions keep the outer `this`). */
function thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (ts.isClassLike(parent)) return parent;
    if (ts.isFunctionLike(parent) && !ts.isArrowFunction(parent) && !ts.isClassLike(parent.parent)) return undefined;
  }
  return undefined;
}

function propertyNameText(name: ts.PropertyName | ts.BindingName): string | undefined {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function same(values: (AmqpValue | undefined)[]): AmqpValue | undefined {
  const [first, ...others] = values;
  if (!first || others.some((v) => !v || v.kind !== first.kind || v.api !== first.api || v.promise !== first.promise)) return undefined;
  // Born only when every source is: one typed parameter among them needs the call-site rewrite.
  return others.every((v) => !!v!.born === !!first.born) ? first : { ...first, born: false };
}

/** `name(…)` with a plain identifier callee. */
export function isCallTo(expr: ts.Expression, name: string): expr is ts.CallExpression {
  expr = skipOuter(expr);
  return ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === name;
}

/**
 * Tells, from the syntax of one file, which expressions hold amqplib connections and channels:
 * results of `connect()` and `createChannel()`/`createConfirmChannel()` (awaited, in `.then`
 * callbacks or in callback-API callbacks), names and `this.` properties typed with amqplib's
 * types (annotations or JSDoc), values returned by local functions, and parameters of local
 * functions whose every call in the file passes a channel.
 */
export class AmqpValues {
  private readonly cache = new Map<object, AmqpValue | undefined>();
  private readonly inProgress = new Set<object>();
  /** One key per `this.<name>` of a class, so all its accesses share one computation. */
  private readonly propertyKeys = new Map<ts.ClassLikeDeclaration, Map<string, object>>();

  constructor(private readonly file: SourceFile) {}

  /** A connect the birth wrap instruments: not opted out with the marker on the line above. */
  private isBorn(connect: ts.CallExpression): boolean {
    return !optsOut(this.file, connect);
  }

  /** The value of `expr`, or undefined when it is not known to be an amqplib connection or channel. */
  valueOf(expr: ts.Expression): AmqpValue | undefined {
    return this.memo(expr, () => this.compute(expr));
  }

  /** Whether `expr` is a channel (not a promise of one). */
  isChannel(expr: ts.Expression): AmqpValue | undefined {
    const value = this.valueOf(expr);
    return value?.kind === 'channel' && !value.promise ? value : undefined;
  }

  private memo(node: object, compute: () => AmqpValue | undefined): AmqpValue | undefined {
    if (this.cache.has(node)) return this.cache.get(node);
    if (this.inProgress.has(node)) return undefined; // a cycle (`ch = ch`, recursion): unknown
    this.inProgress.add(node);
    try {
      const value = compute();
      this.cache.set(node, value);
      return value;
    } finally {
      this.inProgress.delete(node);
    }
  }

  private compute(expr: ts.Expression): AmqpValue | undefined {
    expr = skipOuter(expr);
    if (ts.isAsExpression(expr) || ts.isTypeAssertionExpression(expr)) return this.typeValue(expr.type) ?? this.valueOf(expr.expression);
    // `yield conn.createChannel()` in a `co` generator is the same as `await`.
    if (ts.isAwaitExpression(expr) || (ts.isYieldExpression(expr) && expr.expression && !expr.asteriskToken)) {
      const value = this.valueOf(expr.expression!);
      return value && { ...value, promise: false };
    }
    if (ts.isCallExpression(expr)) return this.callValue(expr);
    if (ts.isIdentifier(expr)) return this.identifierValue(expr);
    if (ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword) return this.thisPropertyValue(expr);
    return undefined;
  }

  connectApi(callee: ts.Expression): AmqpApi | undefined {
    const ref = moduleReference(this.file, callee);
    if (!ref || ref.path.length !== 1 || ref.path[0] !== 'connect') return undefined;
    return AMQP_MODULES[ref.module];
  }

  private callValue(call: ts.CallExpression): AmqpValue | undefined {
    const callee = skipOuter(call.expression);
    // `instrumentConnection(amqp.connect(url))`, as an earlier run wrote it.
    if (ts.isIdentifier(callee) && callee.text === CONNECTION_WRAPPER && call.arguments.length === 1) return this.valueOf(call.arguments[0]!);
    const api = this.connectApi(callee);
    // The callback API's connect returns nothing: its connection reaches the callback.
    if (api) return api === 'promise' ? { kind: 'connection', api, promise: true, born: this.isBorn(call) } : undefined;
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = this.valueOf(callee.expression);
      if (!receiver) return undefined;
      if (receiver.promise) {
        if (method === 'then') {
          const callback = call.arguments[0];
          const result = callback && this.functionOf(callback) ? this.returnValue(this.functionOf(callback)!) : undefined;
          return result && { ...result, promise: true };
        }
        return method === 'finally' ? receiver : undefined;
      }
      if (receiver.kind === 'connection' && CHANNEL_FACTORIES.has(method)) {
        // The callback API returns the channel at once (and passes it to the callback when open).
        return { kind: 'channel', api: receiver.api, promise: receiver.api === 'promise', born: receiver.born };
      }
      if (receiver.kind === 'connection' && method === 'waitForConnect') return { ...receiver, promise: true };
      return undefined;
    }
    if (ts.isIdentifier(callee)) {
      const declaration = findDeclaration(callee.text, callee);
      const fn = declaration && this.functionDeclaredBy(declaration);
      return fn ? this.memo(fn, () => this.returnValue(fn)) : undefined;
    }
    return undefined;
  }

  /** The function expression an argument or initializer holds, if it is one. */
  private functionOf(expr: ts.Expression): ts.FunctionExpression | ts.ArrowFunction | undefined {
    const inner = skipOuter(expr);
    return ts.isFunctionExpression(inner) || ts.isArrowFunction(inner) ? inner : undefined;
  }

  /** `function f() {}` or `const f = () => …`, from the node `findDeclaration` returned. */
  private functionDeclaredBy(declaration: ts.Node): FunctionNode | undefined {
    if (ts.isFunctionDeclaration(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) return this.functionOf(declaration.initializer);
    return undefined;
  }

  /** What a function returns: its declared return type, or what every `return` returns. */
  private returnValue(fn: ts.SignatureDeclaration): AmqpValue | undefined {
    const declared = fn.type ?? (this.file.language === 'js' ? ts.getJSDocReturnType(fn) : undefined);
    if (declared) return this.typeValue(declared);
    if (!('body' in fn) || !fn.body) return undefined;
    const body = fn.body as ts.ConciseBody;
    const returned: ts.Expression[] = [];
    if (ts.isBlock(body)) {
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
        if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(body, visit);
    } else {
      returned.push(body);
    }
    if (returned.length === 0) return undefined;
    const value = same(returned.map((e) => this.valueOf(e)));
    const isAsync = ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async;
    return value && isAsync ? { ...value, promise: true } : value;
  }

  private identifierValue(id: ts.Identifier): AmqpValue | undefined {
    const declaration = findDeclaration(id.text, id);
    if (!declaration) return undefined;
    if (ts.isVariableDeclaration(declaration)) return this.memo(declaration, () => this.variableValue(declaration));
    if (ts.isParameter(declaration)) return this.memo(declaration, () => this.parameterValue(declaration));
    return undefined;
  }

  private declaredType(node: ts.VariableDeclaration | ts.ParameterDeclaration | ts.PropertyDeclaration): ts.TypeNode | undefined {
    return node.type ?? (this.file.language === 'js' ? ts.getJSDocType(node) : undefined);
  }

  private variableValue(declaration: ts.VariableDeclaration): AmqpValue | undefined {
    const type = this.declaredType(declaration);
    if (type) return this.typeValue(type);
    if (!ts.isIdentifier(declaration.name)) return undefined;
    const initial = declaration.initializer && this.valueOf(declaration.initializer);
    if (initial) return initial;
    // `let channel; … channel = await conn.createChannel();`
    const name = declaration.name.text;
    const scope = declaration.parent.parent.parent;
    const assigned: AmqpValue[] = [];
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(node.left) &&
        node.left.text === name &&
        findDeclaration(name, node.left) === declaration
      ) {
        const value = this.valueOf(node.right);
        if (value) assigned.push(value);
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(scope, visit);
    return same(assigned);
  }

  private parameterValue(parameter: ts.ParameterDeclaration): AmqpValue | undefined {
    const type = this.declaredType(parameter);
    if (type) return this.typeValue(type);
    const fn = parameter.parent;
    const index = fn.parameters.indexOf(parameter);
    if (parameter.dotDotDotToken) return undefined;
    if (parameter.initializer) {
      const value = this.valueOf(parameter.initializer);
      if (value) return value;
    }
    if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
      const fromCall = this.callbackParameterValue(fn, index);
      if (fromCall) return fromCall;
    }
    return this.passedValue(fn, index);
  }

  /** A parameter of a callback given to `.then`, `connect(url, cb)` or `createChannel(cb)`. */
  private callbackParameterValue(fn: ts.ArrowFunction | ts.FunctionExpression, index: number): AmqpValue | undefined {
    let node: ts.Node = fn;
    while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
    // `amqp.connect(url, instrumentConnectionCallback((err, conn) => …))`, as an earlier run wrote it.
    if (isCallTo(node.parent as ts.Expression, CONNECTION_CALLBACK_WRAPPER) && (node.parent as ts.CallExpression).arguments.length === 1) node = node.parent;
    while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
    const call = node.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return undefined;
    const isLast = call.arguments[call.arguments.length - 1] === node;
    const callee = skipOuter(call.expression);
    // `amqp.connect(url, (err, conn) => …)` in the callback API.
    if (this.connectApi(callee) === 'callback') {
      return isLast && index === 1 ? { kind: 'connection', api: 'callback', promise: false, born: this.isBorn(call) } : undefined;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = this.valueOf(callee.expression);
      if (!receiver) return undefined;
      if (callee.name.text === 'then' && receiver.promise && call.arguments[0] === node && index === 0) return { ...receiver, promise: false };
      if (receiver.kind === 'connection' && !receiver.promise && receiver.api === 'callback' && CHANNEL_FACTORIES.has(callee.name.text) && isLast && index === 1) {
        return { kind: 'channel', api: 'callback', promise: false, born: receiver.born };
      }
      if (receiver.kind === 'connection' && !receiver.promise && callee.name.text === 'waitForConnect' && isLast && index === 1) return receiver;
      return undefined;
    }
    return undefined;
  }

  /** A parameter of a local function that every call in this file passes the same kind of value. */
  private passedValue(fn: ts.SignatureDeclaration, index: number): AmqpValue | undefined {
    const calls = this.callsOf(fn);
    if (calls.length === 0) return undefined;
    return same(
      calls.map((call) => {
        if (call.arguments.slice(0, index + 1).some(ts.isSpreadElement)) return undefined;
        const argument = call.arguments[index];
        return argument && this.valueOf(argument);
      }),
    );
  }

  /** Calls of a named local function (`f(…)`) or of a method of the same class (`this.m(…)`). */
  private callsOf(fn: ts.SignatureDeclaration): ts.CallExpression[] {
    let match: ((call: ts.CallExpression) => boolean) | undefined;
    if (ts.isFunctionDeclaration(fn) && fn.name) {
      const name = fn.name.text;
      match = (call) => ts.isIdentifier(call.expression) && call.expression.text === name && findDeclaration(name, call.expression) === fn;
    } else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
      const declaration = fn.parent;
      const name = fn.parent.name.text;
      match = (call) => ts.isIdentifier(call.expression) && call.expression.text === name && findDeclaration(name, call.expression) === declaration;
    } else if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent)) {
      const cls = fn.parent;
      const name = propertyNameText(fn.name);
      match = (call) =>
        ts.isPropertyAccessExpression(call.expression) &&
        call.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        call.expression.name.text === name &&
        thisClass(call.expression) === cls;
    }
    if (!match) return [];
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && match(node)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(this.file.ast);
    return calls;
  }

  private propertyKey(cls: ts.ClassLikeDeclaration, name: string): object {
    const keys = this.propertyKeys.get(cls) ?? new Map<string, object>();
    this.propertyKeys.set(cls, keys);
    const key = keys.get(name) ?? {};
    keys.set(name, key);
    return key;
  }

  /** `this.channel`: a typed or initialised property, a constructor parameter property, or what the class assigns to it. */
  private thisPropertyValue(access: ts.PropertyAccessExpression): AmqpValue | undefined {
    const cls = thisClass(access);
    const name = access.name.text;
    if (!cls) return undefined;
    return this.memo(this.propertyKey(cls, name), () => {
      for (const member of cls.members) {
        if (ts.isPropertyDeclaration(member) && propertyNameText(member.name) === name) {
          const type = this.declaredType(member);
          if (type) return this.typeValue(type);
          const initial = member.initializer && this.valueOf(member.initializer);
          if (initial) return initial;
        }
        if (ts.isConstructorDeclaration(member)) {
          const parameter = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length);
          if (parameter?.type) return this.typeValue(parameter.type);
        }
      }
      const assigned: AmqpValue[] = [];
      const visit = (node: ts.Node): void => {
        if (
          ts.isBinaryExpression(node) &&
          node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isPropertyAccessExpression(node.left) &&
          node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
          node.left.name.text === name &&
          thisClass(node.left) === cls
        ) {
          const value = this.valueOf(node.right);
          if (value) assigned.push(value);
        }
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(cls, visit);
      return same(assigned);
    });
  }

  /** `Channel`, `amqp.ConfirmChannel`, `import('amqplib').Channel`, `Channel | undefined`, `Promise<Channel>`. */
  typeValue(type: ts.TypeNode): AmqpValue | undefined {
    if (ts.isParenthesizedTypeNode(type)) return this.typeValue(type.type);
    if (ts.isUnionTypeNode(type)) {
      const nullish = (t: ts.TypeNode) =>
        t.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword);
      return same(type.types.filter((t) => !nullish(t)).map((t) => this.typeValue(t)));
    }
    if (ts.isTypeReferenceNode(type)) {
      const name = type.typeName;
      if (ts.isIdentifier(name)) {
        if (name.text === 'Promise' && type.typeArguments?.length === 1) {
          const value = this.typeValue(type.typeArguments[0]!);
          return value && { ...value, promise: true };
        }
        const binding = this.file.bindings.get(name.text);
        const api = binding && AMQP_MODULES[binding.module];
        const kind = binding && TYPE_KINDS[binding.imported];
        return api && kind ? { kind, api, promise: false } : undefined;
      }
      if (ts.isIdentifier(name.left)) {
        const binding = this.file.bindings.get(name.left.text);
        const api = binding && (binding.imported === '*' || binding.imported === 'default') ? AMQP_MODULES[binding.module] : undefined;
        const kind = TYPE_KINDS[name.right.text];
        return api && kind ? { kind, api, promise: false } : undefined;
      }
      return undefined;
    }
    if (ts.isImportTypeNode(type) && ts.isLiteralTypeNode(type.argument) && ts.isStringLiteral(type.argument.literal)) {
      const api = AMQP_MODULES[type.argument.literal.text];
      const kind = type.qualifier && ts.isIdentifier(type.qualifier) ? TYPE_KINDS[type.qualifier.text] : undefined;
      return api && kind ? { kind, api, promise: false } : undefined;
    }
    return undefined;
  }
}

