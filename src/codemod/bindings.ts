import ts from '#typescript';
import type { ModuleBinding, SourceFile } from './types.js';

function moduleName(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** `require('x')` → `x`; also `require('x').y` → `x` with member `y`. */
function requireOf(expr: ts.Expression): { module: string; member?: string } | undefined {
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'require') {
    const [arg] = expr.arguments;
    if (arg && ts.isStringLiteralLike(arg)) return { module: moduleName(arg.text) };
  }
  if (ts.isPropertyAccessExpression(expr)) {
    const inner = requireOf(expr.expression);
    if (inner && !inner.member) return { module: inner.module, member: expr.name.text };
  }
  if (ts.isParenthesizedExpression(expr) || ts.isAwaitExpression(expr)) return requireOf(expr.expression);
  return undefined;
}

function bindRequire(map: Map<string, ModuleBinding>, declaration: ts.VariableDeclaration): void {
  if (!declaration.initializer) return;
  const required = requireOf(declaration.initializer);
  if (!required) return;
  const { name } = declaration;
  if (ts.isIdentifier(name)) {
    map.set(name.text, { module: required.module, imported: required.member ?? '*' });
  } else if (ts.isObjectBindingPattern(name) && !required.member) {
    for (const element of name.elements) {
      if (!ts.isIdentifier(element.name) || element.dotDotDotToken) continue;
      const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
      map.set(element.name.text, { module: required.module, imported });
    }
  }
}

/**
 * Local names bound to modules at the top level of a file: ESM imports (default, namespace,
 * named, aliased), `import x = require()`, and CommonJS requires (whole module, destructured,
 * `require('x').member`). Transforms resolve call targets through this map, so import style
 * does not matter to them.
 */
export function collectBindings(ast: ts.SourceFile): Map<string, ModuleBinding> {
  const map = new Map<string, ModuleBinding>();
  for (const statement of ast.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = moduleName(statement.moduleSpecifier.text);
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) map.set(clause.name.text, { module, imported: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) map.set(bindings.name.text, { module, imported: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          map.set(element.name.text, { module, imported: (element.propertyName ?? element.name).text });
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expr = statement.moduleReference.expression;
      if (ts.isStringLiteral(expr)) map.set(statement.name.text, { module: moduleName(expr.text), imported: '*' });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bindRequire(map, declaration);
    }
  }
  return map;
}

/** What an expression refers to inside a module: its main export (`path: []`) or a member path. */
export interface ModuleReference {
  module: string;
  path: string[];
}

/**
 * Resolves `express`, `express.Router`, `Router`, `require('express').Router`, `http.request`, …
 * to the module and member they refer to. `default` and `*` both mean the module's main export,
 * which is what CommonJS packages such as express and axios expose either way.
 */
export function resolveModuleReference(file: SourceFile, expr: ts.Expression): ModuleReference | undefined {
  if (ts.isParenthesizedExpression(expr)) return resolveModuleReference(file, expr.expression);
  if (ts.isIdentifier(expr)) {
    const binding = file.bindings.get(expr.text);
    if (!binding) return undefined;
    const isMain = binding.imported === 'default' || binding.imported === '*';
    return { module: binding.module, path: isMain ? [] : [binding.imported] };
  }
  if (ts.isPropertyAccessExpression(expr)) {
    const required = requireOf(expr.expression);
    const base = required
      ? { module: required.module, path: required.member ? [required.member] : [] }
      : resolveModuleReference(file, expr.expression);
    if (!base) return undefined;
    // `mod.default.x` is the interop spelling of `mod.x`.
    const member = expr.name.text;
    if (member === 'default' && base.path.length === 0) return base;
    return { module: base.module, path: [...base.path, member] };
  }
  const required = requireOf(expr);
  if (required) return { module: required.module, path: required.member ? [required.member] : [] };
  return undefined;
}

/** Shorthand: does `expr` refer to `module` at `path` (e.g. `('express', ['Router'])`)? */
export function refersTo(file: SourceFile, expr: ts.Expression, module: string, path: string[]): boolean {
  const ref = resolveModuleReference(file, expr);
  return !!ref && ref.module === module && ref.path.length === path.length && ref.path.every((p, i) => p === path[i]);
}
