import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { bootstrapDependencies, renderBootstrap } from './bootstrap.js';
import { discoverFiles, DiscoveryError } from './discover-files.js';
import { fingerprint, isHelperText, readHelperState, TOOL_VERSION } from './helper-header.js';
import { apiRangeFor, HELPER_DIR_NAME, HELPER_RUNTIME_DEPENDENCIES, helperClosure, helperFile, helperSpecifier, knownHelper, renderHelper } from './helper-modules.js';
import { placeHelpers, type HelperUser } from './helper-placement.js';
import { needsParse } from './instrument-source.js';
import { HELPER_IMPORT, PLACEHOLDERS, planFile, type PlannedFile, type PlanTask, type SourceSummary } from './plan-file.js';
import { PlanPool, poolThreshold } from './plan-pool.js';
import { addDependencies, clearPackageCaches, findPackageJson, packageTypeFor } from './package-json.js';
import { projectTop } from './project-top.js';
import type { LogFieldsProfile } from '../log-fields.js';
import type { Flavor } from '../render-template.js';
import { displayPath } from '../relative-path.js';
import { selectTransforms } from './select-transforms.js';
import { resolverEnding, tsSpecifierEndingOf } from './specifier-style.js';
import { clearTsconfigCache, owningProjectConfig } from './tsconfig.js';
import type { FileResult, InstrumentResult, OutdatedHelper, ProjectFileChange, Transform, TransformsModule } from './types.js';
import { removeLeftoverTempFiles, writeProject } from './write-project.js';
export type Mode = 'write' | 'dry-run' | 'check';

export interface InstrumentOptions {
  paths: string[];
  /** The transforms to offer (`transforms/index.ts` lists them all); `only`/`exclude` choose among them. */
  transforms: readonly Transform[];
  /**
   * Where plan workers import the same list from; without it a run plans every file on the
   * main thread (see plan-pool.ts).
   */
  transformsFrom?: TransformsModule;
  mode: Mode;
  cwd?: string;
  only?: string[];
  exclude?: string[];
  changedSince?: string;
  /** Format changed files with the project's own prettier config. */
  prettier?: boolean;
  /** Also write the SDK set-up file here. */
  bootstrap?: string;
  idGenerator?: 'random' | 'time-ordered';
  /** The log field profile written into the log helpers as their default. */
  logFields?: LogFieldsProfile;
  onProgress?(done: number, total: number): void;
}

async function formatWithPrettier(file: string, text: string): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...config, filepath: file });
}


/** A file importing helpers, with what the project step needs to know about it. */
interface User extends HelperUser {
  top: string;
  source: SourceSummary;
  entry: FileResult;
  /** Helpers this run imports newly, by placeholder. */
  placeholders: Set<string>;
  /** Helpers already imported: the helper file each import points to. */
  existing: { helper: string; file: string; flavor: Flavor }[];
}

function esmAtRuntime(file: string, top: string): boolean {
  if (/\.m[jt]s$/.test(file)) return true;
  if (/\.c[jt]s$/.test(file)) return false;
  return packageTypeFor(path.dirname(file), top) === 'module';
}

/** The helper imports a parsed file already has, resolved to the helper files they name. */
function existingHelperImports(source: SourceSummary): User['existing'] {
  const found = new Map<string, User['existing'][number]>();
  for (const module of source.bindingModules) {
    const match = HELPER_IMPORT.exec(module);
    if (!match || !knownHelper(match[1]!)) continue;
    const dir = path.resolve(path.dirname(source.path), path.dirname(module));
    const ext = match[2];
    const flavor: Flavor =
      source.language === 'ts'
        ? { language: 'ts', moduleSystem: source.moduleSystem }
        : { language: 'js', moduleSystem: ext === '.mjs' ? 'esm' : ext === '.cjs' ? 'cjs' : source.moduleSystem };
    const file = helperFile(dir, match[1]!, flavor);
    found.set(file, { helper: match[1]!, file, flavor });
  }
  return [...found.values()];
}

/** A helper written before helpers had a fingerprint: its ESM/TS flavors have the old header; its CommonJS flavor lost it. */
function isUnfingerprintedCjsHelper(file: string): boolean {
  return path.basename(path.dirname(file)) === HELPER_DIR_NAME && file.endsWith('.cjs') && knownHelper(path.basename(file, '.cjs'));
}

/**
 * Instruments the files under `paths`: discover → per file (prefilter, parse, find, plan,
 * apply) → project files (helpers where the importing files' build finds them, package.json,
 * bootstrap) → write, unless `mode` says to only look. Generated helpers are recognised by their
 * header wherever they are and never treated as user code. Every run plans the helpers and
 * dependencies of all files that import helpers, not only of those it changes, so it repairs
 * an interrupted run. Returns what happened to every file; prints nothing.
 */
