import ts from '#typescript';
import type { Edit } from '../../src/codemod/types.js';
import { declarationOf, skipOuter } from './declarations.js';

export const PROCESS_MESSAGE = 'processKafkaMessage';
export const PER_MESSAGE_SPANS = 'perMessageSpans';

export type HandlerFunction = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;

/** The function an `eachBatch` value names: written inline, or declared in this file. */
export function handlerFunction(value: ts.Expression, depth = 0): HandlerFunction | undefined {
  value = skipOuter(value);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  if (!ts.isIdentifier(value) || depth > 3) return undefined;
  const declaration = declarationOf(value.text, value);
  if (!declaration) return undefined;
  if (ts.isFunctionDeclaration(declaration)) return declaration.body ? declaration : undefined;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) return handlerFunction(declaration.initializer, depth + 1);
  return undefined;
}

/** How the handler reaches the batch: `({ batch })` → `batch`, `(payload)` → `payload.batch`. */
function batchOwner(handler: HandlerFunction): { name: string; viaPayload: boolean } | undefined {
  const [first] = handler.parameters;
  if (!first) return undefined;
  if (ts.isIdentifier(first.name)) return { name: first.name.text, viaPayload: true };
  if (!ts.isObjectBindingPattern(first.name)) return undefined;
  for (const element of first.name.elements) {
    const property = element.propertyName ?? element.name;
    if (ts.isIdentifier(property) && property.text === 'batch' && ts.isIdentifier(element.name)) return { name: element.name.text, viaPayload: false };
  }
  return undefined;
}

/** `batch.messages` / `payload.batch.messages` → the batch expression, when it is the handler's batch. */
function batchOfMessages(expr: ts.Expression, owner: { name: string; viaPayload: boolean }): ts.Expression | undefined {
  expr = skipOuter(expr);
  if (!ts.isPropertyAccessExpression(expr) || expr.name.text !== 'messages') return undefined;
  const batch = expr.expression;
  if (!owner.viaPayload) return ts.isIdentifier(batch) && batch.text === owner.name ? batch : undefined;
  const ok = ts.isPropertyAccessExpression(batch) && batch.name.text === 'batch' && ts.isIdentifier(batch.expression) && batch.expression.text === owner.name;
  return ok ? batch : undefined;
}

/** The function a node belongs to (arrow functions included). */
function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) if (ts.isFunctionLike(parent) || ts.isClassStaticBlockDeclaration(parent)) return parent;
  return undefined;
}

function labelOf(statement: ts.Statement): string | undefined {
  return ts.isLabeledStatement(statement.parent) ? statement.parent.label.text : undefined;
}

/**
 * What moving these statements of the loop body into an async arrow function would change: the
 * `continue`s that become `return`s (they end one message's processing, exactly as `continue`
 * ended the iteration). `undefined`: they cannot move (`return`, `break` out of the loop,
 * `yield`, `var`).
 */
