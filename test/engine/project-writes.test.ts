import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dependsOn } from '../../src/codemod/package-json.js';
import { projectTop } from '../../src/codemod/project-top.js';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';
import { makeProject } from './make-project.js';

const FETCH = (n: number | string) => `export const load${n} = () => fetch('http://127.0.0.1:1/${n}');\n`;
const PACKAGE = '{\n  "name": "w",\n  "type": "module"\n}\n';
const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const gitInit = (dir: string) => execFileSync('git', ['init', '-q'], { cwd: dir });

/** Every file under `dir` with its content (symbolic links as their target), for "nothing changed" checks. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(child);
      else out[child] = entry.isSymbolicLink() ? `-> ${child}` : read(dir, child);
    }
  };
  walk('');
  return out;
}

const restore: string[] = [];
afterEach(() => {
  // Give the temp dirs their write bits back so they can be cleaned up.
  for (const dir of restore.splice(0)) chmodSync(dir, 0o755);
});

describe('writes stay inside the project', () => {
  it('a symlinked otel-instrument/ folder is refused: exit 2, a clear message, nothing written', () => {
    const dir = makeProject('symlink', { 'package.json': PACKAGE, 'src/a.ts': FETCH('a') });
    mkdirSync(path.join(dir, 'elsewhere'));
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'src/otel-instrument'));
    const before = snapshot(dir);
    const run = runCli(['./src'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('otel-instrument: src/otel-instrument: is a symbolic link, never written through; nothing written\n');
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('the package.json search stops at the repository top: the parent folder\'s package.json is not changed', () => {
    const parent = makeProject('bounded', { 'package.json': '{\n  "name": "parent",\n  "dependencies": {\n    "amqplib": "^0.10.0"\n  }\n}\n', 'repo/src/a.ts': FETCH('a') });
    const repo = path.join(parent, 'repo');
    gitInit(repo);
    const run = runCli(['.'], repo);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`otel-instrument: no package.json at or above ${repo}`);
    expect(read(parent, 'package.json')).not.toContain('@opentelemetry/api');
    // dependsOn, which transforms ask, reads the same bounded package.json.
    const top = projectTop(path.join(repo, 'src'), repo);
    expect(top).toBe(repo);
    expect(dependsOn(path.join(repo, 'src'), 'amqplib', top)).toBe(false);
    expect(dependsOn(path.join(repo, 'src'), 'amqplib', parent)).toBe(true);
  });
});

describe('an interrupted run is repaired by the next one', () => {
  it('sources instrumented but helpers and package.json not written (a kill between them): the next run writes them; leftover temp files go', () => {
    const dir = makeProject('repair', {
      'package.json': PACKAGE,
      'src/a.ts': "import { tracedFetch } from './otel-instrument/http-client.js';\n\nexport const load = () => tracedFetch('http://127.0.0.1:1/x');\n",
      'src/.a.ts.0123abcd.otel-instrument.tmp': 'half a file',
      'src/otel-instrument/.common.ts.89abcdef.otel-instrument.tmp': 'half a helper',
    });
    const check = runCli(['--check', '.'], dir);
    // --check writes nothing, not even the repair.
    expect(existsSync(path.join(dir, 'src/.a.ts.0123abcd.otel-instrument.tmp'))).toBe(true);
    expect(check.status).toBe(0);
    const run = runCli(['.'], dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(path.join(dir, 'src/otel-instrument')).sort()).toEqual(['common.ts', 'http-client.ts', 'metrics.ts']);
    expect(JSON.parse(read(dir, 'package.json')).dependencies).toEqual({ '@opentelemetry/api': '^1.9.0' });
    expect(readdirSync(path.join(dir, 'src')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('kill -9 during the writes never leaves an import of a missing helper (helpers first, then package.json, then sources)', async () => {
    const files: Record<string, string> = { 'package.json': PACKAGE };
    for (let i = 0; i < 400; i++) files[`src/f${i}.ts`] = FETCH(i);
    const dir = makeProject('kill', files);
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/otel-instrument.js'), '.'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Killed the moment the first source file is replaced.
    const watcher = watch(path.join(dir, 'src'), (_event, name) => {
      try {
        if (name && /^f\d+\.ts$/.test(name) && read(dir, `src/${name}`).includes('tracedFetch')) child.kill('SIGKILL');
      } catch {
        // Read between events: the next event decides.
      }
    });
    try {
      await exited;
    } finally {
      watcher.close();
    }
    const importing = readdirSync(path.join(dir, 'src')).filter((f) => f.endsWith('.ts') && read(dir, `src/${f}`).includes('otel-instrument/http-client'));
    if (importing.length > 0) {
      expect(existsSync(path.join(dir, 'src/otel-instrument/http-client.ts'))).toBe(true);
      expect(existsSync(path.join(dir, 'src/otel-instrument/common.ts'))).toBe(true);
      expect(read(dir, 'package.json')).toContain('@opentelemetry/api');
    }
    const rerun = runCli(['.'], dir);
    expect(rerun.status).toBe(0);
    expect(readdirSync(path.join(dir, 'src')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'src')).filter((f) => f.endsWith('.ts') && !read(dir, `src/${f}`).includes('tracedFetch'))).toEqual([]);
  });
});

describe('writability is checked before anything changes', () => {
  /** Root folder read-only, the source folders writable: the helpers' folder (in the root) cannot be created. */
  function readOnlyRoot(): string {
    const dir = makeProject('readonly-root', { 'package.json': PACKAGE, 'src/a.js': FETCH('a'), 'lib/b.js': FETCH('b') });
    return dir;
  }

  it('as root (permission bits are intent even though root passes them): exit 2, a message, no stack trace, nothing changed', () => {
    const dir = readOnlyRoot();
    const before = snapshot(dir);
    chmodSync(dir, 0o555);
    restore.push(dir);
    const run = runCli(['.'], dir);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).toContain(`otel-instrument: otel-instrument/common.mjs: folder ${dir} is not writable; nothing written`);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toMatch(/^(instrumented|created|updated) /m);
    expect(snapshot(dir)).toEqual(before);
  });

  const setpriv = spawnSync('setpriv', ['--version']).status === 0 && process.getuid?.() === 0;
  it.skipIf(!setpriv)('as an unprivileged user (setpriv): exit 2, a message, nothing changed', () => {
    const dir = readOnlyRoot();
    for (const rel of ['', 'src', 'lib', 'src/a.js', 'lib/b.js', 'package.json']) chownSync(path.join(dir, rel), 65534, 65534);
    chmodSync(dir, 0o555);
    restore.push(dir);
    const before = snapshot(dir);
    const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.join(repoRoot, 'bin/otel-instrument.js'), '.'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/EACCES[\s\S]*\n\s+at /);
    expect(run.stderr).toContain('is not writable; nothing written');
    expect(run.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a read-only package.json: the report says it was not updated, and no source imports what is not there', () => {
    const dir = makeProject('readonly-package', { 'package.json': PACKAGE, 'src/a.ts': FETCH('a') });
    chmodSync(path.join(dir, 'package.json'), 0o444);
    const before = snapshot(dir);
    const run = runCli(['.'], dir);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toMatch(/^updated package\.json$/m);
    expect(run.stdout).toMatch(/^not updated package\.json$/m);
    expect(run.stderr).toContain('package.json: read-only, not written; nothing written');
    expect(snapshot(dir)).toEqual(before);
  });
});
