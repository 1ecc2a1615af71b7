import ts from '#typescript';
import type { Edit } from './types.js';

/** Calls every function on every node below `root`, depth first, in source order. */
export function walk(root: ts.Node, visit: (node: ts.Node) => void): void {
  const recurse = (node: ts.Node): void => {
    visit(node);
    ts.forEachChild(node, recurse);
  };
  recurse(root);
}

/** Every call expression in a file, in source order. */
export function callExpressions(root: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  walk(root, (node) => {
    if (ts.isCallExpression(node)) calls.push(node);
  });
  return calls;
}

/** The value of a string literal or a substitution-free template, else undefined. */
export function staticString(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return staticString(node.expression);
  return undefined;
}

/** `a.b.c` → `c`; `a['c']` → `c`; anything else → undefined. */
export function memberName(node: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return staticString(node.argumentExpression);
  return undefined;
}

/** Whether `node` is the argument of a call to a function with this name (`wrapper(node)`). */
export function isWrappedBy(node: ts.Node, wrapperNames: readonly string[]): boolean {
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) parent = parent.parent;
  if (!parent || !ts.isCallExpression(parent)) return false;
  const callee = parent.expression;
  return ts.isIdentifier(callee) && wrapperNames.includes(callee.text) && parent.arguments.some((a) => a === node || a.pos <= node.pos && node.end <= a.end);
}

/** The property `name` of an object literal, if written statically. */
export function objectProperty(object: ts.Expression | undefined, name: string): ts.Expression | undefined {
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === name) {
      return property.initializer;
    }
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/** The two edits that wrap `node` in a call: `wrapper(node)`. */
export function wrapEdits(ast: ts.SourceFile, node: ts.Node, wrapper: string): Edit[] {
  const start = node.getStart(ast);
  return [
    { start, end: start, text: `${wrapper}(` },
    { start: node.end, end: node.end, text: ')' },
  ];
}
