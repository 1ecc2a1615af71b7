import ts from '#typescript';

/** The declaration node (variable, parameter, binding element) that binds `text` in a binding name. */
function bindingOf(name: ts.BindingName, text: string): ts.Node | undefined {
  if (ts.isIdentifier(name)) return name.text === text ? name.parent : undefined;
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const found = bindingOf(element.name, text);
    if (found) return found;
  }
  return undefined;
}

function declarationAmong(statements: readonly ts.Statement[], text: string): ts.Node | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const found = bindingOf(declaration.name, text);
        if (found) return found;
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === text) {
      return statement;
    }
  }
  return undefined;
}

/** What `scope` itself declares under `text`: a parameter, a function expression's own name, a statement, a catch or loop variable. */
function declarationIn(scope: ts.Node, text: string): ts.Node | undefined {
  if (ts.isFunctionLike(scope)) {
    for (const parameter of scope.parameters) {
      const found = bindingOf(parameter.name, text);
      if (found) return found;
    }
    if (ts.isFunctionExpression(scope) && scope.name?.text === text) return scope;
  }
  if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
    return declarationAmong(scope.statements, text);
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration) return bindingOf(scope.variableDeclaration.name, text);
  if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
    for (const declaration of scope.initializer.declarations) {
      const found = bindingOf(declaration.name, text);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The declaration a name refers to at `from`: a variable, parameter, function or class in an
 * enclosing scope, the file's top level included (imports are not returned: they live in
 * `file.bindings`).
 */
export function findDeclaration(text: string, from: ts.Node): ts.Node | undefined {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    const found = declarationIn(scope, text);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether a local declaration hides the top-level import of `name` at `node` (a parameter named
 * `request`, a block-scoped `const axios = …`). File bindings only know the top level. With
 * `within`, only the scopes strictly inside it count: whether a name declared by `within` (a
 * function's parameter, a block's `const`) still means that declaration at `node`.
 */
export function isShadowed(node: ts.Node, name: string, within?: ts.Node): boolean {
  for (let scope = node.parent; scope && scope !== within && !ts.isSourceFile(scope); scope = scope.parent) {
    if (declarationIn(scope, name)) return true;
  }
  return false;
}

/** The identifier an expression such as `http.request` or `axios.default.get` starts from. */
export function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  if (ts.isIdentifier(expr)) return expr;
  if (ts.isPropertyAccessExpression(expr) || ts.isParenthesizedExpression(expr)) return rootIdentifier(expr.expression);
  return undefined;
}
