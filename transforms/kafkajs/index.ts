import ts from '#typescript';
import { callExpressions, objectProperty, staticString, walk } from '../../src/codemod/ast.js';
import { detectCodeStyle } from '../../src/codemod/code-style.js';
import { IGNORE_MARKER } from '../../src/codemod/instrument-source.js';
import type { Edit, FindContext, FoundSite, ImportRequest, SourceFile, Transform } from '../../src/codemod/types.js';
import { handlerFunction, PER_MESSAGE_SPANS, perMessageLoopEdits, PROCESS_MESSAGE } from './batch-loops.js';
import { importedFrom, type Exported } from './imported.js';
import {
  annotationOf,
  declarationOf,
  declarationOfReceiver,
  initializerOf,
  isKafkaClass,
  isKafkajsType,
  skipOuter,
  type Declaration,
} from './declarations.js';

const INSTRUMENT_KAFKA = 'instrumentKafka';
const INSTRUMENT_PRODUCER = 'instrumentProducer';
const INSTRUMENT_CONSUMER = 'instrumentConsumer';
const HELPER = 'helper:kafkajs';

type Role = 'producer' | 'consumer';

/** The site kind of a `Kafka` client instrumented where it is created; it covers every producer and consumer it makes. */
const BIRTH_KIND = 'kafkajs.client';

/** A Kafka instance as far as the source shows it. */
interface KafkaInstance {
  clientId?: ts.StringLiteralLike;
  /** Created by a `new Kafka(…)` of this file that is instrumented where it is (not opted out). */
  born?: boolean;
}

/**
 * How a producer or consumer expression is instrumented: `created` when it comes from a
 * creation site the tool wraps (in this file, or in the project module it is imported from),
 * `typed` when only its kafkajs type annotation says what it is (a parameter, a property set
 * elsewhere): its uses get wrapped instead.
 */
type Known = 'created' | 'typed';

const PRODUCER_TYPES = ['Producer', 'Transaction'];
const CONSUMER_TYPES = ['Consumer'];

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

function isCallTo(node: ts.Expression, name: string): node is ts.CallExpression {
  node = skipOuter(node);
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name;
}

/** An expression safe to repeat in the helper's options: a literal, a name or `a.b.c`. */
function isPlainValue(expr: ts.Expression): boolean {
  if (ts.isStringLiteralLike(expr) || ts.isIdentifier(expr)) return true;
  return ts.isPropertyAccessExpression(expr) && (expr.expression.kind === ts.SyntaxKind.ThisKeyword || isPlainValue(expr.expression));
}

/** `const x = require('./m')`, `const { x } = require('./m')`: a name the file's bindings resolve. */
function isRequireBinding(declaration: Declaration): boolean {
  let node: ts.Node = declaration;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node)) node = node.parent;
  if (!ts.isVariableDeclaration(node) || !node.initializer) return false;
  const init = skipOuter(node.initializer);
  const call = ts.isPropertyAccessExpression(init) ? skipOuter(init.expression) : init;
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'require' && ts.isSourceFile(node.parent.parent.parent);
}

class KafkajsFile {
  private sites: FoundSite[] = [];
  /** Declarations (variables, properties) that receive a producer or consumer created here. */
  private readonly created = new Map<Declaration, Role>();
  /** Declarations holding a client whose creation opted out (`// otel-instrument-ignore`): their uses stay as they are. */
  private readonly optedOut = new Set<Declaration>();
  private readonly handled = new Set<ts.Node>();
  private readonly eol: string;
  private readonly semicolon: boolean;

  private analysis?: { calls: ts.CallExpression[]; creations: { call: ts.CallExpression; role: Role }[]; births: ts.NewExpression[] };

  private constructor(private readonly file: SourceFile) {
    const style = detectCodeStyle(file.ast);
    this.eol = style.eol;
    this.semicolon = style.semicolon;
  }

  private static readonly analysed = new WeakMap<SourceFile, KafkajsFile>();

  /** The analysis of a file, shared by the files that import from it. */
  static of(file: SourceFile): KafkajsFile {
    let analysis = KafkajsFile.analysed.get(file);
    if (!analysis) KafkajsFile.analysed.set(file, (analysis = new KafkajsFile(file)));
    return analysis;
  }

