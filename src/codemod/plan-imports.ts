import ts from '#typescript';
import { quoted, type CodeStyle } from './code-style.js';
import { SourceError, positionOf } from './parse-source.js';
import type { Edit, ImportRequest, SourceFile } from './types.js';

function specifierOf(statement: ts.Statement): string | undefined {
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) return statement.moduleSpecifier.text;
  if (ts.isVariableStatement(statement)) {
    const init = statement.declarationList.declarations[0]?.initializer;
    if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') {
      const arg = init.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) return arg.text;
    }
  }
  return undefined;
}

function isImportLike(statement: ts.Statement): boolean {
  return ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || specifierOf(statement) !== undefined;
}

/** Names a file already declares at top level, to avoid shadowing or duplicate declarations. */
function declaredNames(file: SourceFile): Set<string> {
  const names = new Set(file.bindings.keys());
  for (const statement of file.ast.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    }
  }
  return names;
}

/** Where new import lines go: after the last import/require, else before the first statement. */
function insertionPoint(file: SourceFile): { pos: number; before: boolean } {
  const statements = file.ast.statements;
  let last: ts.Statement | undefined;
  for (const statement of statements) {
    if (isImportLike(statement)) last = statement;
    else if (last || !(ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression))) break;
  }
  if (last) return { pos: last.end, before: false };
  // After directives such as 'use strict', never above them.
  const directives = statements.filter((s, i) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && statements.slice(0, i).every((p) => ts.isExpressionStatement(p) && ts.isStringLiteral(p.expression)));
  const lastDirective = directives[directives.length - 1];
  if (lastDirective) return { pos: lastDirective.end, before: false };
  const first = statements[0];
  if (!first) return { pos: file.text.length, before: true };
  // Above the JSDoc written right on top of the first statement: it must stay attached (JSDoc
  // types in JavaScript). A doc comment set apart by a blank line is a file header: stay below it.
  const docs = ts.getJSDocCommentsAndTags(first).filter((d): d is ts.JSDoc => ts.isJSDoc(d));
  const doc = docs[docs.length - 1];
  const attached = doc && !/\n[ \t]*\r?\n/.test(file.text.slice(doc.end, first.getStart(file.ast)));
  return { pos: attached ? doc.getStart(file.ast) : first.getStart(file.ast), before: true };
}

/**
 * Edits that bring the requested names into scope in the file's own module system: merged into
 * an existing import or destructuring require of the same module, otherwise one new line per
 * module; names already imported are not imported again.
 */
export function planImports(
  file: SourceFile,
  requests: readonly ImportRequest[],
  specifierFor: (from: string) => string,
  style: CodeStyle,
): Edit[] {
  const declared = declaredNames(file);
  const wanted = new Map<string, string[]>();
  for (const request of requests) {
    const specifier = specifierFor(request.from);
    const existing = file.bindings.get(request.name);
    if (existing) {
      if (existing.imported === request.name || existing.imported === '*' || existing.imported === 'default') {
        const normalised = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
        if (existing.module === normalised) continue;
      }
    }
    if (declared.has(request.name)) {
      const { line, column } = positionOf(file.ast, 0);
      throw new SourceError(file.path, line, column, `cannot import ${request.name}: the file already declares that name`);
    }
    const names = wanted.get(specifier) ?? [];
    if (!names.includes(request.name)) names.push(request.name);
    wanted.set(specifier, names);
  }
  const edits: Edit[] = [];
  const fresh: string[] = [];
  const semi = style.semicolon ? ';' : '';
  const importSyntax = usesImportSyntax(file);
  for (const [specifier, names] of wanted) {
    const merged = mergeIntoExisting(file, specifier, names);
    if (merged) {
      edits.push(merged);
      continue;
    }
    const list = names.join(', ');
    fresh.push(
      importSyntax
        ? `import { ${list} } from ${quoted(style, specifier)}${semi}`
        : `${style.declaration} { ${list} } = require(${quoted(style, specifier)})${semi}`,
    );
  }
  if (fresh.length > 0) {
    const { pos, before } = insertionPoint(file);
    const block = fresh.join(style.eol);
    edits.push({ start: pos, end: pos, text: before ? `${block}${style.eol}${style.eol}` : `${style.eol}${block}` });
  }
  return edits;
}

/**
 * ESM files, and TypeScript files that already import with `import` (a `.cts` file compiles them
 * to `require`): there an untyped `const { x } = require()` would lose the helpers' types.
 */
function usesImportSyntax(file: SourceFile): boolean {
  if (file.moduleSystem === 'esm') return true;
  return file.language === 'ts' && file.ast.statements.some((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
}

function mergeIntoExisting(file: SourceFile, specifier: string, names: string[]): Edit | undefined {
  for (const statement of file.ast.statements) {
    if (specifierOf(statement) !== specifier) continue;
    if (ts.isImportDeclaration(statement)) {
      const bindings = statement.importClause?.namedBindings;
      if (statement.importClause?.isTypeOnly || !bindings || !ts.isNamedImports(bindings)) continue;
      return appendToList(bindings.elements, bindings.getEnd() - 1, names);
    }
    if (ts.isVariableStatement(statement)) {
      const pattern = statement.declarationList.declarations[0]?.name;
      if (pattern && ts.isObjectBindingPattern(pattern)) return appendToList(pattern.elements, pattern.getEnd() - 1, names);
    }
  }
  return undefined;
}

/** Adds names after the last element of `{ a, b }`, keeping a trailing comma if there is one. */
function appendToList(elements: ts.NodeArray<ts.Node>, closeBrace: number, names: string[]): Edit {
  const last = elements[elements.length - 1];
  if (!last) return { start: closeBrace, end: closeBrace, text: ` ${names.join(', ')} ` };
  const text = elements.hasTrailingComma ? ` ${names.join(', ')},` : `, ${names.join(', ')}`;
  return { start: last.end + (elements.hasTrailingComma ? 1 : 0), end: last.end + (elements.hasTrailingComma ? 1 : 0), text };
}
