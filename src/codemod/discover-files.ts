import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isSourcePath } from './parse-source.js';

/** Directories that hold dependencies or build output, never source to rewrite. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache', '.output']);

export interface DiscoveredFile {
  /** Absolute real path, inside `root`. */
  path: string;
  /** Absolute real path of the root (a directory) it was found under. */
  root: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  skipped: { path: string; reason: string }[];
  /** Roots as given but resolved: real directories (a file root gives its directory). */
  roots: string[];
  errors: string[];
}

export class DiscoveryError extends Error {}

interface Rules {
  dir: string;
  ig: Ignore;
}

function readRules(dir: string): Rules | undefined {
  const file = path.join(dir, '.gitignore');
  if (!existsSync(file)) return undefined;
  return { dir, ig: ignore().add(readFileSync(file, 'utf8')) };
}

/**
 * Git's precedence: the .gitignore nearest the path decides first (a subfolder's `!keep.js`
 * re-includes what a parent ignored), and within a file the last matching pattern wins. Paths
 * under an ignored directory never get here: the walk does not enter it.
 */
function isIgnored(rules: readonly Rules[], absolute: string, isDir: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const { dir, ig } = rules[i]!;
    const relative = path.relative(dir, absolute);
    if (!relative || relative.startsWith('..')) continue;
    const verdict = ig.test(isDir ? `${relative}/` : relative);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/** .gitignore files above a root, up to the enclosing repository's top. */
function ancestorRules(root: string): Rules[] {
  const rules: Rules[] = [];
  let dir = path.dirname(root);
  for (;;) {
    const found = readRules(dir);
    if (found) rules.unshift(found);
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  return rules;
}

function changedFiles(root: string, ref: string): Set<string> {
  const run = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let top: string;
  try {
    top = run(['rev-parse', '--show-toplevel']).trim();
    run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch (error) {
    throw new DiscoveryError(`--changed-since ${ref}: not a git commit in ${root}`, { cause: error });
  }
  const names = [
    ...run(['diff', '--name-only', '--diff-filter=ACMR', ref, '--']).split('\n'),
    ...run(['ls-files', '--others', '--exclude-standard']).split('\n').map((f) => path.relative(top, path.resolve(root, f))),
  ];
  return new Set(names.filter(Boolean).map((name) => realOrSelf(path.join(top, name))));
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Source files under the given roots: JavaScript and TypeScript (no declaration files), minus
 * .gitignore'd paths, dependencies and build output. Symbolic links are never followed, so
 * nothing outside a root is read or written.
 */
export function discoverFiles(givenRoots: readonly string[], options: { changedSince?: string; cwd?: string } = {}): Discovery {
  const cwd = options.cwd ?? process.cwd();
  const result: Discovery = { files: [], skipped: [], roots: [], errors: [] };
  const seen = new Set<string>();
  for (const given of givenRoots) {
    const absolute = path.resolve(cwd, given);
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch (error) {
      result.errors.push(`${given}: no such file or directory`);
      continue;
    }
    const isDir = statSync(real).isDirectory();
    const root = isDir ? real : path.dirname(real);
    if (!result.roots.includes(root)) result.roots.push(root);
    const changed = options.changedSince ? changedFiles(root, options.changedSince) : undefined;
    const add = (file: string) => {
      if (seen.has(file) || (changed && !changed.has(file))) return;
      seen.add(file);
      result.files.push({ path: file, root });
    };
    if (!isDir) {
      if (isSourcePath(real)) add(real);
      else result.skipped.push({ path: real, reason: 'not a JavaScript or TypeScript file' });
      continue;
    }
    const walk = (dir: string, rules: Rules[]) => {
      const own = readRules(dir);
      const active = own ? [...rules, own] : rules;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (error) {
        result.errors.push(`${dir}: cannot read directory (${(error as NodeJS.ErrnoException).code ?? error})`);
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isSymbolicLink()) {
          if (isSourcePath(full) || lstatSafeIsDir(full)) result.skipped.push({ path: full, reason: 'symbolic link (not followed)' });
          continue;
        }
        if (entry.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(active, full, true)) continue;
          walk(full, active);
        } else if (entry.isFile() && isSourcePath(full) && !isIgnored(active, full, false)) {
          add(full);
        }
      }
    };
    // A root the user names explicitly is walked even if an enclosing .gitignore covers it.
    const inherited = ancestorRules(root);
    walk(root, isIgnored(inherited, root, true) ? [] : inherited);
  }
  return result;
}

function lstatSafeIsDir(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