  /**
   * The file's calls and its producer/consumer creations, and where those are stored. Computed
   * once, on first use; modules that import each other see each other's partial analysis
   * instead of recursing forever.
   */
  private analyse(): NonNullable<KafkajsFile['analysis']> {
    if (this.analysis) return this.analysis;
    const analysis: NonNullable<KafkajsFile['analysis']> = { calls: callExpressions(this.file.ast), creations: [], births: [] };
    this.analysis = analysis;
    walk(this.file.ast, (node) => {
      if (ts.isNewExpression(node) && isKafkaClass(this.file, node.expression)) analysis.births.push(node);
    });
    for (const call of analysis.calls) {
      const role = this.creationRole(call);
      if (!role) continue;
      analysis.creations.push({ call, role });
      const target = this.assignedTo(call);
      if (target) this.created.set(target, role);
      if (target && this.optsOut(call)) this.optedOut.add(target);
    }
    return analysis;
  }

  /**
   * Whether this file's `new Kafka(…)` get the birth wrap: not when a producer or consumer created
   * from one of them opts out, which the wrap would instrument anyway. Such a file keeps the
   * wraps where each producer and consumer is created.
   */
  private birthWrap(): boolean {
    return (this.birthWrapAllowed ??= !this.analyse().creations.some(({ call }) => this.optsOut(call) && this.creationInstance(call)?.born));
  }

  private birthWrapAllowed?: boolean;

  find(context: FindContext): FoundSite[] {
    const sites: FoundSite[] = [];
    this.sites = sites;
    this.handled.clear();
    const { calls, creations, births } = this.analyse();
    if (this.birthWrap()) for (const birth of births) this.birthSite(birth);
    for (const { call, role } of creations) this.creationSite(call, role);
    for (const call of calls) this.useSite(call, context);
    return sites.sort((a, b) => a.node.getStart(this.file.ast) - b.node.getStart(this.file.ast));
  }

  // ------------------------------------------------------------------------------ values

  /** The engine's ignore rule (marker on the line above), applied to the uses of an ignored client too. */
  private optsOut(node: ts.Node): boolean {
    const ast = this.file.ast;
    const line = ast.getLineAndCharacterOfPosition(node.getStart(ast)).line;
    if (line === 0) return false;
    const previous = ast.text.slice(ast.getPositionOfLineAndCharacter(line - 1, 0), ast.getPositionOfLineAndCharacter(line, 0));
    return new RegExp(`(//|/\\*)\\s*${IGNORE_MARKER}\\b`).test(previous);
  }

  /**
   * The string an expression stands for, for the inventory: `'orders'`, a `const TOPIC = 'orders'`,
   * `TOPICS.orders` of a `const TOPICS = { orders: 'orders' }`, here or imported from a module of the project.
   */
  private constant(expr: ts.Expression | undefined, depth = 0): string | undefined {
    if (!expr || depth > 4) return undefined;
    expr = skipOuter(expr);
    const literal = staticString(expr);
    if (literal !== undefined) return literal;
    if (ts.isPropertyAccessExpression(expr)) {
      const owner = this.constantObject(expr.expression, depth + 1);
      return owner && owner.file.constant(objectProperty(owner.object, expr.name.text), depth + 1);
    }
    if (!ts.isIdentifier(expr)) return undefined;
    const value = this.constValue(expr);
    return value && value.file.constant(value.expr, depth + 1);
  }

  /** The object literal a `const` name holds (`const TOPICS = { … } as const`), with the file it is in. */
  private constantObject(expr: ts.Expression, depth: number): { file: KafkajsFile; object: ts.ObjectLiteralExpression } | undefined {
    expr = skipOuter(expr);
    if (ts.isObjectLiteralExpression(expr)) return { file: this, object: expr };
    // `Object.freeze({ … })`
    if (ts.isCallExpression(expr) && expr.arguments.length === 1 && ts.isPropertyAccessExpression(expr.expression) && expr.expression.getText(this.file.ast) === 'Object.freeze') {
      return this.constantObject(expr.arguments[0]!, depth + 1);
    }
    if (!ts.isIdentifier(expr) || depth > 4) return undefined;
    const value = this.constValue(expr);
    return value && value.file.constantObject(value.expr, depth + 1);
  }

