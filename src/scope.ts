import ts from '#typescript';

function bindsName(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, text));
}

function declaresName(statement: ts.Statement, text: string): boolean {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.some((d) => bindsName(d.name, text));
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return statement.name?.text === text;
  return false;
}

/**
 * Whether a local declaration hides the top-level import of `name` at `node` (a parameter named
 * `request`, a block-scoped `const axios = …`). File bindings only know the top level. With
 * `within`, only the scopes strictly inside it count: whether a name declared by `within` (a
 * function's parameter, a block's `const`) still means that declaration at `node`.
 */
export function isShadowed(node: ts.Node, name: string, within?: ts.Node): boolean {
  for (let scope = node.parent; scope && scope !== within && !ts.isSourceFile(scope); scope = scope.parent) {
    if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name))) return true;
    if (ts.isFunctionLike(scope) && ts.isFunctionExpression(scope) && scope.name?.text === name) return true;
    if ((ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) && scope.statements.some((s) => declaresName(s, name))) return true;
    if (ts.isCatchClause(scope) && scope.variableDeclaration && bindsName(scope.variableDeclaration.name, name)) return true;
    if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
      if (scope.initializer.declarations.some((d) => bindsName(d.name, name))) return true;
    }
  }
  return false;
}

/** The identifier an expression such as `http.request` or `axios.default.get` starts from. */
export function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  if (ts.isIdentifier(expr)) return expr;
  if (ts.isPropertyAccessExpression(expr) || ts.isParenthesizedExpression(expr)) return rootIdentifier(expr.expression);
  return undefined;
}
