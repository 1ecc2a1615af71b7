import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dirsUpTo } from './project-top.js';

const packageJsonCache = new Map<string, string | null>();

/**
 * The nearest package.json at or above a directory and not above `top` (see projectTop), if any;
 * cached per directory (a run asks it for every file that imports helpers, twice).
 */
export function findPackageJson(dir: string, top: string): string | undefined {
  const key = `${dir}\0${top}`;
  const cached = packageJsonCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let found: string | null = null;
  for (const current of dirsUpTo(dir, top)) {
    const candidate = path.join(current, 'package.json');
    if (existsSync(candidate)) {
      found = candidate;
      break;
    }
  }
  packageJsonCache.set(key, found);
  return found ?? undefined;
}

const typeCache = new Map<string, 'module' | 'commonjs'>();

/** `type` of the nearest package.json up to `top` (`commonjs` when absent), cached per directory. */
export function packageTypeFor(dir: string, top: string): 'module' | 'commonjs' {
  const key = `${dir}\0${top}`;
  const cached = typeCache.get(key);
  if (cached) return cached;
  const file = findPackageJson(dir, top);
  let type: 'module' | 'commonjs' = 'commonjs';
  if (file) {
    try {
      type = JSON.parse(readFileSync(file, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    } catch {
      // An unreadable package.json is reported by the project step; here it only means "unknown".
    }
  }
  typeCache.set(key, type);
  return type;
}

/** Forgets what was read: a later run in the same process sees package.json files as they are then. */
export function clearPackageCaches(): void {
  packageJsonCache.clear();
  typeCache.clear();
  dependencyCache.clear();
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

const dependencyCache = new Map<string, ReadonlySet<string>>();

/**
 * Whether the nearest package.json at or above `dir`, not above `top`, lists `pkg` in any
 * dependency field: the same package.json the project step would add dependencies to.
 */
export function dependsOn(dir: string, pkg: string, top: string): boolean {
  const key = `${dir}\0${top}`;
  let names = dependencyCache.get(key);
  if (!names) {
    const file = findPackageJson(dir, top);
    const found = new Set<string>();
    if (file) {
      try {
        const json = JSON.parse(readFileSync(file, 'utf8'));
        for (const field of DEPENDENCY_FIELDS) if (json[field] && typeof json[field] === 'object') for (const name of Object.keys(json[field])) found.add(name);
      } catch {
        // Unreadable: reported by the project step; here it only means "no dependencies known".
      }
    }
    names = found;
    dependencyCache.set(key, names);
  }
  return names.has(pkg);
}

/**
 * package.json text with the given runtime dependencies added where missing from every
 * dependency field; indentation, key order and the final newline are kept. Undefined when
 * nothing needs adding.
 */
export function addDependencies(text: string, wanted: Record<string, string>, file: string): string | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const has = (name: string) =>
    DEPENDENCY_FIELDS.some(
      (field) => typeof json[field] === 'object' && json[field] !== null && name in (json[field] as object),
    );
  const missing = Object.entries(wanted).filter(([name]) => !has(name));
  if (missing.length === 0) return undefined;
  const deps = { ...((json.dependencies as Record<string, string>) ?? {}) };
  const wasSorted = Object.keys(deps).every((k, i, all) => i === 0 || all[i - 1]! <= k);
  for (const [name, range] of missing) deps[name] = range;
  json.dependencies = wasSorted ? Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1))) : deps;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(json, null, indent).replace(/\n/g, eol);
  return text.endsWith('\n') ? body + eol : body;
}
