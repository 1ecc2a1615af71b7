import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/codemod/discover-files.js';
import { tempDir } from '../support/cli.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/** A repository whose nested .gitignore files re-include and exclude again what a parent said. */
function makeRepo(): string {
  const dir = tempDir('gitignore');
  const files: Record<string, string> = {
    '.gitignore': '*.gen.js\nlogs/\n/top-only.js\n',
    'a.js': '',
    'top-only.js': '',
    'x.gen.js': '',
    'sub/.gitignore': '!special.gen.js\n*.tmp.js\n',
    'sub/special.gen.js': '',
    'sub/other.gen.js': '',
    'sub/top-only.js': '',
    'sub/keep.tmp.js': '',
    'sub/deeper/.gitignore': '!keep.tmp.js\nspecial.gen.js\n',
    'sub/deeper/keep.tmp.js': '',
    'sub/deeper/special.gen.js': '',
    'sub/deeper/plain.js': '',
    // Git cannot re-include a file whose directory is excluded.
    'logs/.gitignore': '!*.js\n',
    'logs/l.js': '',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  git(dir, 'init', '-q');
  return dir;
}

describe('discovery honours .gitignore as git does', () => {
  it('finds exactly the source files git would track, nested negations included', () => {
    const dir = makeRepo();
    const tracked = git(dir, 'ls-files', '--cached', '--others', '--exclude-standard')
      .split('\n')
      .filter((f) => f.endsWith('.js'))
      .sort();
    const found = discoverFiles(['.'], { cwd: dir })
      .files.map((f) => path.relative(dir, f.path).split(path.sep).join('/'))
      .sort();
    // What git says, written out so the test reads as the rule it checks.
    expect(tracked).toEqual(['a.js', 'sub/deeper/keep.tmp.js', 'sub/deeper/plain.js', 'sub/special.gen.js', 'sub/top-only.js']);
    expect(found).toEqual(tracked);
  });

  it('applies the same precedence when a subfolder is the root given', () => {
    const dir = makeRepo();
    const found = discoverFiles(['sub'], { cwd: dir })
      .files.map((f) => path.relative(dir, f.path).split(path.sep).join('/'))
      .sort();
    expect(found).toEqual(['sub/deeper/keep.tmp.js', 'sub/deeper/plain.js', 'sub/special.gen.js', 'sub/top-only.js']);
  });
});
