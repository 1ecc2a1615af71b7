import ts from '#typescript';
import { findDeclaration } from '../../src/codemod/scope.js';
import type { SourceFile } from '../../src/codemod/types.js';

/**
 * The names a module exports an app, router or plugin under, so the inventory can match it with
 * the module that mounts it: the variable itself (`export const router = …`, `module.exports =
 * router`), or the top-level function that returns it (`export function usersRouter(db) { const
 * router = Router(); …; return router }`, `module.exports = function (db) { … }`). `default`
 * stands for the module's main export (`export default`, `module.exports =`). Only the file's
 * top level is read: nothing is followed into other modules.
 */
export function exportNames(file: SourceFile, variable: { name: string; declaration: ts.Node }): string[] {
  const holder = enclosingFunction(variable.declaration);
  if (!holder) return isTopLevel(variable.declaration) ? namesExporting(file, variable.name) : [];
  return returns(holder, variable.declaration) ? functionExports(file, holder) : [];
}

/** Exports of a function that is itself the export (a plugin), or under its name. */
export function functionExportNames(file: SourceFile, fn: ts.SignatureDeclaration): string[] {
  return functionExports(file, fn);
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let scope = node.parent; scope && !ts.isSourceFile(scope); scope = scope.parent) {
    if (ts.isFunctionLike(scope)) return scope;
  }
  return undefined;
}

function isTopLevel(declaration: ts.Node): boolean {
  return ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && ts.isSourceFile(declaration.parent.parent.parent);
}

function skipParentheses(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr)) expr = expr.expression;
  return expr;
}

/** Whether `fn` returns the variable declared by `declaration` (its own returns, not nested functions'). */
function returns(fn: ts.SignatureDeclaration, declaration: ts.Node): boolean {
  const refersToIt = (expr: ts.Expression | undefined) => {
    const inner = expr && skipParentheses(expr);
    return !!inner && ts.isIdentifier(inner) && findDeclaration(inner.text, inner) === declaration;
  };
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  if (!ts.isBlock(body)) return refersToIt(body);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && refersToIt(node.expression)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return !!ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

/** `module.exports.x` / `exports.x` → `x`; `module.exports` / `exports` → `''`. */
function commonJsExport(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr) && expr.text === 'exports') return '';
  if (ts.isPropertyAccessExpression(expr)) {
    if (ts.isIdentifier(expr.expression) && expr.expression.text === 'module' && expr.name.text === 'exports') return '';
    if (commonJsExport(expr.expression) === '') return expr.name.text;
  }
  return undefined;
}

function isAssignment(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

function functionExports(file: SourceFile, fn: ts.SignatureDeclaration): string[] {
  if (ts.isFunctionDeclaration(fn)) {
    if (!ts.isSourceFile(fn.parent)) return [];
    const own = hasModifier(fn, ts.SyntaxKind.ExportKeyword) ? [hasModifier(fn, ts.SyntaxKind.DefaultKeyword) ? 'default' : fn.name?.text ?? 'default'] : [];
    return [...new Set([...own, ...(fn.name ? namesExporting(file, fn.name.text) : [])])];
  }
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && isTopLevel(parent)) return namesExporting(file, parent.name.text);
  if (ts.isExportAssignment(parent)) return ['default'];
  if (isAssignment(parent) && parent.right === node && ts.isExpressionStatement(parent.parent)) {
    const name = commonJsExport(parent.left);
    return name === undefined ? [] : [name || 'default'];
  }
  // `module.exports = { usersRouter: function (db) { … } }`
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name) && ts.isObjectLiteralExpression(parent.parent)) {
    const object = parent.parent.parent;
    if (isAssignment(object) && commonJsExport(object.left) === '') return [parent.name.text];
  }
  return [];
}

/** The names the file's top level exports the top-level name `local` as. */
function namesExporting(file: SourceFile, local: string): string[] {
  const names = new Set<string>();
  for (const statement of file.ast.statements) {
    if (ts.isVariableStatement(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      if (statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === local)) names.add(local);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === local && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      names.add(hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : local);
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) if ((element.propertyName ?? element.name).text === local) names.add(element.name.text);
    } else if (ts.isExportAssignment(statement)) {
      if (ts.isIdentifier(statement.expression) && statement.expression.text === local) names.add('default');
    } else if (ts.isExpressionStatement(statement) && isAssignment(statement.expression)) {
      const { left, right } = statement.expression;
      const exported = commonJsExport(left);
      if (exported === undefined) continue;
      const value = skipParentheses(right);
      if (ts.isIdentifier(value) && value.text === local) names.add(exported || 'default');
      else if (exported === '' && ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          if (ts.isShorthandPropertyAssignment(property) && property.name.text === local) names.add(local);
          if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && ts.isIdentifier(property.initializer) && property.initializer.text === local) names.add(property.name.text);
        }
      }
    }
  }
  return [...names];
}
