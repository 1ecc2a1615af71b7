import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

const FETCH_TS = "export const load = () => fetch('http://localhost:1/x');\n";

/** A small project with one file of every awkward kind. */
function makeProject(): string {
  const dir = tempDir('cli');
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  };
  write('package.json', '{\n  "name": "demo",\n  "type": "module",\n  "dependencies": {\n    "express": "^5.0.0"\n  }\n}\n');
  write('src/a.ts', FETCH_TS);
  write('src/b.cjs', "'use strict';\nmodule.exports = () => fetch('http://localhost:1/y');\n");
  write('src/broken.ts', 'export const x = fetch(;\n');
  write('src/binary.js', Buffer.from([0x66, 0x65, 0x74, 0x63, 0x68, 0x00, 0x01, 0x02]));
  write('src/empty.ts', '');
  write('src/crlf-bom.ts', "\uFEFF// keep me\r\nexport const z = () => fetch('http://localhost:1/z');\r\n");
  write('src/readonly.ts', FETCH_TS);
  chmodSync(path.join(dir, 'src/readonly.ts'), 0o444);
  write('outside/evil.ts', FETCH_TS);
  symlinkSync(path.join(dir, 'outside/evil.ts'), path.join(dir, 'src/link.ts'));
  symlinkSync(path.join(dir, 'outside'), path.join(dir, 'src/linked-dir'));
  write('src/node_modules/dep/index.js', FETCH_TS);
  write('src/.gitignore', 'generated/\n');
  write('src/generated/g.ts', FETCH_TS);
  write('src/types.d.ts', 'declare const fetch2: typeof fetch;\n');
  return dir;
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel));

