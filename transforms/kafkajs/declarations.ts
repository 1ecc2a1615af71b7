import ts from '#typescript';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { findDeclaration } from '../../src/codemod/scope.js';
import type { SourceFile } from '../../src/codemod/types.js';

/** What a name or `this.member` is declared as: the node that gives it a type or a value. */
export type Declaration = ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement | ts.PropertyDeclaration | ts.FunctionDeclaration;

/** Parentheses, `!`, `as`, `satisfies` and `await`: the same value for our purposes. */
export function skipOuter(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isAwaitExpression(expr)) {
    expr = expr.expression;
  }
  return expr;
}

/**
 * The declaration `name` refers to where `from` is: parameter, variable or function of an
 * enclosing scope; undefined when it is something else (a class, a function expression's own name).
 */
export function declarationOf(text: string, from: ts.Node): Declaration | undefined {
  const found = findDeclaration(text, from);
  if (!found) return undefined;
  return ts.isVariableDeclaration(found) || ts.isParameter(found) || ts.isBindingElement(found) || ts.isFunctionDeclaration(found) ? found : undefined;
}

/** `this.name` inside a class: its property declaration or constructor parameter property. */
function memberOf(name: string, from: ts.Node): Declaration | undefined {
  let node: ts.Node | undefined = from.parent;
  // Arrow functions keep the class's `this`; other functions do not.
  while (node && !ts.isClassLike(node)) {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return undefined;
    node = node.parent;
  }
  if (!node) return undefined;
  for (const member of node.members) {
    if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === name) return member;
    if (ts.isConstructorDeclaration(member)) {
      const parameter = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length);
      if (parameter) return parameter;
    }
  }
  return undefined;
}

/** The declaration behind `name` or `this.name`, if this file shows it. */
export function declarationOfReceiver(expr: ts.Expression): Declaration | undefined {
  expr = skipOuter(expr);
  if (ts.isIdentifier(expr)) return declarationOf(expr.text, expr);
  if (ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword) return memberOf(expr.name.text, expr);
  return undefined;
}

/** The declared type of a declaration: its annotation, or in JavaScript its JSDoc `@param` / `@type`. */
export function annotationOf(declaration: Declaration): ts.TypeNode | undefined {
  if (ts.isBindingElement(declaration) || ts.isFunctionDeclaration(declaration)) return undefined;
  return declaration.type ?? ts.getJSDocType(declaration);
}

/** Whether a type annotation names `kafkajs`'s export `name` (`Producer`, `kafkajs.Producer`, `import('kafkajs').Producer`). */
export function isKafkajsType(file: SourceFile, type: ts.TypeNode | undefined, names: readonly string[]): boolean {
  if (!type) return false;
  if (ts.isParenthesizedTypeNode(type)) return isKafkajsType(file, type.type, names);
  if (ts.isImportTypeNode(type)) {
    const argument = type.argument;
    const module = ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal) ? argument.literal.text : undefined;
    return module === 'kafkajs' && !!type.qualifier && ts.isIdentifier(type.qualifier) && names.includes(type.qualifier.text);
  }
  if (!ts.isTypeReferenceNode(type)) return false;
  const name = type.typeName;
  if (ts.isIdentifier(name)) {
    const binding = file.bindings.get(name.text);
    return binding?.module === 'kafkajs' && names.includes(binding.imported);
  }
  if (ts.isIdentifier(name.left)) {
    const binding = file.bindings.get(name.left.text);
    return binding?.module === 'kafkajs' && (binding.imported === '*' || binding.imported === 'default') && names.includes(name.right.text);
  }
  return false;
}

/** The value a declaration starts with: its initializer (or the value a binding element is taken from). */
export function initializerOf(declaration: Declaration): ts.Expression | undefined {
  if (ts.isFunctionDeclaration(declaration) || ts.isParameter(declaration)) return undefined;
  return declaration.initializer;
}

/**
 * Whether `expr` is the `Kafka` class: `Kafka` imported or required from 'kafkajs' in any style,
 * `kafkajs.Kafka`, or `const { Kafka } = kafkajs` taken from the module.
 */
export function isKafkaClass(file: SourceFile, expr: ts.Expression): boolean {
  expr = skipOuter(expr);
  const ref = resolveModuleReference(file, expr);
  if (ref) return ref.module === 'kafkajs' && ref.path.length === 1 && ref.path[0] === 'Kafka';
  if (!ts.isIdentifier(expr)) return false;
  const declaration = declarationOf(expr.text, expr);
  if (!declaration || !ts.isBindingElement(declaration)) return false;
  const property = declaration.propertyName ?? declaration.name;
  if (!ts.isIdentifier(property) || property.text !== 'Kafka') return false;
  const pattern = declaration.parent;
  const holder = pattern.parent;
  if (!ts.isVariableDeclaration(holder) || !holder.initializer) return false;
  const source = resolveModuleReference(file, skipOuter(holder.initializer));
  return source?.module === 'kafkajs' && source.path.length === 0;
}