  /** The initializer of the `const` a name refers to, in this file or the project module it is imported from. */
  private constValue(name: ts.Identifier): { file: KafkajsFile; expr: ts.Expression } | undefined {
    const declaration = declarationOf(name.text, name);
    if (declaration && !isRequireBinding(declaration)) {
      const isConst = ts.isVariableDeclaration(declaration) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
      return isConst && declaration.initializer ? { file: this, expr: declaration.initializer } : undefined;
    }
    const exported = importedFrom(this.file, name.text);
    if (!exported) return undefined;
    const file = KafkajsFile.of(exported.module);
    if ('value' in exported) return { file, expr: exported.value };
    const { declaration: remote } = exported;
    const isConst = ts.isVariableDeclaration(remote) && (remote.parent.flags & ts.NodeFlags.Const) !== 0;
    return isConst && remote.initializer ? { file, expr: remote.initializer } : undefined;
  }

  /** `{ clientId }` of the Kafka instance `expr` is, when it is one; undefined otherwise. */
  private kafkaInstance(expr: ts.Expression, depth = 0): KafkaInstance | undefined {
    expr = skipOuter(expr);
    if (ts.isNewExpression(expr) && isKafkaClass(this.file, expr.expression)) {
      const clientId = objectProperty(expr.arguments?.[0], 'clientId');
      return { clientId: clientId && ts.isStringLiteralLike(clientId) ? clientId : undefined, born: !this.optsOut(expr) };
    }
    // `instrumentKafka(new Kafka(…))`, as an earlier run wrote it.
    if (isCallTo(expr, INSTRUMENT_KAFKA) && expr.arguments.length > 0) return this.kafkaInstance(expr.arguments[0]!, depth);
    if (depth >= 4) return undefined;
    const declaration = declarationOfReceiver(expr);
    if (!declaration || isRequireBinding(declaration)) {
      const exported = ts.isIdentifier(expr) ? importedFrom(this.file, expr.text) : undefined;
      const instance = exported && KafkajsFile.of(exported.module).exportedKafka(exported, depth + 1);
      // Made in another module: that module may not be part of this run.
      return instance && { clientId: instance.clientId };
    }
    const initializer = initializerOf(declaration);
    if (initializer) return this.kafkaInstance(initializer, depth + 1);
    if (isKafkajsType(this.file, annotationOf(declaration), ['Kafka'])) return {};
    return this.assignedKafka(declaration, depth);
  }