describe('otel-instrument CLI on a project with bad input', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeProject();
  });

  it('instruments what it can, reports the rest, loses nothing, exits 2', () => {
    const before = {
      broken: read(dir, 'src/broken.ts'),
      binary: read(dir, 'src/binary.js'),
      readonly: read(dir, 'src/readonly.ts'),
      evil: read(dir, 'outside/evil.ts'),
    };
    const run = runCli(['src'], dir);
    expect(run.status).toBe(2);
    // The syntax error is reported as file:line:col and the file is untouched.
    expect(run.stderr).toMatch(/^src\/broken\.ts:1:24: '\)' expected\.$/m);
    expect(read(dir, 'src/broken.ts')).toEqual(before.broken);
    expect(run.stderr).toMatch(/src\/readonly\.ts:1:1: read-only, not written/);
    expect(read(dir, 'src/readonly.ts')).toEqual(before.readonly);
    expect(read(dir, 'src/binary.js')).toEqual(before.binary);
    // Symlinks are not followed: the file outside the root is untouched, the link still a link.
    expect(read(dir, 'outside/evil.ts')).toEqual(before.evil);
    expect(lstatSync(path.join(dir, 'src/link.ts')).isSymbolicLink()).toBe(true);
    expect(read(dir, 'src/node_modules/dep/index.js').toString()).toBe(FETCH_TS);
    expect(read(dir, 'src/generated/g.ts').toString()).toBe(FETCH_TS);
    expect(read(dir, 'src/empty.ts').toString()).toBe('');

    expect(read(dir, 'src/a.ts').toString()).toBe(
      "import { tracedFetch } from './otel-instrument/http-client.js';\n\nexport const load = () => tracedFetch('http://localhost:1/x');\n",
    );
    // BOM and CRLF kept; the header comment stays first.
    expect(read(dir, 'src/crlf-bom.ts').toString()).toBe(
      "\uFEFF// keep me\r\nimport { tracedFetch } from './otel-instrument/http-client.js';\r\n\r\nexport const z = () => tracedFetch('http://localhost:1/z');\r\n",
    );
    expect(read(dir, 'src/b.cjs').toString()).toContain("const { tracedFetch } = require('./otel-instrument/http-client.cjs');");
    for (const helper of ['common.ts', 'http-client.ts', 'metrics.ts', 'common.cjs', 'http-client.cjs', 'metrics.cjs']) {
      expect(existsSync(path.join(dir, 'src/otel-instrument', helper)), helper).toBe(true);
    }
    const pkg = JSON.parse(read(dir, 'package.json').toString());
    expect(pkg.dependencies).toEqual({ '@opentelemetry/api': '^1.9.0', express: '^5.0.0' });

    // A second run changes nothing, including helpers the user has edited.
    writeFileSync(path.join(dir, 'src/otel-instrument/common.ts'), '// edited by the user\n' + read(dir, 'src/otel-instrument/common.ts'));
    const snapshot = ['src/a.ts', 'src/b.cjs', 'src/crlf-bom.ts', 'package.json', 'src/otel-instrument/common.ts'].map((f) => read(dir, f));
    const again = runCli(['src', '--json'], dir);
    expect(again.status).toBe(2);
    expect(['src/a.ts', 'src/b.cjs', 'src/crlf-bom.ts', 'package.json', 'src/otel-instrument/common.ts'].map((f) => read(dir, f))).toEqual(snapshot);
    const report = JSON.parse(again.stdout);
    const status = Object.fromEntries(report.files.map((f: { file: string; status: string }) => [f.file, f.status]));
    expect(status).toMatchObject({
      'src/a.ts': 'unchanged',
      'src/broken.ts': 'error',
      'src/binary.js': 'skipped',
      'src/empty.ts': 'skipped',
      'src/link.ts': 'skipped',
      'src/otel-instrument/http-client.ts': 'skipped',
    });
    expect(status['src/generated/g.ts']).toBeUndefined();
    expect(report.files.find((f: { file: string }) => f.file === 'src/a.ts').sites).toEqual([
      { kind: 'fetch', transform: 'fetch', file: 'src/a.ts', line: 3, column: 27, instrumented: true, facts: { method: 'GET', url: 'http://localhost:1/x' } },
    ]);
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const run = runCli(['src/a.ts', '--dry-run'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--- a/src/a.ts\n+++ b/src/a.ts\n');
    expect(run.stdout).toContain("+export const load = () => tracedFetch('http://localhost:1/x');");
    expect(run.stdout).toContain('--- /dev/null\n+++ b/src/otel-instrument/http-client.ts');
    expect(run.stdout).toContain('+    "@opentelemetry/api": "^1.9.0",');
    expect(read(dir, 'src/a.ts').toString()).toBe(FETCH_TS);
    expect(existsSync(path.join(dir, 'src/otel-instrument'))).toBe(false);
  });

  it('--dry-run into a reader that stops early (| head) ends quietly, without an EPIPE error', () => {
    const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin/otel-instrument.js');
    // A diff far longer than the pipe buffer (64 KiB) that head leaves behind when it exits.
    mkdirSync(path.join(dir, 'many'));
    for (let i = 0; i < 400; i++) writeFileSync(path.join(dir, `many/m${String(i).padStart(3, '0')}.ts`), `export const load${i} = () => fetch('http://localhost:1/${i}');\n`);
    const out = execFileSync('bash', ['-c', `"${process.execPath}" "${cli}" many --dry-run 2>&1 | head -n 1; echo "status \${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe('--- a/many/m000.ts\nstatus 0\n');
  });

  it('--check lists call sites as file:line:col kind and exits 1, then 0 once instrumented', () => {
    const check = runCli(['src/a.ts', 'src/b.cjs', '--check'], dir);
    expect(check.stdout).toBe('src/a.ts:1:27 fetch\nsrc/b.cjs:2:24 fetch\n');
    expect(check.status).toBe(1);
    expect(runCli(['src/a.ts', 'src/b.cjs'], dir).status).toBe(0);
    const clean = runCli(['src/a.ts', 'src/b.cjs', '--check'], dir);
    expect(clean.stdout).toBe('');
    expect(clean.status).toBe(0);
  });

  it('--only and --exclude pick transforms; an unknown name exits 2', () => {
    expect(runCli(['src/a.ts', '--check', '--exclude', 'fetch'], dir).status).toBe(0);
    expect(runCli(['src/a.ts', '--check', '--only', 'fetch'], dir).status).toBe(1);
    const unknown = runCli(['src/a.ts', '--check', '--only', 'nope'], dir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown transform "nope"');
  });

  it('--changed-since only touches files changed since the ref', () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', 'src/a.ts', 'src/b.cjs', 'package.json');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'base');
    writeFileSync(path.join(dir, 'src/b.cjs'), read(dir, 'src/b.cjs').toString() + '// changed\n');
    const check = runCli(['src/a.ts', 'src/b.cjs', '--check', '--changed-since', 'HEAD'], dir);
    expect(check.stdout).toBe('src/b.cjs:2:24 fetch\n');
    const bad = runCli(['src/a.ts', '--check', '--changed-since', 'no-such-ref'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--changed-since no-such-ref: not a git commit');
  });

  it("--prettier formats the changed files with the project's own config", () => {
    writeFileSync(path.join(dir, '.prettierrc'), '{ "semi": false, "singleQuote": false }\n');
    expect(runCli(['src/a.ts', '--prettier'], dir).status).toBe(0);
    expect(read(dir, 'src/a.ts').toString()).toBe(
      'import { tracedFetch } from "./otel-instrument/http-client.js"\n\nexport const load = () => tracedFetch("http://localhost:1/x")\n',
    );
  });

  it('--bootstrap writes the SDK set-up file once, with its dependencies', () => {
    const run = runCli(['src/a.ts', '--bootstrap', 'otel-bootstrap.mjs'], dir);
    expect(run.status).toBe(0);
    const bootstrap = read(dir, 'otel-bootstrap.mjs').toString();
    expect(bootstrap).toContain('W3CTraceContextPropagator');
    expect(bootstrap).not.toMatch(/^import type|: string\b/m);
    const deps = JSON.parse(read(dir, 'package.json').toString()).dependencies;
    for (const name of ['@opentelemetry/api', '@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http']) {
      expect(deps[name], name).toMatch(/^\^\d/);
    }
    writeFileSync(path.join(dir, 'otel-bootstrap.mjs'), '// mine now\n');
    expect(runCli(['src/a.ts', '--bootstrap', 'otel-bootstrap.mjs'], dir).status).toBe(0);
    expect(read(dir, 'otel-bootstrap.mjs').toString()).toBe('// mine now\n');
  });

  it('--help documents every exit code', () => {
    const help = runCli(['--help'], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/0\s+done/);
    expect(help.stdout).toMatch(/1\s+--check found/);
    expect(help.stdout).toMatch(/2\s+some files/);
  });
});
