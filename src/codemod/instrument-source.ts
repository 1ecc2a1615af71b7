import type ts from 'typescript';
import { applyEdits, OverlappingEditsError } from './apply-edits.js';
import { HELPER_DIR_NAME } from './helper-modules.js';
import { detectCodeStyle } from './code-style.js';
import { planImports } from './plan-imports.js';
import { isStackOverflow } from './nesting.js';
import { assertParses, decodeSource, encodeSource, parseSource, positionOf, SourceError, TooDeeplyNestedError, tooDeeplyNested } from './parse-source.js';
import type { CallSite, Edit, FileStatus, ImportRequest, SourceFile, Transform, Warning, WarnOptions } from './types.js';

export const IGNORE_MARKER = 'otel-instrument-ignore';
const IGNORE_COMMENT = new RegExp(`(//|/\\*)\\s*${IGNORE_MARKER}\\b`);
export const HELPER_PREFIX = 'helper:';

export interface SourceOptions {
  transforms: readonly Transform[];
  /** The import specifier of a generated helper module, as seen from this file. */
  helperSpecifier(helper: string, file: SourceFile): string;
  /** The `type` of the nearest package.json, asked only when a file's syntax does not tell. */
  packageType(): 'module' | 'commonjs';
  /**
   * Parse the rewritten text before returning it (default). `--check` writes and shows nothing, so
   * it skips this second parse, a third of the work on a changed file.
   */
  verifyOutput?: boolean;
  /** Whether the project owning the file depends on a package (default: no). */
  dependsOn?(pkg: string): boolean;
}

export interface SourceOutcome {
  status: FileStatus;
  reason?: string;
  error?: SourceError;
  sites: CallSite[];
  warnings: Warning[];
  /** New bytes (as text, BOM kept) when changed. */
  after?: string;
  /** Helper modules the new code imports. */
  helpers: string[];
  file?: SourceFile;
}