export async function instrument(options: InstrumentOptions): Promise<InstrumentResult> {
  const cwd = options.cwd ?? process.cwd();
  const transforms = selectTransforms(options.transforms, options.only, options.exclude);
  const result: InstrumentResult = { files: [], project: [], errors: [] };
  clearPackageCaches();
  clearTsconfigCache();
  let discovery;
  try {
    discovery = discoverFiles(options.paths, { changedSince: options.changedSince, cwd });
  } catch (error) {
    if (error instanceof DiscoveryError) {
      result.errors.push(error.message);
      return result;
    }
    throw error;
  }
  result.errors.push(...discovery.errors);
  for (const skipped of discovery.skipped) result.files.push({ path: skipped.path, status: 'skipped', reason: skipped.reason, sites: [] });
  const firstRoot = discovery.roots[0];
  if (!firstRoot) return result;
  const tops = new Map(discovery.roots.map((root) => [root, projectTop(root, cwd)]));
  const users: User[] = [];

  const total = discovery.files.length;
  let done = 0;
  const planned: PlannedFile[] = [];
  const progress = (count: number) => {
    done += count;
    options.onProgress?.(done, total);
  };
  options.onProgress?.(0, total);
  // Read everything first; the files to parse are planned after, on more threads when there
  // are enough of them (see plan-pool.ts), each result in its file's place.
  const verifyOutput = options.mode !== 'check';
  const slots: (FileResult | { task: PlanTask; bytes: Buffer })[] = [];
  const toPlan: number[] = [];
  const threshold = poolThreshold();
  let pool: PlanPool | undefined;
  try {
    for (const { path: file, root } of discovery.files) {
      const top = tops.get(root)!;
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        slots.push({ path: file, status: 'error', reason: 'unreadable', error: `${file}:1:1: cannot read (${(error as NodeJS.ErrnoException).code})`, sites: [] });
        progress(1);
        continue;
      }
      // Our own generated helpers are not call sites to rewrite, wherever they are.
      if (isHelperText(bytes.subarray(0, 256).toString('utf8')) || isUnfingerprintedCjsHelper(file)) {
        slots.push({ path: file, status: 'skipped', reason: 'generated helper', sites: [] });
        progress(1);
        continue;
      }
      const task: PlanTask = { path: file, bytes, top };
      if (needsParse(file, bytes, transforms)) {
        toPlan.push(slots.length);
        if (!pool && toPlan.length >= threshold) pool = PlanPool.start(transforms, options.transformsFrom, verifyOutput);
        slots.push({ task, bytes });
        continue;
      }
      slots.push({ task, bytes });
      const index = slots.length - 1;
      planned[index] = planFile(task, transforms, verifyOutput);
      progress(1);
    }
    const tasks = toPlan.map((i) => (slots[i] as { task: PlanTask }).task);
    const plans = pool ? await pool.plan(tasks, transforms, verifyOutput, progress) : tasks.map((task) => {
      const plan = planFile(task, transforms, verifyOutput);
      progress(1);
      return plan;
    });
    toPlan.forEach((slot, i) => (planned[slot] = plans[i]!));
  } finally {
    await pool?.close();
  }

  for (const [index, slot] of slots.entries()) {
    if (!('task' in slot)) {
      result.files.push(slot);
      continue;
    }
    const { task, bytes } = slot;
    const file = task.path;
    const top = task.top;
    const outcome = planned[index]!;
    const entry: FileResult = { path: file, status: outcome.status, sites: outcome.sites };
    if (outcome.warnings.length > 0) entry.warnings = outcome.warnings;
    if (outcome.reason) entry.reason = outcome.reason;
    if (outcome.error) entry.error = outcome.error;
    if (outcome.status === 'changed' && outcome.after !== undefined) {
      entry.before = bytes.toString('utf8');
      entry.after = outcome.after;
    }
    result.files.push(entry);
    const source = outcome.summary;
    if (!source || outcome.status === 'error') continue;
    const existing = existingHelperImports(source);
    const placeholders = new Set(outcome.placeholders);
    if (placeholders.size === 0 && existing.length === 0) continue;
    const packageJson = findPackageJson(path.dirname(file), top);
    const config = source.language === 'ts' ? owningProjectConfig(file, top).owner : undefined;
    users.push({
      file,
      language: source.language,
      packageDir: packageJson ? path.dirname(packageJson) : top,
      ...(config ? { config } : {}),
      existingDirs: [...new Set(existing.map((e) => path.dirname(e.file)))],
      top,
      source,
      entry,
      placeholders,
      existing,
    });
  }
  dropAnsweredWarnings(result.files);

  const helperDirs = placeHelpers(users);
  for (const user of users) {
    if (user.entry.after === undefined) continue;
    const dir = helperDirs.get(user.file)!;
    const flavor: Flavor = { language: user.source.language, moduleSystem: user.source.moduleSystem };
    const ending = user.language === 'ts' ? tsSpecifierEndingOf(user.source.relativeSpecifiers, owningProjectConfig(user.file, user.top).nearest, esmAtRuntime(user.file, user.top)) : undefined;
    user.entry.after = user.entry.after.replace(PLACEHOLDERS, (_, helper: string) => helperSpecifier(user.file, dir, helper, flavor, ending));
    if (options.prettier) user.entry.after = await formatWithPrettier(user.file, user.entry.after);
  }

  planProjectFiles(result, { users, helperDirs, firstRoot, tops, options });
  if (options.mode === 'write') {
    removeLeftoverTempFiles([...discovery.files.map((f) => path.dirname(f.path)), ...result.project.map((c) => path.dirname(c.path))]);
    await writeProject(result, [...new Set(tops.values())]);
  }
  return result;
}