function movableStatements(loop: ts.ForOfStatement, body: ts.Block, statements: readonly ts.Statement[]): ts.ContinueStatement[] | undefined {
  const loopLabel = labelOf(loop);
  const continues: ts.ContinueStatement[] = [];
  let movable = true;
  const insideLabels = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (!movable) return;
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return; // a scope of its own
    if (ts.isLabeledStatement(node)) insideLabels.add(node.label.text);
    if (ts.isReturnStatement(node) || ts.isYieldExpression(node)) movable = false;
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) movable = false;
    if (ts.isBreakStatement(node)) {
      if (node.label ? !insideLabels.has(node.label.text) : !innerTarget(node, body, true)) movable = false;
    }
    if (ts.isContinueStatement(node)) {
      if (node.label) {
        if (node.label.text === loopLabel) continues.push(node);
        else if (!insideLabels.has(node.label.text)) movable = false;
      } else if (!innerTarget(node, body, false)) {
        continues.push(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  statements.forEach(visit);
  return movable ? continues : undefined;
}

/** `if (!isRunning() || isStale()) break;`: a check that leaves the loop, with at most some calls before. */
function isGuard(statement: ts.Statement): boolean {
  if (!ts.isIfStatement(statement) || statement.elseStatement) return false;
  const then = statement.thenStatement;
  const steps = ts.isBlock(then) ? then.statements : [then];
  const last = steps[steps.length - 1];
  const isJump = (s: ts.Statement | undefined) => !!s && (ts.isBreakStatement(s) || ts.isContinueStatement(s) || ts.isReturnStatement(s));
  return isJump(last) && steps.slice(0, -1).every((s) => ts.isExpressionStatement(s));
}

/**
 * The statements of a loop body to run inside the message's span: the whole body, or what follows
 * its leading guards (`if (!isRunning() || isStale()) break`, as the kafkajs docs write it),
 * which stay in the loop. `undefined` when nothing can move.
 */
function spanStatements(loop: ts.ForOfStatement, body: ts.Block): { from: number; continues: ts.ContinueStatement[] } | undefined {
  const { statements } = body;
  for (let from = 0; from < statements.length; from++) {
    const continues = movableStatements(loop, body, statements.slice(from));
    if (continues) return { from, continues };
    if (!isGuard(statements[from]!)) return undefined;
  }
  return undefined;
}

/** Whether an unlabeled `break`/`continue` targets a loop (or, for break, a switch) inside `body`. */
function innerTarget(jump: ts.Node, body: ts.Block, isBreak: boolean): boolean {
  for (let node = jump.parent; node && node !== body; node = node.parent) {
    if (ts.isIterationStatement(node, false)) return true;
    if (isBreak && ts.isSwitchStatement(node)) return true;
  }
  return false;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function indentAt(text: string, pos: number): string {
  const start = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Ranges (strings and templates) whose lines must not be re-indented: that would change their value. */
function literalRanges(body: ts.Node, ast: ts.SourceFile): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) {
      ranges.push([node.getStart(ast), node.end]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return ranges;
}

/**
 * Wraps the body of one `for (const message of batch.messages)` loop:
 *
 *   for (const message of batch.messages) {
 *     await processKafkaMessage(batch, message, async () => {
 *       …the body, one level deeper…
 *     });
 *   }
 *
 * so each message is processed inside its own span, with its real start and end.
 */
function wrapLoopBody(loop: ts.ForOfStatement, body: ts.Block, from: number, batch: string, message: string, continues: ts.ContinueStatement[], ast: ts.SourceFile, eol: string, semicolon: boolean): Edit[] {
  const text = ast.text;
  const first = body.statements[from]!;
  // The whole body moves from its `{`; after leading guards, from the first moved statement.
  const open = from === 0 ? body.getStart(ast) + 1 : first.getStart(ast);
  const close = body.end - 1;
  const opening = `await ${PROCESS_MESSAGE}(${batch}, ${message}, async () => {`;
  // The closing line follows the file's style: `})` where the file writes no semicolons.
  const closing = semicolon ? '});' : '})';
  const edits: Edit[] = continues.map((c) => ({ start: c.getStart(ast), end: c.label ? c.label.end : c.getStart(ast) + 'continue'.length, text: 'return' }));
  const closeLine = lineStart(text, close);
  const closeOnOwnLine = /^[ \t]*$/.test(text.slice(closeLine, close));
  const firstLine = lineStart(text, first.getStart(ast));
  const sameLine = from === 0 ? firstLine === lineStart(text, open) : !/^[ \t]*$/.test(text.slice(firstLine, open));
  if (!closeOnOwnLine || sameLine) {
    // A body written on one line stays on one line.
    edits.push({ start: open, end: open, text: from === 0 ? ` ${opening}` : `${opening} ` }, { start: close, end: close, text: `${closing} ` });
    return edits;
  }
  const loopIndent = indentAt(text, loop.getStart(ast));
  const inner = indentAt(text, first.getStart(ast));
  const unit = inner.startsWith(loopIndent) && inner.length > loopIndent.length ? inner.slice(loopIndent.length) : '  ';
  if (from === 0) edits.push({ start: open, end: open, text: `${eol}${inner}${opening}` });
  else edits.push({ start: firstLine, end: firstLine, text: `${inner}${opening}${eol}` });
  const literals = literalRanges(body, ast);
  for (let pos = from === 0 ? text.indexOf('\n', open) + 1 : firstLine; pos > 0 && pos < closeLine; pos = text.indexOf('\n', pos) + 1) {
    const lineEnd = text.indexOf('\n', pos);
    const blank = /^[ \t]*\r?$/.test(text.slice(pos, lineEnd < 0 ? undefined : lineEnd));
    if (blank || literals.some(([start, end]) => start < pos && pos < end)) continue;
    edits.push({ start: pos, end: pos, text: unit });
  }
  edits.push({ start: closeLine, end: closeLine, text: `${inner}${closing}${eol}` });
  return edits;
}

/**
 * Edits that give each message of a batch its own span, for every loop over the batch's
 * messages at the top of an async `eachBatch` handler. `undefined` when no loop qualifies (the
 * batch then gets one span linked to each message); no edits when the loops already do it.
 */
export function perMessageLoopEdits(handler: HandlerFunction, ast: ts.SourceFile, eol: string, semicolon = true): Edit[] | undefined {
  const isAsync = ts.getModifiers(handler)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const owner = batchOwner(handler);
  if (!isAsync || !owner || !handler.body) return undefined;
  const edits: Edit[] = [];
  let loops = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isForOfStatement(node) && enclosingFunction(node) === handler) {
      const batch = batchOfMessages(node.expression, owner);
      const list = node.initializer;
      const declaration = ts.isVariableDeclarationList(list) && list.declarations.length === 1 ? list.declarations[0] : undefined;
      const body = node.statement;
      if (batch && declaration && ts.isIdentifier(declaration.name) && ts.isBlock(body)) {
        if (isWrappedBody(body)) {
          loops++;
          return;
        }
        const moved = spanStatements(node, body);
        if (moved) {
          loops++;
          edits.push(...wrapLoopBody(node, body, moved.from, batch.getText(ast), declaration.name.text, moved.continues, ast, eol, semicolon));
          return;
        }
      }
    }
    if (!ts.isFunctionLike(node) || node === handler) ts.forEachChild(node, visit);
  };
  visit(handler);
  return loops > 0 ? edits : undefined;
}

/** `{ [guards] await processKafkaMessage(…); }`: a loop body an earlier run (or a person) already wrapped. */
function isWrappedBody(body: ts.Block): boolean {
  const last = body.statements[body.statements.length - 1];
  if (!last || !ts.isExpressionStatement(last) || !body.statements.slice(0, -1).every(isGuard)) return false;
  const expr = ts.isAwaitExpression(last.expression) ? last.expression.expression : last.expression;
  return ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === PROCESS_MESSAGE;
}
