import path from 'node:path';
import ts from '#typescript';
import { collectBindings } from './bindings.js';
import { deepestNode, deepestTokenPosition, isStackOverflow, TOO_DEEPLY_NESTED } from './nesting.js';
import type { Language, ModuleSystem, SourceFile } from './types.js';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** A source that could not be used, with the position to report. */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${file}:${line}:${column}: ${message}`, options);
  }
}

/** A file nested deeper than the parser or a tree walk can recurse: reported, never a crashed run. */
export class TooDeeplyNestedError extends SourceError {}

/** Bytes as read from disk, split into what transforms see and what must be restored. */
export interface DecodedText {
  text: string;
  bom: boolean;
}

export function decodeSource(file: string, bytes: Buffer): DecodedText {
  // A NUL byte never occurs in JavaScript source; it marks a binary file under a source name.
  if (bytes.includes(0)) throw new SourceError(file, 1, 1, 'binary file, not JavaScript or TypeScript');
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !bytes.equals(Buffer.from(text, 'utf8'))) {
    throw new SourceError(file, 1, 1, 'not valid UTF-8');
  }
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

export function encodeSource(decoded: DecodedText): string {
  return decoded.bom ? `\uFEFF${decoded.text}` : decoded.text;
}

export function isSourcePath(file: string): boolean {
  if (/\.d\.[mc]?ts$/.test(file)) return false;
  return SOURCE_EXTENSIONS.includes(path.extname(file));
}

function scriptKind(file: string): ts.ScriptKind {
  switch (path.extname(file)) {
    case '.ts':
    case '.mts':
    case '.cts':
      return ts.ScriptKind.TS;
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    default:
      return ts.ScriptKind.JS;
  }
}

export function languageOf(file: string): Language {
  return /\.[mc]?tsx?$/.test(file) ? 'ts' : 'js';
}

/**
 * `.mjs`/`.mts` are ESM and `.cjs`/`.cts` CommonJS by definition; otherwise the file's own syntax
 * decides (an `import` or `export` statement means ESM), then the nearest package.json `type`.
 */
export function detectModuleSystem(file: string, ast: ts.SourceFile, packageType: () => 'module' | 'commonjs'): ModuleSystem {
  const ext = path.extname(file);
  if (ext === '.mjs' || ext === '.mts') return 'esm';
  if (ext === '.cjs' || ext === '.cts') return 'cjs';
  for (const statement of ast.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      return 'esm';
    }
    if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      return 'esm';
    }
  }
  if (/\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(ast.text)) return 'cjs';
  return packageType() === 'module' ? 'esm' : 'cjs';
}

/** Throws a SourceError at the first syntax error; parent links only when the AST is walked. */
function parseChecked(file: string, text: string, setParents: boolean): ts.SourceFile {
  let ast: ts.SourceFile;
  try {
    ast = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, setParents, scriptKind(file));
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    const kind = scriptKind(file);
    const pos = deepestTokenPosition(text, kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX);
    const { line, character } = ts.getLineAndCharacterOfPosition({ text } as ts.SourceFileLike, pos);
    throw new TooDeeplyNestedError(file, line + 1, character + 1, TOO_DEEPLY_NESTED, { cause: error });
  }
  // parseDiagnostics is not in the public typings, but it is the parser's own error list: reading
  // it avoids building a Program just to learn whether the file parsed.
  const diagnostics = (ast as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first) {
    const { line, character } = ast.getLineAndCharacterOfPosition(first.start);
    throw new SourceError(file, line + 1, character + 1, ts.flattenDiagnosticMessageText(first.messageText, '\n'));
  }
  return ast;
}

/** Checks that a rewritten text still parses (no bindings, no parent links: nothing walks it). */
export function assertParses(file: string, text: string): void {
  parseChecked(file, text, false);
}

/** Parses with the TypeScript compiler; a syntax error is a SourceError at its position. */
export function parseSource(file: string, text: string, packageType: () => 'module' | 'commonjs'): SourceFile {
  const ast = parseChecked(file, text, true);
  const moduleSystem = detectModuleSystem(file, ast, packageType);
  return { path: file, text, ast, language: languageOf(file), moduleSystem, bindings: collectBindings(ast) };
}

/**
 * The error for a file whose processing ran out of stack after it parsed (a tree walk of a
 * transform, the bindings): at the start of its deepest node.
 */
export function tooDeeplyNested(file: string, text: string, cause: unknown): SourceError {
  let ast: ts.SourceFile;
  try {
    ast = parseChecked(file, text, false);
  } catch (error) {
    if (error instanceof TooDeeplyNestedError) return error;
    throw error;
  }
  const { line, column } = positionOf(ast, deepestNode(ast).getStart(ast));
  return new TooDeeplyNestedError(file, line, column, TOO_DEEPLY_NESTED, { cause });
}

/** 1-based line and column of a position. */
export function positionOf(ast: ts.SourceFile, pos: number): { line: number; column: number } {
  const { line, character } = ast.getLineAndCharacterOfPosition(pos);
  return { line: line + 1, column: character + 1 };
}