  /** `let kafka; … kafka = new Kafka(…)`: what the variable is assigned, when every assignment is a Kafka instance. */
  private assignedKafka(declaration: Declaration, depth: number): KafkaInstance | undefined {
    if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
    const name = declaration.name.text;
    const found: (KafkaInstance | undefined)[] = [];
    walk(declaration.parent.parent.parent, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isIdentifier(node.left) || node.left.text !== name) return;
      if (declarationOf(name, node.left) === declaration) found.push(this.kafkaInstance(node.right, depth + 1));
    });
    const [first] = found;
    if (!first || found.some((f) => !f)) return undefined;
    return found.length === 1 ? first : { born: found.every((f) => f!.born) };
  }

  private exportedKafka(exported: Exported, depth: number): KafkaInstance | undefined {
    if ('value' in exported) return this.kafkaInstance(exported.value, depth);
    const { declaration } = exported;
    const initializer = initializerOf(declaration);
    if (initializer) return this.kafkaInstance(initializer, depth);
    return isKafkajsType(this.file, annotationOf(declaration), ['Kafka']) ? {} : undefined;
  }

  /** `kafka.producer()` / `kafka.consumer()` on a Kafka instance. */
  private creationRole(call: ts.CallExpression): Role | undefined {
    const name = calleeName(call);
    if (name !== 'producer' && name !== 'consumer') return undefined;
    return this.creationInstance(call) ? name : undefined;
  }

  /** The Kafka instance a `kafka.producer()` / `kafka.consumer()` call is made on. */
  private creationInstance(call: ts.CallExpression): KafkaInstance | undefined {
    const callee = skipOuter(call.expression);
    return ts.isPropertyAccessExpression(callee) ? this.kafkaInstance(callee.expression) : undefined;
  }

  /** The variable or property a creation (wrapped or not) is stored in. */
  private assignedTo(call: ts.CallExpression): Declaration | undefined {
    let node: ts.Node = call;
    while (
      ts.isParenthesizedExpression(node.parent) ||
      ts.isAwaitExpression(node.parent) ||
      ts.isAsExpression(node.parent) ||
      (ts.isCallExpression(node.parent) && isCallTo(node.parent, INSTRUMENT_PRODUCER)) ||
      (ts.isCallExpression(node.parent) && isCallTo(node.parent, INSTRUMENT_CONSUMER))
    ) {
      node = node.parent;
    }
    const parent = node.parent;
    if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === node) return parent;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) return declarationOfReceiver(parent.left);
    return undefined;
  }

  /** What `expr` holds for `role`, as far as this file shows. */
  private known(expr: ts.Expression, role: Role, depth = 0): Known | undefined {
    expr = skipOuter(expr);
    if (isCallTo(expr, role === 'producer' ? INSTRUMENT_PRODUCER : INSTRUMENT_CONSUMER)) return 'created';
    if (ts.isCallExpression(expr)) {
      if (this.creationRole(expr) === role) return this.optsOut(expr) ? undefined : 'created';
      // A transaction of a producer this tool instruments is instrumented by the helper.
      const callee = skipOuter(expr.expression);
      if (role === 'producer' && calleeName(expr) === 'transaction' && ts.isPropertyAccessExpression(callee)) {
        return this.known(callee.expression, 'producer', depth + 1) ? 'created' : undefined;
      }
      return undefined;
    }
    if (depth >= 4) return undefined;
    const declaration = declarationOfReceiver(expr);
    if (!declaration || isRequireBinding(declaration)) {
      const exported = ts.isIdentifier(expr) ? importedFrom(this.file, expr.text) : undefined;
      return exported && KafkajsFile.of(exported.module).knownExported(exported, role, depth + 1);
    }
    return this.knownDeclaration(declaration, role, depth);
  }

  private knownDeclaration(declaration: Declaration, role: Role, depth: number): Known | undefined {
    this.analyse();
    if (this.optedOut.has(declaration)) return undefined;
    if (this.created.get(declaration) === role) return 'created';
    const initializer = initializerOf(declaration);
    if (initializer && this.known(initializer, role, depth + 1)) return 'created';
    return isKafkajsType(this.file, annotationOf(declaration), role === 'producer' ? PRODUCER_TYPES : CONSUMER_TYPES) ? 'typed' : undefined;
  }

  private knownExported(exported: Exported, role: Role, depth: number): Known | undefined {
    return 'value' in exported ? this.known(exported.value, role, depth) : this.knownDeclaration(exported.declaration, role, depth);
  }

  // ------------------------------------------------------------------------------ sites

  private wrap(node: ts.Expression, wrapper: string, extra = ''): Edit[] {
    const start = node.getStart(this.file.ast);
    return [
      { start, end: start, text: `${wrapper}(` },
      { start: node.end, end: node.end, text: `${extra})` },
    ];
  }

  /** Options the helper can only learn from the source: the client id and the group id. */
  private helperOptions(call: ts.CallExpression, role: Role): string {
    const callee = skipOuter(call.expression) as ts.PropertyAccessExpression;
    const clientId = this.kafkaInstance(callee.expression)?.clientId;
    const parts: string[] = [];
    if (clientId) parts.push(`clientId: ${clientId.getText(clientId.getSourceFile())}`);
    const config = call.arguments[0];
    const groupId = role === 'consumer' ? objectProperty(config, 'groupId') : undefined;
    if (groupId && isPlainValue(groupId)) {
      const shorthand = ts.isIdentifier(groupId) && groupId.text === 'groupId';
      parts.push(shorthand ? 'groupId' : `groupId: ${groupId.getText(this.file.ast)}`);
    }
    return parts.length ? `, { ${parts.join(', ')} }` : '';
  }

  /** Topics a consumer subscribes to in this file (`subscribe({ topic })`, `{ topics: [...] }`). */
  private subscribedTopics(consumer: Declaration | undefined): string[] {
    if (!consumer) return [];
    const topics: string[] = [];
    for (const call of this.analyse().calls) {
      if (calleeName(call) !== 'subscribe') continue;
      const callee = skipOuter(call.expression) as ts.PropertyAccessExpression;
      if (declarationOfReceiver(callee.expression) !== consumer) continue;
      const config = call.arguments[0];
      const one = this.constant(objectProperty(config, 'topic'));
      if (one !== undefined) topics.push(one);
      const many = objectProperty(config, 'topics');
      if (many && ts.isArrayLiteralExpression(many)) {
        for (const element of many.elements) {
          const topic = this.constant(element);
          if (topic !== undefined) topics.push(topic);
        }
      }
    }
    return [...new Set(topics)];
  }

  private creationSite(call: ts.CallExpression, role: Role): void {
    const wrapper = role === 'producer' ? INSTRUMENT_PRODUCER : INSTRUMENT_CONSUMER;
    const facts =
      role === 'producer'
        ? { clientId: staticString(this.kafkaInstance((skipOuter(call.expression) as ts.PropertyAccessExpression).expression)?.clientId) }
        : { topics: this.subscribedTopics(this.assignedTo(call)), groupId: this.constant(objectProperty(call.arguments[0], 'groupId')) };
    const kind = role === 'producer' ? 'kafkajs.producer' : 'kafkajs.consume';
    let outer: ts.Node = call;
    while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent)) outer = outer.parent;
    if (isCallTo(outer.parent as ts.Expression, wrapper)) {
      this.sites.push({ node: call, site: { kind, instrumented: true, facts } });
      return;
    }
    // Made from a client this file instruments where it is created: nothing to do here.
    if (this.birthWrap() && this.creationInstance(call)?.born && !this.optsOut(call)) {
      this.sites.push({ node: call, site: { kind, instrumented: true, facts: { ...facts, coveredBy: BIRTH_KIND } } });
      return;
    }
    this.sites.push({
      node: call,
      site: { kind, instrumented: false, facts },
      plan: { edits: this.wrap(call, wrapper, this.helperOptions(call, role)), imports: [{ from: HELPER, name: wrapper }] },
    });
  }

  /** `new Kafka(…)` → `instrumentKafka(new Kafka(…), { clientId })`: every producer and consumer it makes is instrumented. */
  private birthSite(birth: ts.NewExpression): void {
    const clientId = objectProperty(birth.arguments?.[0], 'clientId');
    const literal = clientId && ts.isStringLiteralLike(clientId) ? clientId : undefined;
    const facts = { clientId: literal?.text };
    let outer: ts.Node = birth;
    while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    if (isCallTo(outer.parent as ts.Expression, INSTRUMENT_KAFKA)) {
      this.sites.push({ node: birth, site: { kind: BIRTH_KIND, instrumented: true, facts } });
      return;
    }
    const options = literal ? `, { clientId: ${literal.getText(this.file.ast)} }` : '';
    this.sites.push({
      node: birth,
      site: { kind: BIRTH_KIND, instrumented: false, facts },
      plan: { edits: this.wrap(birth, INSTRUMENT_KAFKA, options), imports: [{ from: HELPER, name: INSTRUMENT_KAFKA }] },
    });
  }

  /**
   * `bus.producer.send({ topic, messages })`, `consumer.run({ eachMessage })` on a receiver this
   * file cannot resolve, in a project that depends on kafkajs: reported with what it tells (the
   * Go inventory reads it), covered by a client instrumented where it is created, and warned
   * about unless the run instruments one.
   */
  private passThroughSite(call: ts.CallExpression, method: string, receiver: ts.Expression, context: FindContext): void {
    if (!context.dependsOn('kafkajs')) return;
    const declaration = declarationOfReceiver(receiver);
    if ((declaration && this.optedOut.has(declaration)) || this.isForeign(receiver)) return;
    const config = skipOuter(call.arguments[0] ?? receiver);
    if (!ts.isObjectLiteralExpression(config)) return;
    const has = (name: string) => objectProperty(config, name) !== undefined || config.properties.some((p) => ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === name);
    let site: FoundSite['site'];
    let role: string;
    if (method === 'send' && has('topic') && has('messages')) {
      site = { kind: 'kafkajs.send', instrumented: true, facts: { topic: this.constant(objectProperty(config, 'topic')), coveredBy: BIRTH_KIND } };
      role = 'producer';
    } else if (method === 'sendBatch' && has('topicMessages')) {
      site = { kind: 'kafkajs.send', instrumented: true, facts: { topic: undefined, coveredBy: BIRTH_KIND } };
      role = 'producer';
    } else if (method === 'run' && (has('eachMessage') || has('eachBatch'))) {
      site = { kind: 'kafkajs.consume', instrumented: true, facts: { topics: this.subscribedByText(receiver), groupId: undefined, coveredBy: BIRTH_KIND } };
      role = 'consumer';
    } else {
      return;
    }
    this.sites.push({ node: call, site });
    if (this.birthWrap() && this.analyse().births.some((b) => !this.optsOut(b))) return;
    context.warn(
      call,
      `${receiver.getText(this.file.ast)}.${method}(…): not known to be a kafkajs ${role}; it is traced only if it comes from a Kafka client instrumented where new Kafka() is called, and none was found`,
      { unlessSite: BIRTH_KIND },
    );
  }

  /** A receiver that names another package's export (`redis.send(…)`) or has a type of its own: not a client passed around. */
  private isForeign(receiver: ts.Expression): boolean {
    let root = skipOuter(receiver);
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = skipOuter(root.expression);
    if (!ts.isIdentifier(root)) return false;
    const declaration = declarationOf(root.text, root);
    // A name declared with a type (not a kafkajs one, or it would have resolved) is something else.
    if (declaration) return !!annotationOf(declaration);
    const binding = this.file.bindings.get(root.text);
    return !!binding && !binding.module.startsWith('.') && binding.module !== 'kafkajs';
  }

  /** Topics subscribed in this file on a receiver written the same way (`bus.consumer.subscribe({ topic })`). */
  private subscribedByText(receiver: ts.Expression): string[] {
    const text = receiver.getText(this.file.ast);
    const topics: string[] = [];
    for (const call of this.analyse().calls) {
      const callee = skipOuter(call.expression);
      if (calleeName(call) !== 'subscribe' || !ts.isPropertyAccessExpression(callee) || callee.expression.getText(this.file.ast) !== text) continue;
      const config = call.arguments[0];
      const one = this.constant(objectProperty(config, 'topic'));
      if (one !== undefined) topics.push(one);
      const many = objectProperty(config, 'topics');
      if (many && ts.isArrayLiteralExpression(many)) for (const element of many.elements) {
        const topic = this.constant(element);
        if (topic !== undefined) topics.push(topic);
      }
    }
    return [...new Set(topics)];
  }

  /** Sends, transactions and `run` on producers and consumers this file knows. */
  private useSite(call: ts.CallExpression, context: FindContext): void {
    const method = calleeName(call);
    const role: Role | undefined = method === 'send' || method === 'sendBatch' || method === 'transaction' ? 'producer' : method === 'run' ? 'consumer' : undefined;
    if (!role) return;
    const receiver = (skipOuter(call.expression) as ts.PropertyAccessExpression).expression;
    const known = this.known(receiver, role);
    if (!known) return this.passThroughSite(call, method!, receiver, context);
    const wrapper = role === 'producer' ? INSTRUMENT_PRODUCER : INSTRUMENT_CONSUMER;
    // A value known only by its type: wrap it where it is used (the helper instruments a client once).
    const plan = known === 'typed' ? { edits: this.wrap(skipOuter(receiver), wrapper), imports: [{ from: HELPER, name: wrapper }] } : undefined;
    const instrumented = !plan;
    if (method === 'send') {
      const topic = this.constant(objectProperty(call.arguments[0], 'topic'));
      this.sites.push({ node: call, site: { kind: 'kafkajs.send', instrumented, facts: { topic } }, plan });
    } else if (method === 'sendBatch') {
      const groups = objectProperty(call.arguments[0], 'topicMessages');
      const topics = groups && ts.isArrayLiteralExpression(groups) ? groups.elements.map((g) => this.constant(objectProperty(g, 'topic'))) : [undefined];
      topics.forEach((topic, i) => this.sites.push({ node: call, site: { kind: 'kafkajs.send', instrumented, facts: { topic } }, plan: i === 0 ? plan : undefined }));
    } else if (method === 'transaction') {
      if (plan) this.sites.push({ node: call, site: { kind: 'kafkajs.producer', instrumented, facts: {} }, plan });
    } else {
      if (plan) {
        const topics = this.subscribedTopics(declarationOfReceiver(receiver));
        this.sites.push({ node: call, site: { kind: 'kafkajs.consume', instrumented, facts: { topics, groupId: undefined } }, plan });
      }
      this.eachBatchSite(call);
    }
  }

  /** `eachBatch` whose loop over `batch.messages` is visible: a span per message, with its real timing. */
  private eachBatchSite(run: ts.CallExpression): void {
    const config = run.arguments[0];
    if (!config || !ts.isObjectLiteralExpression(config)) return;
    const property = config.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'eachBatch');
    if (!property) return;
    const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (value && isCallTo(value, PER_MESSAGE_SPANS)) {
      this.sites.push({ node: value, site: { kind: 'kafkajs.process-batch', instrumented: true, facts: {} } });
      return;
    }
    const handler = value ? handlerFunction(value) : ts.isMethodDeclaration(property) ? property : undefined;
    if (!handler) return;
    // A handler used by several consumers has its loops rewritten once, and is marked at each use.
    const loopEdits = this.handled.has(handler) ? [] : perMessageLoopEdits(handler, this.file.ast, this.eol, this.semicolon);
    if (!loopEdits) return;
    this.handled.add(handler);
    const ast = this.file.ast;
    let marker: Edit[];
    if (ts.isShorthandPropertyAssignment(property)) {
      marker = [{ start: property.name.end, end: property.name.end, text: `: ${PER_MESSAGE_SPANS}(${property.name.text})` }];
    } else if (ts.isMethodDeclaration(property)) {
      // `async eachBatch(payload) {…}` → `eachBatch: perMessageSpans(async function eachBatch(payload) {…})`
      const start = property.getStart(ast);
      marker = [
        { start, end: start, text: `eachBatch: ${PER_MESSAGE_SPANS}(` },
        { start: property.name.getStart(ast), end: property.name.getStart(ast), text: 'function ' },
        { start: property.end, end: property.end, text: ')' },
      ];
    } else {
      marker = this.wrap(value!, PER_MESSAGE_SPANS);
    }
    const imports: ImportRequest[] = [
      { from: HELPER, name: PER_MESSAGE_SPANS },
      { from: HELPER, name: PROCESS_MESSAGE },
    ];
    this.sites.push({ node: property, site: { kind: 'kafkajs.process-batch', instrumented: false, facts: {} }, plan: { edits: [...marker, ...loopEdits], imports } });
  }
}

