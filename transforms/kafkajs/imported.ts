import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from '#typescript';
import { parseSource, SourceError } from '../../src/codemod/parse-source.js';
import type { SourceFile } from '../../src/codemod/types.js';
import { declarationOf, type Declaration } from './declarations.js';

/**
 * Kafka clients usually live in a module of their own (`export const kafka = new Kafka(…)`) that
 * other modules import. To recognise `kafka.producer()` or `producer.send()` there, a local name
 * imported from a relative module is followed to the declaration it is exported as.
 */

/** Extensions tried for an import specifier, TypeScript's `.js` → `.ts` spelling included. */
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

function candidates(from: string, specifier: string): string[] {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(m|c)?(j|t)sx?$/, '');
  return [base, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
}

/**
 * Parsed modules by path, valid while the file's mtime and size stay the same. Bounded: a run
 * over a large tree must not keep every syntax tree it looked at alive.
 */
const cache = new Map<string, { stamp: string; file: SourceFile | undefined }>();
const CACHE_SIZE = 256;

function load(file: string): SourceFile | undefined {
  let stamp: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > 1_000_000) return undefined;
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
  const cached = cache.get(file);
  if (cached?.stamp === stamp) return cached.file;
  let parsed: SourceFile | undefined;
  try {
    parsed = parseSource(file, readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), () => 'module');
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
  }
  cache.delete(file);
  cache.set(file, { stamp, file: parsed });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return parsed;
}

/** The module a relative specifier names, parsed; undefined for packages or files not found. */
export function relativeModule(from: SourceFile, specifier: string): SourceFile | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  for (const file of candidates(from.path, specifier)) {
    const parsed = load(file);
    if (parsed) return parsed;
  }
  return undefined;
}

function isExported(node: ts.Node): boolean {
  return !!ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** `module.exports.x` / `exports.x` → `x`; `module.exports` → `''`. */
function commonJsExport(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr) && expr.text === 'exports') return '';
  if (ts.isPropertyAccessExpression(expr)) {
    if (ts.isIdentifier(expr.expression) && expr.expression.text === 'module' && expr.name.text === 'exports') return '';
    const owner = commonJsExport(expr.expression);
    if (owner === '') return expr.name.text;
  }
  return undefined;
}

/** What an exported value refers to: a local name's declaration, or the value itself. */
export type Exported = { module: SourceFile; declaration: Declaration } | { module: SourceFile; value: ts.Expression };

function fromValue(module: SourceFile, value: ts.Expression): Exported {
  if (ts.isIdentifier(value)) {
    const declaration = declarationOf(value.text, value);
    if (declaration) return { module, declaration };
  }
  return { module, value };
}

/**
 * The declaration (or value) `module` exports as `name` (`default` for the default export):
 * `export const x = …`, `export { y as x }`, `export default x`, `module.exports = { x }`,
 * `exports.x = …`. Re-exports from other modules are not followed.
 */
export function exportedAs(module: SourceFile, name: string): Exported | undefined {
  for (const statement of module.ast.statements) {
    if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return { module, declaration };
      }
    }
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        if (element.name.text !== name) continue;
        const local = (element.propertyName ?? element.name).text;
        const declaration = declarationOf(local, element);
        if (declaration) return { module, declaration };
      }
    }
    if (ts.isExportAssignment(statement) && !statement.isExportEquals && name === 'default') return fromValue(module, statement.expression);
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const { left, right } = statement.expression;
      const exported = commonJsExport(left);
      if (exported === name) return fromValue(module, right);
      if (exported === '' && (name === 'default' || name === '*')) return fromValue(module, right);
      if (exported === '' && ts.isObjectLiteralExpression(right)) {
        for (const property of right.properties) {
          if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return fromValue(module, property.name);
          if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name) return fromValue(module, property.initializer);
        }
      }
    }
  }
  return undefined;
}

/** Where a top-level imported name of `file` comes from, when that is a relative module of the project. */
export function importedFrom(file: SourceFile, name: string): Exported | undefined {
  const binding = file.bindings.get(name);
  if (!binding) return undefined;
  const module = relativeModule(file, binding.module);
  return module ? exportedAs(module, binding.imported) : undefined;
}
