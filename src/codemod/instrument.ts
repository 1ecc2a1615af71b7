import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bootstrapDependencies, renderBootstrap } from './bootstrap.js';
import { discoverFiles, DiscoveryError } from './discover-files.js';
import { HELPER_DIR_NAME, HELPER_RUNTIME_DEPENDENCIES, helperClosure, helperFile, helperSpecifier, renderHelper } from './helper-modules.js';
import { instrumentSource } from './instrument-source.js';
import { addDependencies, dependsOn, findPackageJson, packageTypeFor } from './package-json.js';
import type { Flavor } from '../render-template.js';
import { selectTransforms } from './select-transforms.js';
import type { FileResult, InstrumentResult, ProjectFileChange, Transform } from './types.js';
import { forEachLimited, writeFileAtomic, WriteError } from '../write-file.js';

export type Mode = 'write' | 'dry-run' | 'check';

export interface InstrumentOptions {
  paths: string[];
  /** The transforms to offer (`transforms/index.ts` lists them all); `only`/`exclude` choose among them. */
  transforms: readonly Transform[];
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
  onProgress?(done: number, total: number): void;
}

async function formatWithPrettier(file: string, text: string): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...config, filepath: file });
}

/**
 * Instruments the files under `paths`: discover → per file (prefilter, parse, find, plan,
 * apply) → project files (helpers, package.json, bootstrap) → write, unless `mode` says to only
 * look. Returns what happened to every file; prints nothing.
 */
export async function instrument(options: InstrumentOptions): Promise<InstrumentResult> {
  const cwd = options.cwd ?? process.cwd();
  const transforms = selectTransforms(options.transforms, options.only, options.exclude);
  const result: InstrumentResult = { files: [], project: [], errors: [] };
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
  const helpersDir = path.join(firstRoot, HELPER_DIR_NAME);
  const flavorsUsed = new Map<string, { flavor: Flavor; helpers: Set<string> }>();

  const total = discovery.files.length;
  for (const [index, { path: file }] of discovery.files.entries()) {
    options.onProgress?.(index, total);
    // Our own generated helpers are not call sites to rewrite.
    if (file.startsWith(helpersDir + path.sep)) {
      result.files.push({ path: file, status: 'skipped', reason: 'generated helper', sites: [] });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      result.files.push({ path: file, status: 'error', reason: 'unreadable', error: `${file}:1:1: cannot read (${(error as NodeJS.ErrnoException).code})`, sites: [] });
      continue;
    }
    const outcome = instrumentSource(file, bytes, {
      transforms,
      packageType: () => packageTypeFor(path.dirname(file)),
      helperSpecifier: (helper, source) => helperSpecifier(file, helpersDir, helper, source),
      verifyOutput: options.mode !== 'check',
      dependsOn: (pkg) => dependsOn(path.dirname(file), pkg),
    });
    const entry: FileResult = { path: file, status: outcome.status, sites: outcome.sites };
    if (outcome.warnings.length > 0) entry.warnings = outcome.warnings;
    if (outcome.reason) entry.reason = outcome.reason;
    if (outcome.error) entry.error = outcome.error.message;
    if (outcome.status === 'changed' && outcome.after !== undefined && outcome.file) {
      entry.before = bytes.toString('utf8');
      entry.after = options.prettier ? await formatWithPrettier(file, outcome.after) : outcome.after;
      const flavor: Flavor = { language: outcome.file.language, moduleSystem: outcome.file.moduleSystem };
      const key = `${flavor.language}/${flavor.moduleSystem}`;
      const used = flavorsUsed.get(key) ?? { flavor, helpers: new Set<string>() };
      for (const helper of outcome.helpers) used.helpers.add(helper);
      flavorsUsed.set(key, used);
    }
    result.files.push(entry);
  }
  options.onProgress?.(total, total);

  planProjectFiles(result, { helpersDir, flavorsUsed, firstRoot, options });
  if (options.mode === 'write') await writeResults(result);
  return result;
}

function planProjectFiles(
  result: InstrumentResult,
  ctx: { helpersDir: string; flavorsUsed: Map<string, { flavor: Flavor; helpers: Set<string> }>; firstRoot: string; options: InstrumentOptions },
): void {
  const dependencies: Record<string, string> = {};
  for (const { flavor, helpers } of ctx.flavorsUsed.values()) {
    for (const helper of helperClosure(helpers)) {
      const file = helperFile(ctx.helpersDir, helper, flavor);
      // The helper belongs to the user once written: never overwrite it.
      if (existsSync(file)) continue;
      result.project.push({ path: file, role: 'helper', before: undefined, after: renderHelper(helper, flavor) });
    }
    Object.assign(dependencies, HELPER_RUNTIME_DEPENDENCIES);
  }
  if (ctx.options.bootstrap) addBootstrap(result, ctx.options, dependencies);
  if (Object.keys(dependencies).length === 0) return;
  const packageJson = findPackageJson(ctx.firstRoot);
  if (!packageJson) {
    result.errors.push(`no package.json at or above ${ctx.firstRoot}: add ${Object.keys(dependencies).join(', ')} to your dependencies by hand`);
    return;
  }
  try {
    const before = readFileSync(packageJson, 'utf8');
    const after = addDependencies(before, dependencies, packageJson);
    if (after !== undefined) result.project.push({ path: packageJson, role: 'package.json', before, after });
  } catch (error) {
    result.errors.push((error as Error).message);
  }
}

/** Flavor of the bootstrap file from its extension, then the package.json `type` beside it. */
function bootstrapFlavor(file: string): Flavor {
  const ext = path.extname(file);
  const language = /^\.[mc]?tsx?$/.test(ext) ? 'ts' : 'js';
  if (ext === '.mjs' || ext === '.mts') return { language, moduleSystem: 'esm' };
  if (ext === '.cjs' || ext === '.cts') return { language, moduleSystem: 'cjs' };
  return { language, moduleSystem: packageTypeFor(path.dirname(file)) === 'module' ? 'esm' : 'cjs' };
}

function addBootstrap(result: InstrumentResult, options: InstrumentOptions, dependencies: Record<string, string>): void {
  const target = path.resolve(options.cwd ?? process.cwd(), options.bootstrap!);
  Object.assign(dependencies, HELPER_RUNTIME_DEPENDENCIES, bootstrapDependencies());
  // Like the helpers, the bootstrap file is the user's once written.
  if (existsSync(target)) return;
  const after = renderBootstrap(bootstrapFlavor(target), { idGenerator: options.idGenerator });
  result.project.push({ path: target, role: 'bootstrap', before: undefined, after });
}

async function writeResults(result: InstrumentResult): Promise<void> {
  const changed = result.files.filter((file) => file.status === 'changed' && file.after !== undefined);
  await forEachLimited(changed, 16, async (file) => {
    try {
      await writeFileAtomic(file.path, file.after!);
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      file.status = 'error';
      file.reason = 'cannot write';
      file.error = `${file.path}:1:1: ${error.message.replace(`${file.path}: `, '')}`;
    }
  });
  for (const change of result.project) {
    try {
      mkdirSync(path.dirname(change.path), { recursive: true });
      await writeFileAtomic(change.path, change.after);
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      result.errors.push(error.message);
    }
  }
}

export type { ProjectFileChange };