/**
 * kafkajs 2: a `Kafka` client (any import style) is instrumented where it is created,
 * `instrumentKafka(new Kafka({ clientId }), { clientId })`, so every producer and consumer made
 * from it is, wherever that happens and wherever they are passed. Producers and consumers of a
 * client made in another module, or known only by their kafkajs type, are wrapped where they
 * are created or used (`instrumentProducer(kafka.producer())`, `instrumentProducer(producer).send(…)`);
 * the helpers instrument a client once however often it is wrapped. Sends and runs on receivers
 * the file cannot resolve are reported with their topics and warned about unless the run
 * instruments a client. An `eachBatch` handler whose loop over `batch.messages` is visible gets
 * a span per message: the loop body runs inside `processKafkaMessage(batch, message, async () => …)`.
 */
export const kafkajsTransform: Transform = {
  id: 'kafkajs',
  description: 'kafkajs clients, producers and consumers: PRODUCER span per send with context in a copy of the headers, CONSUMER span per message',
  packages: { kafkajs: '^2.0.0' },
  // `producer`/`consumer`: files that use clients created in another module of the project.
  triggers: ['kafkajs', 'producer', 'consumer', 'topic', 'eachMessage', 'eachBatch'],
  helpers: ['kafkajs'],
  find(file, context) {
    return KafkajsFile.of(file).find(context);
  },
};
