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
  /** Whether a file that does not exist yet would be matched by its `include` (minus `exclude`) or `files`. */
  covers(file: string): boolean;
}

/** The compiler's own glob matcher and the specs it validated: internal, so used only when present. */
interface MatcherInternals {
  matchFiles?(
    path: string,
    extensions: readonly string[] | undefined,
    excludes: readonly string[] | undefined,
    includes: readonly string[] | undefined,
    useCaseSensitiveFileNames: boolean,
    currentDirectory: string,
    depth: number | undefined,
    getFileSystemEntries: (path: string) => { files: readonly string[]; directories: readonly string[] },
    realpath: (path: string) => string,
  ): string[];
}
interface ConfigFileSpecs {
  validatedFilesSpec?: readonly string[];
  validatedIncludeSpecs?: readonly string[];
  validatedExcludeSpecs?: readonly string[];
}

function coverage(parsed: ts.ParsedCommandLine, configDir: string): (file: string) => boolean {
  const specs = (parsed.options.configFile as { configFileSpecs?: ConfigFileSpecs } | undefined)?.configFileSpecs;
  const matchFiles = (ts as MatcherInternals).matchFiles;
  // Without the compiler's matcher, trust the import: tsc compiles what an included file imports.
  if (!specs || typeof matchFiles !== 'function') return () => true;
  return (file) => {
    if (specs.validatedFilesSpec?.some((f) => path.resolve(configDir, f) === file)) return true;
    if (!specs.validatedIncludeSpecs?.length) return false;
    // A file system holding just this file, so the compiler's own include/exclude rules decide.
    const entries = (dir: string) => {
      const relative = path.relative(dir, path.dirname(file));
      if (relative === '') return { files: [path.basename(file)], directories: [] };
      if (relative.startsWith('..') || path.isAbsolute(relative)) return { files: [], directories: [] };
      return { files: [], directories: [relative.split(path.sep)[0]!] };
    };
    const found = matchFiles(configDir, ['.ts', '.tsx', '.mts', '.cts'], specs.validatedExcludeSpecs, specs.validatedIncludeSpecs, true, configDir, undefined, entries, (p) => p);
    return found.some((f) => path.resolve(f) === file);
  };
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

/** A tsconfig.json read with the compiler's own reader (`extends` applied); undefined when it cannot be read or parsed. */
export function readProjectConfig(configPath: string): ProjectConfig | undefined {
  if (cache.has(configPath)) return cache.get(configPath);
  let config: ProjectConfig | undefined;
  // Read as a JSON source file (not ts.readConfigFile): then the parsed options keep the include/exclude specs.
  const source = ts.readJsonConfigFile(configPath, ts.sys.readFile);
  const unreadable = (source as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics?.length || !source.text.trim();
  if (!unreadable) {
    const parsed = ts.parseJsonSourceFileConfigFileContent(source, ts.sys, path.dirname(configPath), undefined, configPath);
    const fileNames = new Set(parsed.fileNames.map((f) => path.resolve(f)));
    const sources = [...fileNames].filter((f) => !/\.d\.[mc]?ts$/.test(f));
    const rootDirSet = typeof parsed.options.rootDir === 'string';
    const rootDir = rootDirSet ? path.resolve(parsed.options.rootDir!) : (commonDir(sources) ?? path.dirname(configPath));
    const references = (parsed.projectReferences ?? []).map((ref) => path.resolve(ref.path.endsWith('.json') ? ref.path : path.join(ref.path, 'tsconfig.json')));
    config = { path: configPath, options: parsed.options, fileNames, rootDir, rootDirSet, references, covers: coverage(parsed, path.dirname(configPath)) };
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