function lineText(text: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

/** `// otel-instrument-ignore` among the comments above the first statement opts a file out. */
function fileIgnored(file: SourceFile): boolean {
  const first = file.ast.statements[0];
  const header = first ? file.text.slice(0, first.getStart(file.ast)) : file.text;
  return IGNORE_COMMENT.test(header);
}

const anyWordCache = new WeakMap<readonly Transform[], RegExp>();

/**
 * One pattern for every trigger word and helper path of the transforms: most files contain
 * none, and one scan of the text tells that several times faster than a search per word.
 */
function anyWordOf(transforms: readonly Transform[]): RegExp {
  let pattern = anyWordCache.get(transforms);
  if (!pattern) {
    const words = transforms.flatMap((t) => [...t.triggers, ...t.helpers.map((helper) => `${HELPER_DIR_NAME}/${helper}`)]);
    const escaped = [...new Set(words)].map((word) => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    // No words (no transforms) matches nothing.
    pattern = new RegExp(escaped.length > 0 ? escaped.join('|') : '[^\\s\\S]');
    anyWordCache.set(transforms, pattern);
  }
  return pattern;
}

/**
 * The prefilter: the transforms whose trigger words the text contains. A file that imports one
 * of a transform's generated helpers is a candidate too: its call sites are already instrumented
 * and still belong in the report.
 */
export function candidateTransforms(text: string, transforms: readonly Transform[]): Transform[] {
  if (!anyWordOf(transforms).test(text)) return [];
  return transforms.filter(
    (t) => t.triggers.some((word) => text.includes(word)) || t.helpers.some((helper) => text.includes(`${HELPER_DIR_NAME}/${helper}`)),
  );
}

/** Whether the file gets parsed: it decodes and passes the prefilter (else instrumentSource answers at once). */
export function needsParse(path: string, bytes: Buffer, transforms: readonly Transform[]): boolean {
  try {
    return candidateTransforms(decodeSource(path, bytes).text, transforms).length > 0;
  } catch (error) {
    if (error instanceof SourceError) return false;
    throw error;
  }
}

/**
 * The whole per-file pipeline on text: decode → prefilter → parse → find call sites → plan →
 * apply edits and imports → check the result still parses. Pure: reads and writes nothing.
 */
export function instrumentSource(path: string, bytes: Buffer, options: SourceOptions): SourceOutcome {
  try {
    return instrumentDecodable(path, bytes, options);
  } catch (error) {
    // A tree walk ran out of stack on a deeply nested file: that file fails, the run goes on.
    if (!isStackOverflow(error)) throw error;
    const err = tooDeeplyNested(path, decodeSource(path, bytes).text, error);
    return { status: 'error', reason: 'too deeply nested', error: err, sites: [], warnings: [], helpers: [] };
  }
}

function instrumentDecodable(path: string, bytes: Buffer, options: SourceOptions): SourceOutcome {
  const helpers = new Set<string>();
  let decoded;
  try {
    decoded = decodeSource(path, bytes);
  } catch (error) {
    if (error instanceof SourceError) return { status: 'skipped', reason: error.message.replace(/^.*?: /, '').replace(/^\d+:\d+: /, ''), sites: [], warnings: [], helpers: [] };
    throw error;
  }
  const candidates = candidateTransforms(decoded.text, options.transforms);
  if (candidates.length === 0) return { status: 'skipped', reason: 'nothing to instrument (prefilter)', sites: [], warnings: [], helpers: [] };

  let file: SourceFile;
  try {
    file = parseSource(path, decoded.text, options.packageType);
  } catch (error) {
    if (error instanceof SourceError) {
      const reason = error instanceof TooDeeplyNestedError ? 'too deeply nested' : 'syntax error';
      return { status: 'error', reason, error, sites: [], warnings: [], helpers: [] };
    }
    throw error;
  }
  if (fileIgnored(file)) return { status: 'skipped', reason: `${IGNORE_MARKER} comment`, sites: [], warnings: [], helpers: [], file };

  const sites: CallSite[] = [];
  const warnings: Warning[] = [];
  const edits: Edit[] = [];
  const imports: ImportRequest[] = [];
  for (const transform of candidates) {
    const context = {
      warn(node: ts.Node, message: string, warnOptions?: WarnOptions) {
        const { line, column } = positionOf(file.ast, node.getStart(file.ast));
        if (IGNORE_COMMENT.test(lineText(file.text, line - 1))) return;
        warnings.push({ transform: transform.id, file: path, line, column, message, ...(warnOptions?.unlessSite ? { unlessSite: warnOptions.unlessSite } : {}) });
      },
      dependsOn: (pkg: string) => options.dependsOn?.(pkg) ?? false,
    };
    for (const found of transform.find(file, context)) {
      const { line, column } = positionOf(file.ast, found.node.getStart(file.ast));
      const ignored = IGNORE_COMMENT.test(lineText(file.text, line - 1)) || undefined;
      sites.push({ ...found.site, transform: transform.id, file: path, line, column, ...(ignored ? { ignored } : {}) });
      if (ignored || found.site.instrumented || !found.plan) continue;
      edits.push(...found.plan.edits);
      imports.push(...found.plan.imports);
    }
  }
  if (edits.length === 0) {
    const reason = sites.length === 0 ? 'no call sites' : 'already instrumented';
    return { status: 'unchanged', reason, sites, warnings, helpers: [], file };
  }

  try {
    for (const request of imports) if (request.from.startsWith(HELPER_PREFIX)) helpers.add(request.from.slice(HELPER_PREFIX.length));
    const specifierFor = (from: string) =>
      from.startsWith(HELPER_PREFIX) ? options.helperSpecifier(from.slice(HELPER_PREFIX.length), file) : from;
    const style = detectCodeStyle(file.ast);
    const text = applyEdits(file.text, [...edits, ...planImports(file, imports, specifierFor, style)]);
    // A transform bug must never reach the user's disk: the result has to parse.
    if (options.verifyOutput !== false) assertParses(path, text);
    return { status: 'changed', sites, warnings, after: encodeSource({ text, bom: decoded.bom }), helpers: [...helpers], file };
  } catch (error) {
    if (error instanceof SourceError) return { status: 'error', reason: 'cannot instrument', error, sites, warnings, helpers: [], file };
    if (error instanceof OverlappingEditsError) {
      const err = new SourceError(path, 1, 1, `internal error: ${error.message}`);
      return { status: 'error', reason: 'cannot instrument', error: err, sites, warnings, helpers: [], file };
    }
    throw error;
  }
}
