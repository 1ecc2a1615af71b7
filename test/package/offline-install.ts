// Installs a packed tarball of this package into a folder with no network: npm ci --offline from
// a lockfile that pins the tarball and the runtime dependencies at the versions of the repo's
// own package-lock.json, so every dependency comes from the npm cache that `npm ci` of the repo
// filled (it caches tarballs, not the registry's metadata, so `npm install --offline <tarball>`
// cannot resolve version ranges there).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/golden.js';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Manifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  engines?: Record<string, string>;
  license?: string;
}

/** Where Node would find `name` from the package at `from` (a lockfile path, '' for the root). */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const nested = base.lastIndexOf('/node_modules/');
    base = nested < 0 ? '' : base.slice(0, nested);
  }
}

/** The repo lockfile's entries that the runtime dependencies need, at the same paths. */
export function runtimeLockEntries(manifest: Manifest, packages: Record<string, LockEntry>): Record<string, LockEntry> {
  const entries: Record<string, LockEntry> = {};
  const queue: Array<{ from: string; name: string; optional: boolean }> = Object.keys(manifest.dependencies).map((name) => ({ from: '', name, optional: false }));
  while (queue.length > 0) {
    const { from, name, optional } = queue.shift()!;
    const at = resolveIn(packages, from, name);
    if (at === undefined) {
      if (optional) continue;
      throw new Error(`package-lock.json: ${name} (needed by ${from || 'the package'}) is not locked`);
    }
    if (entries[at]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[at]!;
    entries[at] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push({ from: at, name: dep, optional: false });
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) queue.push({ from: at, name: dep, optional: true });
    for (const dep of Object.keys(entry.peerDependencies ?? {})) queue.push({ from: at, name: dep, optional: !!entry.peerDependenciesMeta?.[dep]?.optional });
  }
  return entries;
}

/**
 * The environment for npm run in another folder: without the `npm_*` variables that `npm run`
 * sets for its scripts (`npm_config_local_prefix` names this repository), the cache kept.
 */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || /^npm_config_cache$/i.test(name)));
  return { ...env, ...extra };
}

/** Installs `tarball` (a file inside `dir`) into `dir` without network. */
export function installOffline(dir: string, tarball: string): void {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:${path.basename(tarball)}`;
  const self = {
    version: manifest.version,
    resolved: spec,
    license: manifest.license,
    dependencies: manifest.dependencies,
    bin: manifest.bin,
    engines: manifest.engines,
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'installed', private: true, dependencies: { [manifest.name]: spec } }, null, 2)}\n`);
  const packages = { '': { name: 'installed', dependencies: { [manifest.name]: spec } }, [`node_modules/${manifest.name}`]: self, ...runtimeLockEntries(manifest, lock.packages) };
  writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'installed', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}
