// `otel-instrument go --out`: a path that cannot hold the module is a message and exit 2 (not a
// stack trace), and nothing is written through a symbolic link.
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { goTestDir } from './cases.js';

const inventory = path.join(goTestDir, 'fixtures/inventories/http-only.json');

describe('otel-instrument go --out', () => {
  it('an existing file: exit 2 with a message, the file unchanged', () => {
    const dir = tempDir('go-out-file');
    writeFileSync(path.join(dir, 'svc'), 'mine\n');
    const run = runCli(['go', '--inventory', inventory, '--out', 'svc'], dir);
    expect(run.stderr).toBe('otel-instrument go: --out svc: exists and is not a directory (nothing written)\n');
    expect(run.status).toBe(2);
    expect(readFileSync(path.join(dir, 'svc'), 'utf8')).toBe('mine\n');
  });

  it('a file to regenerate that is a symbolic link: exit 2, nothing written, the file it points at unchanged', () => {
    const dir = tempDir('go-out-symlink');
    writeFileSync(path.join(dir, 'outside.go'), 'outside\n');
    mkdirSync(path.join(dir, 'svc'));
    symlinkSync('../outside.go', path.join(dir, 'svc/main.go'));
    const run = runCli(['go', '--inventory', inventory, '--out', 'svc', '--force'], dir);
    expect(run.stderr).toBe('otel-instrument go: --out svc: svc/main.go is a symbolic link; otel-instrument never writes through one (nothing written)\n');
    expect(run.status).toBe(2);
    expect(readFileSync(path.join(dir, 'outside.go'), 'utf8')).toBe('outside\n');
    expect(readdirSync(path.join(dir, 'svc'))).toEqual(['main.go']);
    expect(lstatSync(path.join(dir, 'svc/main.go')).isSymbolicLink()).toBe(true);
  });

  it('a folder on the way that is a symbolic link (internal/ → elsewhere): nothing written', () => {
    const dir = tempDir('go-out-symlink-dir');
    mkdirSync(path.join(dir, 'elsewhere'));
    mkdirSync(path.join(dir, 'svc'));
    symlinkSync('../elsewhere', path.join(dir, 'svc/internal'));
    const run = runCli(['go', '--inventory', inventory, '--out', 'svc', '--module', 'example.com/svc', '--semconv-spec'], dir);
    expect(run.stderr).toBe('otel-instrument go: --out svc: svc/internal is a symbolic link; otel-instrument never writes through one (nothing written)\n');
    expect(run.status).toBe(2);
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'svc'))).toEqual(['internal']);
  });
});
