// `conventions` never writes through a symbolic link, writes each file atomically, and a model
// that would crash the parser is a `file:line` problem (exit 2), not a RangeError.
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../src/conventions/read-yaml.js';
import { runCli, tempDir } from '../support/cli.js';
import { writeFiles } from './support.js';

describe('conventions --out', () => {
  it('refuses an index.ts that is a symbolic link (exit 2, nothing written, the file it points at unchanged)', () => {
    const dir = tempDir('conventions-symlink-file');
    writeFileSync(path.join(dir, 'outside.ts'), 'outside\n');
    mkdirSync(path.join(dir, 'out'));
    symlinkSync('../outside.ts', path.join(dir, 'out/index.ts'));
    const run = runCli(['conventions', '--lang', 'ts', '--out', 'out'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('--out out: out/index.ts is a symbolic link; otel-instrument never writes through one (nothing written)\n');
    expect(readFileSync(path.join(dir, 'outside.ts'), 'utf8')).toBe('outside\n');
    expect(lstatSync(path.join(dir, 'out/index.ts')).isSymbolicLink()).toBe(true);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['index.ts']);
  });

  it('refuses an output directory that is a symbolic link', () => {
    const dir = tempDir('conventions-symlink-dir');
    mkdirSync(path.join(dir, 'elsewhere'));
    symlinkSync('elsewhere', path.join(dir, 'out'));
    const run = runCli(['conventions', '--lang', 'go', '--out', 'out'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--out out: out is a symbolic link; otel-instrument never writes through one');
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
  });

  it('an --out that is a file is an error (exit 2), the file unchanged', () => {
    const dir = tempDir('conventions-out-file');
    writeFileSync(path.join(dir, 'out'), 'mine\n');
    const run = runCli(['conventions', '--lang', 'ts', '--out', 'out'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('--out out: exists and is not a directory (nothing written)\n');
    expect(readFileSync(path.join(dir, 'out'), 'utf8')).toBe('mine\n');
  });

  it('replaces existing files atomically (a new file renamed over the old: a hard link to the old one keeps its content), the mode kept', () => {
    const dir = tempDir('conventions-atomic');
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(path.join(dir, 'out/index.ts'), 'old\n', { mode: 0o600 });
    linkSync(path.join(dir, 'out/index.ts'), path.join(dir, 'old-index.ts'));
    const run = runCli(['conventions', '--lang', 'ts', '--out', 'out'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'out/index.ts'), 'utf8')).toContain('ATTR_HTTP_REQUEST_METHOD');
    expect(readFileSync(path.join(dir, 'old-index.ts'), 'utf8')).toBe('old\n');
    expect(lstatSync(path.join(dir, 'out/index.ts')).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['incubating.ts', 'index.ts']);
  });
});

describe('a model nested 20,000 deep', () => {
  const deep = 20_000;
  it.each([
    ['flow sequences', `    note: ${'['.repeat(deep)}${']'.repeat(deep)}\n`],
    ['flow mappings', `    note: ${'{a: '.repeat(deep)}1${'}'.repeat(deep)}\n`],
    ['compact block sequences', `    attributes:\n      ${'- '.repeat(deep)}x\n`],
  ])('%s: file:line: too deeply nested, exit 2, nothing written', (_name, tail) => {
    const dir = writeFiles(tempDir('conventions-deep'), {
      'model/registry.yaml': `groups:\n  - id: registry.deep\n    type: attribute_group\n    brief: Deep.\n${tail}`,
    });
    const run = runCli(['conventions', '--spec', 'model', '--lang', 'ts', '--out', 'out'], dir);
    const line = tail.startsWith('    note') ? 5 : 6;
    expect(run.stderr).toBe(`model/registry.yaml:${line}: too deeply nested (more than ${MAX_NESTING} levels of mappings and sequences)\n`);
    expect(run.status).toBe(2);
    expect(readdirSync(dir)).toEqual(['model']);
  });
});
