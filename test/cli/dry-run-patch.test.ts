import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

/** A small service whose rewrite also creates helper files and changes package.json. */
function makeApp(): string {
  const dir = tempDir('patch-app');
  const files: Record<string, string> = {
    'package.json': '{\n  "name": "patch-app",\n  "dependencies": {\n    "express": "^5.0.0"\n  }\n}\n',
    'src/server.js': "const express = require('express');\n\nconst app = express();\napp.get('/x', (req, res) => res.send('x'));\napp.listen(3000);\n",
    'src/client.js': "module.exports = () => fetch('http://localhost:1/y');\n",
    'src/nothing.js': 'module.exports = 1;\n',
    // Bytes a patch must carry exactly: no final newline, CRLF, a BOM.
    'src/no-newline.js': "module.exports = () => fetch('http://localhost:1/a');",
    'src/crlf.js': "// header\r\nmodule.exports = () => fetch('http://localhost:1/b');\r\n",
    'src/bom.js': "\uFEFFmodule.exports = () => fetch('http://localhost:1/c');\n",
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const name = path.posix.join(rel, entry.name);
    if (entry.name === '.git') continue;
    if (entry.isDirectory()) Object.assign(out, tree(dir, name));
    else out[name] = readFileSync(path.join(dir, name), 'utf8');
  }
  return out;
}

/** Applies `patch` with real `git apply` in a pristine copy of `app` and returns the copy. */
function applyInCopy(app: string, patch: string): string {
  const copy = tempDir('patch-copy');
  cpSync(app, copy, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: copy });
  execFileSync('git', ['apply', '--check', '-'], { cwd: copy, input: patch });
  execFileSync('git', ['apply', '-'], { cwd: copy, input: patch });
  return copy;
}

describe('--dry-run prints a patch that git apply takes', () => {
  it('for a root outside the current directory: names relative to the root, applied there equals a writing run', () => {
    const app = makeApp();
    const elsewhere = tempDir('patch-cwd');
    const dry = runCli([app, '--dry-run'], elsewhere);
    expect(dry.status).toBe(0);
    expect(dry.stdout).not.toContain(app);
    expect(dry.stdout).toMatch(/^\+\+\+ b\/src\/server\.js/m);
    expect(dry.stdout).toMatch(/^--- \/dev\/null$/m);
    expect(dry.stdout).toMatch(/^\+\+\+ b\/package\.json/m);
    const copy = applyInCopy(app, dry.stdout);

    expect(runCli([app], elsewhere).status).toBe(0);
    const written = tree(app);
    expect(Object.keys(written).some((f) => f.includes('otel-instrument/'))).toBe(true);
    expect(tree(copy)).toEqual(written);
  });

  it('for a root below the current directory: names relative to the current directory', () => {
    const app = makeApp();
    const dry = runCli(['src', '--dry-run'], app);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^\+\+\+ b\/src\/server\.js/m);
    const copy = applyInCopy(app, dry.stdout);
    expect(runCli(['src'], app).status).toBe(0);
    expect(tree(copy)).toEqual(tree(app));
  });
});
