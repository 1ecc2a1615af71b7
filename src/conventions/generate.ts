import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic, WriteError } from '../write-file.js';
import { ConventionsOptionsError, OutputError, type Problem } from './errors.js';
import { symlinkOnTheWay } from './no-symlinks.js';
import type { Registry } from './model.js';
import { renderGo } from './render-go.js';
import { versionOf, type GeneratedCounts, type GeneratedFile, type RunInfo } from './render-output.js';
import { renderTs } from './render-ts.js';
import { nameFilter, type Selection } from './select.js';
import { loadSpecModel } from './spec-model.js';
import { loadTemplateSet, type Language } from './template-set.js';

export type { GeneratedFile, GeneratedCounts } from './render-output.js';
export type { Language } from './template-set.js';

export interface ConventionsOptions {
  /**
   * Model directories (`--spec`); several are read as one registry. None (the default): the
   * embedded v1.44.0 model. See `loadSpecModel` for when they are read on top of it.
   */
  spec?: string | readonly string[];
  lang: Language;
  /** Default `stable`. */
  stability?: 'stable' | 'all';
  /** Default false. */
  includeDeprecated?: boolean;
  /** Go package name; default `semconv`. */
  package?: string;
  /** A directory with `ts/` and/or `go/` templates that replace the built-in ones. */
  templates?: string;
  /** Overrides the `schema_url` of the model's manifest. */
  schemaUrl?: string;
  /**
   * Only these attributes (with their enum values), metrics and events: exact names or `prefix.*`
   * patterns. An exact name the model does not define is an error. Default: everything.
   */
  only?: readonly string[];
  /** When given, the files are also written there (see `writeConventions`). */
  out?: string;
}

export interface ConventionsResult {
  lang: Language;
  /** Files to write, paths relative to the output directory. */
  files: GeneratedFile[];
  /** Name collisions settled by leaving a deprecated name out (`file:line`). */
  warnings: Problem[];
  counts: GeneratedCounts;
  schemaUrl: string | null;
  /** Paths written (`out` joined with each file's path), when `out` was given. */
  written: string[];
  /**
   * Outputs of the template set that this run leaves out (`incubating.ts` with `--stability all`):
   * `writeConventions` removes a file of that name that an earlier run generated.
   */
  omitted: string[];
  /** Paths removed that way. */
  removed: string[];
}

/**
 * Generates semantic-convention constants for one language from the YAML model. Writes the
 * files only when `options.out` is given (or pass the result to `writeConventions`).
 *
 * @throws ModelInvalidError (every `file:line` problem of the model), TemplateError,
 *   ConventionsOptionsError, OutputError (`out` cannot be written).
 */
export async function generateConventions(options: ConventionsOptions): Promise<ConventionsResult> {
  const specDirs = typeof options.spec === 'string' ? [options.spec] : (options.spec ?? []);
  const [registry, templates] = await Promise.all([loadSpecModel(specDirs), loadTemplateSet(checkLang(options.lang), options.templates)]);
  const result = await renderConventions(registry, options, templates);
  if (options.out !== undefined) Object.assign(result, await writeConventions(options.out, result));
  return result;
}

/** The rendering half of `generateConventions`, for a registry already loaded. */
export async function renderConventions(
  registry: Registry,
  options: Omit<ConventionsOptions, 'spec'>,
  templates?: Awaited<ReturnType<typeof loadTemplateSet>>,
): Promise<ConventionsResult> {
  const lang = checkLang(options.lang);
  const set = templates ?? (await loadTemplateSet(lang, options.templates));
  const selection: Selection = { stability: options.stability ?? 'stable', includeDeprecated: options.includeDeprecated ?? false };
  if (options.only !== undefined) {
    const filter = nameFilter(options.only, registry);
    if (filter.unknown.length > 0) {
      throw new ConventionsOptionsError(`--only: the model defines no attribute, metric or event named ${filter.unknown.map((n) => `'${n}'`).join(', ')}`);
    }
    selection.only = filter.accepts;
  }
  if (selection.stability !== 'stable' && selection.stability !== 'all') {
    throw new ConventionsOptionsError(`--stability ${String(selection.stability)}: expected stable or all`);
  }
  const schemaUrl = options.schemaUrl ?? registry.schemaUrl ?? null;
  const run: RunInfo = { schemaUrl, version: versionOf(schemaUrl ?? undefined), ...selection };
  const output = lang === 'ts' ? renderTs(registry, selection, set, run) : renderGo(registry, selection, set, run, options.package ?? 'semconv');
  const omitted = set.templates.map((t) => t.output).filter((name) => !output.files.some((file) => file.path === name));
  return { lang, schemaUrl, ...output, written: [], omitted, removed: [] };
}

function checkLang(lang: string): Language {
  if (lang !== 'ts' && lang !== 'go') throw new ConventionsOptionsError(`--lang ${lang}: expected ts or go`);
  return lang;
}

/** Text every built-in template puts in its output: what marks a file as ours to remove. */
const GENERATED_MARK = 'otel-instrument conventions';

/**
 * Writes the generated files under `outDir` (created if needed), and removes files an earlier run
 * generated there that this run leaves out. Returns the paths written and removed. Each file is
 * replaced atomically (temp file + rename); nothing is written when the directory or one of the
 * files is a symbolic link (that would change a file elsewhere).
 *
 * @throws OutputError naming the path that could not be written, and why.
 */
export async function writeConventions(outDir: string, result: ConventionsResult): Promise<{ written: string[]; removed: string[] }> {
  const link = symlinkOnTheWay(outDir, [...result.files.map((f) => f.path), ...result.omitted]);
  if (link !== undefined) throw new OutputError(`--out ${outDir}: ${link} is a symbolic link; otel-instrument never writes through one (nothing written)`);
  const existing = await stat(outDir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new OutputError(`--out ${outDir}: exists and is not a directory (nothing written)`);
  await mkdir(outDir, { recursive: true }).catch((error: unknown) => {
    throw new OutputError(`--out ${outDir}: cannot create the directory (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  });
  const written: string[] = [];
  for (const file of result.files) {
    const target = path.join(outDir, file.path);
    try {
      await writeFileAtomic(target, file.content);
    } catch (error) {
      if (error instanceof WriteError) throw new OutputError(error.message, { cause: error });
      throw error;
    }
    written.push(target);
  }
  const removed: string[] = [];
  for (const name of result.omitted) {
    const target = path.join(outDir, name);
    const text = await readFile(target, 'utf8').catch(() => undefined);
    if (text?.includes(GENERATED_MARK)) {
      await rm(target);
      removed.push(target);
    }
  }
  return { written, removed };
}
