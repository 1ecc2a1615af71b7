import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from '#typescript';
import { dirsUpTo, isWithin } from './project-top.js';

/** The parts of a tsconfig.json (its `extends` chain applied) that decide where helpers go and how they are imported. */
export interface ProjectConfig {
  /** Absolute path of the tsconfig.json. */
  path: string;
  options: ts.CompilerOptions;
  /** Absolute root files of the program (`files`/`include` minus `exclude`). */
  fileNames: ReadonlySet<string>;
  /** `rootDir` as set, else the common directory of the root source files, as tsc computes it. */
  rootDir: string;
  /** Whether `rootDir` is set in the config (then a file outside it fails the build with TS6059). */
  rootDirSet: boolean;
  /** tsconfig.json paths of its project references (a solution-style config owns nothing itself). */
  references: readonly string[];
}

const cache = new Map<string, ProjectConfig | undefined>();

export function clearTsconfigCache(): void {
  cache.clear();
}

function commonDir(files: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  let common = path.dirname(files[0]!);
  for (const file of files) while (!isWithin(file, common)) common = path.dirname(common);
  return common;
}

/** A tsconfig.json read with the compiler's own reader; undefined when it cannot be read or parsed. */
export function readProjectConfig(configPath: string): ProjectConfig | undefined {
  if (cache.has(configPath)) return cache.get(configPath);
  let config: ProjectConfig | undefined;
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (!read.error) {
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
    const fileNames = new Set(parsed.fileNames.map((f) => path.resolve(f)));
    const sources = [...fileNames].filter((f) => !/\.d\.[mc]?ts$/.test(f));
    const rootDirSet = typeof parsed.options.rootDir === 'string';
    const rootDir = rootDirSet ? path.resolve(parsed.options.rootDir!) : (commonDir(sources) ?? path.dirname(configPath));
    const references = (parsed.projectReferences ?? []).map((ref) => path.resolve(ref.path.endsWith('.json') ? ref.path : path.join(ref.path, 'tsconfig.json')));
    config = { path: configPath, options: parsed.options, fileNames, rootDir, rootDirSet, references };
  }
  cache.set(configPath, config);
  return config;
}

function referencesOf(config: ProjectConfig): ProjectConfig[] {
  return config.references.map((p) => readProjectConfig(p)).filter((c): c is ProjectConfig => c !== undefined);
}

/**
 * The tsconfig.json that owns a file: the nearest one at or above it (not above `top`) whose
 * program includes the file, looking into its project references too. `nearest` is the first
 * tsconfig.json found even when it does not include the file: its options still describe how
 * the project resolves imports.
 */
export function owningProjectConfig(file: string, top: string): { owner?: ProjectConfig; nearest?: ProjectConfig } {
  let nearest: ProjectConfig | undefined;
  for (const dir of dirsUpTo(path.dirname(file), top)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (!existsSync(candidate)) continue;
    const config = readProjectConfig(candidate);
    if (!config) continue;
    nearest ??= config;
    if (config.fileNames.has(file)) return { owner: config, nearest };
    const referenced = referencesOf(config).find((c) => c.fileNames.has(file));
    if (referenced) return { owner: referenced, nearest: referenced };
  }
  return { nearest };
}
