import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './golden.js';

/** How one of a project's own commands went. */
export interface ScriptRun {
  status: number | null;
  /** stdout and stderr together, as a developer would see them in a terminal. */
  output: string;
}

// npm adds every ancestor's node_modules/.bin to PATH, so a project copied under the repo's .tmp/
// runs the repo's ts-node, tsx, tsc and esbuild unless it links its own (see linkToolchain).
const npmEnv = (env: Record<string, string>) => ({ ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', ...env });

/** Runs `npm run <script>` in `dir`, the project's own command, to the end. */
export function runScript(dir: string, script: string, env: Record<string, string> = {}): ScriptRun {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: dir, encoding: 'utf8', env: npmEnv(env), timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? `\n${result.error.message}` : ''}` };
}

/**
 * Links `node_modules/<name>` of a project copy to a package of the compatibility toolchains
 * (test/compat/toolchains/node_modules/<toolchain>), as if the project had installed that version.
 * `bin` also links `node_modules/.bin/<command>` to the package's file, so npm scripts run it.
 */
export function linkToolchain(copy: string, name: string, toolchain: string, bin?: { command: string; file: string }): void {
  const target = path.join(repoRoot, 'test/compat/toolchains/node_modules', toolchain);
  const link = path.join(copy, 'node_modules', name);
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(target, link, 'dir');
  if (bin) {
    mkdirSync(path.join(copy, 'node_modules/.bin'), { recursive: true });
    symlinkSync(path.join('..', name, bin.file), path.join(copy, 'node_modules/.bin', bin.command));
  }
}

export interface RunningService {
  /** The first group `ready` matched in the output (the port, usually). */
  ready: string;
  output(): string;
  /** Ends the whole process group (npm, shell, the runtime and anything it started). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test that throws between start and stop must not leave a service behind.
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts `npm run <script>` in `dir` in its own process group and waits until its output matches
 * `ready` (bounded); fails with the output if the service exits first.
 */
export async function startScript(dir: string, script: string, options: { ready: RegExp; env?: Record<string, string>; timeoutMs?: number }): Promise<RunningService> {
  const child = spawn('npm', ['run', '--silent', script], { cwd: dir, env: npmEnv(options.env ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    // Children the runtime started (tsx's worker) may outlive npm by a moment.
    killGroup(child, 'SIGKILL');
    running.delete(child);
  };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`\`npm run ${script}\` did not get ready (${options.ready}) within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${why}:\n${out}`)));
    };
    const onData = (d: Buffer) => {
      out += d;
      const match = options.ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => fail(`\`npm run ${script}\` exited (${code ?? signal}) before it was ready`));
  });
  return { ready, output: () => out, stop };
}

type Version = [number, number, number];
const parseVersion = (v: string): Version => v.split('.').map(Number) as Version;
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** npm's meaning of the range forms a tool writes: `x.y.z`, `^x.y.z`, `~x.y.z` (anything else throws). */
export function satisfies(version: string, range: string): boolean {
  const match = /^([\^~]?)(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!match) throw new Error(`cannot tell which installed version npm would pick for the range ${range}`);
  const [op, floor] = [match[1], parseVersion(match[2]!)];
  const v = parseVersion(version);
  if (op === '') return compare(v, floor) === 0;
  if (compare(v, floor) < 0) return false;
  if (op === '~') return v[0] === floor[0] && v[1] === floor[1];
  // ^: the left-most non-zero part stays.
  if (floor[0] > 0) return v[0] === floor[0];
  if (floor[1] > 0) return v[0] === 0 && v[1] === floor[1];
  return compare(v, floor) === 0;
}

/**
 * What `npm install` would do for a dependency the rewrite added to the copy's package.json, among
 * the installs this machine has (`candidates`, package directories): link the newest one that
 * satisfies the range written. Returns the version linked; throws when none satisfies it.
 */
export function installAddedDependency(copy: string, name: string, candidates: string[]): string {
  const manifest = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const range = manifest.dependencies?.[name];
  if (!range) throw new Error(`package.json of ${copy} does not depend on ${name}`);
  const installed = candidates
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({ dir, version: (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version }))
    .filter((c) => satisfies(c.version, range))
    .sort((a, b) => compare(parseVersion(b.version), parseVersion(a.version)));
  if (installed.length === 0) throw new Error(`no install of ${name} here satisfies ${range} (from ${candidates.join(', ')})`);
  const link = path.join(copy, 'node_modules', name);
  mkdirSync(path.dirname(link), { recursive: true });
  if (!existsSync(link)) symlinkSync(installed[0]!.dir, link, 'dir');
  return installed[0]!.version;
}

/** `npm install <name>@<version>` in a copy: the dependency pinned in package.json, then linked as npm would. */
export function pinDependency(copy: string, name: string, version: string, candidates: string[]): string {
  const file = path.join(copy, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
  manifest.dependencies = { ...manifest.dependencies, [name]: version };
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  const link = path.join(copy, 'node_modules', name);
  if (existsSync(link) && lstatSync(link).isSymbolicLink()) unlinkSync(link);
  return installAddedDependency(copy, name, candidates);
}