/** Warnings a call site elsewhere in the run answers (WarnOptions.unlessSite) are dropped. */
function dropAnsweredWarnings(files: FileResult[]): void {
  const kinds = new Set(files.flatMap((f) => f.sites.filter((s) => !s.ignored && (s.instrumented || f.status === 'changed')).map((s) => s.kind)));
  for (const file of files) {
    if (!file.warnings) continue;
    file.warnings = file.warnings.filter((w) => !w.unlessSite || !kinds.has(w.unlessSite));
    for (const warning of file.warnings) delete warning.unlessSite;
    if (file.warnings.length === 0) delete file.warnings;
  }
}

interface ProjectContext {
  users: readonly User[];
  helperDirs: ReadonlyMap<string, string>;
  firstRoot: string;
  tops: ReadonlyMap<string, string>;
  options: InstrumentOptions;
}

/**
 * The helper files every importing file needs (its new imports and the ones it had), created
 * when missing; updated when this version writes them differently and the user has not edited
 * them; else reported as outdated and left alone.
 */
function planHelpers(result: InstrumentResult, ctx: ProjectContext): void {
  const wanted = new Map<string, { helper: string; dir: string; flavor: Flavor }>();
  const want = (dir: string, helpers: Iterable<string>, flavor: Flavor) => {
    for (const helper of helperClosure(helpers)) {
      const file = helperFile(dir, helper, flavor);
      if (!wanted.has(file)) wanted.set(file, { helper, dir, flavor });
    }
  };
  // TypeScript helpers import each other the way the project's resolver finds them.
  const withEnding = (user: User, dir: string, flavor: Flavor): Flavor =>
    flavor.language === 'ts' ? { ...flavor, importEnding: resolverEnding(owningProjectConfig(user.file, user.top).nearest, esmAtRuntime(path.join(dir, 'x.ts'), user.top)) } : flavor;
  for (const user of ctx.users) {
    const dir = ctx.helperDirs.get(user.file)!;
    if (user.placeholders.size > 0) want(dir, user.placeholders, withEnding(user, dir, { language: user.source.language, moduleSystem: user.source.moduleSystem }));
    for (const existing of user.existing) want(path.dirname(existing.file), [existing.helper], withEnding(user, path.dirname(existing.file), existing.flavor));
  }
  const outdated: OutdatedHelper[] = [];
  for (const [file, { helper, flavor }] of [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const after = renderHelper(helper, flavor, { logFields: ctx.options.logFields });
    if (!existsSync(file)) {
      result.project.push({ path: file, role: 'helper', before: undefined, after });
      continue;
    }
    let before: string;
    try {
      before = readFileSync(file, 'utf8');
    } catch (error) {
      result.errors.push(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`);
      continue;
    }
    if (before === after) continue;
    const state = readHelperState(before) ?? (isUnfingerprintedCjsHelper(file) ? { kind: 'legacy' as const, helper } : undefined);
    // A file of that name that is not a generated helper is the user's own: leave it.
    if (!state) continue;
    if (state.kind === 'unedited') {
      result.project.push({ path: file, role: 'helper', before, after });
      continue;
    }
    const afterBody = after.slice(after.indexOf('\n') + 1);
    // Edited, but this version would write what it wrote then: nothing to upgrade.
    if (state.kind === 'edited' && state.header.fingerprint === fingerprint(afterBody)) continue;
    const why = state.kind === 'edited' ? 'edited' : 'unfingerprinted';
    const writtenBy = state.kind === 'edited' ? state.header.version : undefined;
    const detail = why === 'edited' ? `written by otel-instrument ${writtenBy} and edited since` : 'written before helpers were fingerprinted';
    outdated.push({
      path: file,
      helper,
      why,
      ...(writtenBy ? { writtenBy } : {}),
      current: TOOL_VERSION,
      message: `${file}: outdated helper (${detail}; otel-instrument ${TOOL_VERSION} writes it differently): not updated, merge the difference by hand`,
      diff: helperDiff(file, before, after, ctx.options.cwd ?? process.cwd()),
    });
  }
  if (outdated.length > 0) result.outdated = outdated;
}

/** From the helper as it is to what this version writes, git-style names relative to the current directory. */
function helperDiff(file: string, before: string, after: string, cwd: string): string {
  const name = displayPath(file, cwd);
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, 'yours', `otel-instrument ${TOOL_VERSION}`, { context: 3 }).replace(/^=+\n/, '');
}

function planProjectFiles(result: InstrumentResult, ctx: ProjectContext): void {
  planHelpers(result, ctx);
  // Each package whose files import helpers gets the helpers' dependencies (monorepos too).
  const wanted = new Map<string, Record<string, string>>();
  const missing = new Set<string>();
  for (const user of ctx.users) {
    const packageJson = findPackageJson(path.dirname(user.file), user.top);
    if (!packageJson) missing.add(user.packageDir);
    else wanted.set(packageJson, { ...wanted.get(packageJson), ...HELPER_RUNTIME_DEPENDENCIES });
  }
  if (ctx.options.bootstrap) {
    const top = ctx.tops.get(ctx.firstRoot)!;
    const dependencies = addBootstrap(result, ctx.options, top);
    const packageJson = findPackageJson(ctx.firstRoot, top);
    if (!packageJson) missing.add(top);
    else wanted.set(packageJson, { ...wanted.get(packageJson), ...dependencies });
  }
  for (const dir of missing) {
    result.errors.push(`no package.json at or above ${dir} (looked no higher than the repository top): add ${Object.keys({ ...HELPER_RUNTIME_DEPENDENCIES, ...(ctx.options.bootstrap ? bootstrapDependencies() : {}) }).join(', ')} to your dependencies by hand`);
  }
  for (const [packageJson, dependencies] of [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    try {
      const before = readFileSync(packageJson, 'utf8');
      const after = addDependencies(before, withApiRange(before, dependencies), packageJson);
      if (after !== undefined) result.project.push({ path: packageJson, role: 'package.json', before, after });
    } catch (error) {
      result.errors.push((error as Error).message);
    }
  }
}

/** The dependencies with the `@opentelemetry/api` range the project's pinned TypeScript can read. */
function withApiRange(packageJsonText: string, dependencies: Record<string, string>): Record<string, string> {
  if (!('@opentelemetry/api' in dependencies)) return dependencies;
  let typescript: string | undefined;
  try {
    const json = JSON.parse(packageJsonText);
    typescript = json.devDependencies?.typescript ?? json.dependencies?.typescript;
  } catch {
    return dependencies; // addDependencies reports the broken file
  }
  return { ...dependencies, '@opentelemetry/api': apiRangeFor(typeof typescript === 'string' ? typescript : undefined) };
}

/** Flavor of the bootstrap file from its extension, then the package.json `type` beside it. */
function bootstrapFlavor(file: string, top: string): Flavor {
  const ext = path.extname(file);
  const language = /^\.[mc]?tsx?$/.test(ext) ? 'ts' : 'js';
  if (ext === '.mjs' || ext === '.mts') return { language, moduleSystem: 'esm' };
  if (ext === '.cjs' || ext === '.cts') return { language, moduleSystem: 'cjs' };
  return { language, moduleSystem: packageTypeFor(path.dirname(file), top) === 'module' ? 'esm' : 'cjs' };
}

/** Plans the bootstrap file (never overwritten: it is the user's once written); returns the dependencies it needs. */
function addBootstrap(result: InstrumentResult, options: InstrumentOptions, top: string): Record<string, string> {
  const target = path.resolve(options.cwd ?? process.cwd(), options.bootstrap!);
  if (!existsSync(target)) {
    const after = renderBootstrap(bootstrapFlavor(target, top), { idGenerator: options.idGenerator });
    result.project.push({ path: target, role: 'bootstrap', before: undefined, after });
  }
  return { ...HELPER_RUNTIME_DEPENDENCIES, ...bootstrapDependencies() };
}

export type { ProjectFileChange };
