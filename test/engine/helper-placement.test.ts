import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrument } from '../../src/codemod/instrument.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import { runCli } from '../support/cli.js';
import { makeProject } from './make-project.js';
import { repoRoot } from '../support/golden.js';


const run = (dir: string, paths: string[], mode: 'write' | 'check' | 'dry-run' = 'write') => instrument({ paths, transforms: ALL_TRANSFORMS, mode, cwd: dir });
const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const helpersIn = (dir: string, rel: string) => (existsSync(path.join(dir, rel)) ? readdirSync(path.join(dir, rel)).sort() : []);
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const esbuild = path.join(repoRoot, 'node_modules/.bin/esbuild');
/** TypeScript 5.9, where `rootDir` left unset is still computed from the files (6.0 makes it the tsconfig folder). */
const tsc5 = path.join(repoRoot, 'test/compat/toolchains/node_modules/typescript-5/bin/tsc');

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

function sh(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(cwd, 'tsconfig.json') } });
  if (result.status !== 0) throw new Error(`${path.basename(args[0] ?? command)} ${args.slice(1).join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

const FETCH_CLIENT = "export const load = () => fetch('http://127.0.0.1:1/x').catch(() => 'down');\n";
const TS_CJS = {
  'package.json': '{\n  "name": "ts-cjs",\n  "private": true\n}\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'commonjs', target: 'es2022', rootDir: 'src', outDir: 'dist', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] },
    include: ['src'],
  }),
  'src/index.ts': "import { load } from './client';\n\nvoid load().then((r) => console.log('started', typeof r));\n",
  'src/client.ts': FETCH_CLIENT,
};
const TS_NODENEXT = {
  'package.json': '{\n  "name": "ts-esm",\n  "private": true,\n  "type": "module"\n}\n',
  'tsconfig.base.json': JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'] } }),
  'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }),
  'src/index.ts': "import { load } from './client.js';\n\nconsole.log('started', typeof (await load()));\n",
  'src/client.ts': FETCH_CLIENT,
};

describe('helper placement: inside the source tree of the files importing them', () => {
  it('TypeScript CommonJS run on the project root: helpers inside rootDir, extensionless imports; tsc builds the same layout; node, ts-node, tsx and an esbuild bundle start it', async () => {
    const dir = makeProject('place-ts-cjs', TS_CJS);
    const result = await run(dir, ['.']);
    {
      expect(result.errors).toEqual([]);
      expect(helpersIn(dir, 'src/otel-instrument')).toEqual(['common.ts', 'http-client.ts', 'metrics.ts']);
      expect(existsSync(path.join(dir, 'otel-instrument'))).toBe(false);
      // The file's own imports are extensionless, and CommonJS resolves so: ts-node finds no `.js` file.
      expect(read(dir, 'src/client.ts')).toContain("import { tracedFetch } from './otel-instrument/http-client';");
      sh(process.execPath, [tsc, '-p', '.'], dir);
      expect(existsSync(path.join(dir, 'dist/index.js')), 'emitted layout unchanged (not dist/src/index.js)').toBe(true);
      expect(sh(process.execPath, ['dist/index.js'], dir)).toBe('started string\n');
      expect(sh(process.execPath, ['-r', 'ts-node/register', 'src/index.ts'], dir)).toBe('started string\n');
      expect(sh(process.execPath, [tsx, 'src/index.ts'], dir)).toBe('started string\n');
      sh(esbuild, ['src/index.ts', '--bundle', '--platform=node', '--external:@opentelemetry/api', '--outfile=bundle.js', '--log-level=warning'], dir);
      expect(sh(process.execPath, ['bundle.js'], dir)).toBe('started string\n');
    }
  });

  it('TypeScript NodeNext ESM with rootDir set through `extends`: `.js` specifiers; tsc + node, ts-node/esm, tsx and an esbuild bundle start it', async () => {
    const dir = makeProject('place-ts-esm', TS_NODENEXT);
    const result = await run(dir, ['.']);
    expect(result.errors).toEqual([]);
    expect(helpersIn(dir, 'src/otel-instrument')).toEqual(['common.ts', 'http-client.ts', 'metrics.ts']);
    expect(read(dir, 'src/client.ts')).toContain("import { tracedFetch } from './otel-instrument/http-client.js';");
    sh(process.execPath, [tsc, '-p', '.'], dir);
    expect(sh(process.execPath, ['dist/index.js'], dir)).toBe('started string\n');
    expect(sh(process.execPath, ['--no-warnings', '--loader', 'ts-node/esm', 'src/index.ts'], dir)).toBe('started string\n');
    expect(sh(process.execPath, [tsx, 'src/index.ts'], dir)).toBe('started string\n');
    sh(esbuild, ['src/index.ts', '--bundle', '--platform=node', '--format=esm', '--external:@opentelemetry/api', '--outfile=bundle.mjs', '--log-level=warning'], dir);
    expect(sh(process.execPath, ['bundle.mjs'], dir)).toBe('started string\n');
  });

  it('no rootDir: helpers go where the importing files are, so the computed rootDir (and dist layout) does not move', async () => {
    const dir = makeProject('place-ts-norootdir', {
      ...TS_CJS,
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', outDir: 'dist', strict: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }),
      'src/routes/users.ts': "export const users = () => fetch('http://127.0.0.1:1/users');\n",
    });
    await run(dir, ['.']);
    expect(helpersIn(dir, 'src/otel-instrument')).toEqual(['common.ts', 'http-client.ts', 'metrics.ts']);
    expect(read(dir, 'src/routes/users.ts')).toContain("from '../otel-instrument/http-client';");
    sh(process.execPath, [tsc5, '-p', '.'], dir);
    expect(existsSync(path.join(dir, 'dist/index.js'))).toBe(true);
  });

  it("a helper folder the tsconfig's include would not match moves to one it does (include: src/app and src/lib)", async () => {
    const dir = makeProject('place-include', {
      ...TS_CJS,
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'commonjs', target: 'es2022', rootDir: 'src', outDir: 'dist', strict: true, skipLibCheck: true, types: ['node'] },
        include: ['src/app', 'src/lib'],
      }),
      'src/index.ts': '',
      'src/client.ts': '',
      'src/app/a.ts': FETCH_CLIENT,
      'src/lib/b.ts': FETCH_CLIENT,
    });
    await run(dir, ['.']);
    expect(helpersIn(dir, 'src/otel-instrument')).toEqual([]);
    expect(helpersIn(dir, 'src/app/otel-instrument')).toEqual(['common.ts', 'http-client.ts', 'metrics.ts']);
    expect(read(dir, 'src/lib/b.ts')).toContain("from '../app/otel-instrument/http-client';");
    expect(sh(process.execPath, [tsc, '-p', '.', '--listFilesOnly'], dir)).toContain(path.join(dir, 'src/app/otel-instrument/common.ts'));
  });

  it('`.` and `./src` give the same place and the same files (TypeScript and JavaScript)', async () => {
    const js = {
      'package.json': '{\n  "name": "js-app"\n}\n',
      'src/app.js': "const { load } = require('./lib/client');\nmodule.exports = () => fetch('http://127.0.0.1:1/a').then(load);\n",
      'src/lib/client.js': "exports.load = () => fetch('http://127.0.0.1:1/b');\n",
    };
    for (const files of [TS_CJS, js]) {
      const whole = makeProject('place-dot', files);
      const sub = makeProject('place-src', files);
      await run(whole, ['.']);
      await run(sub, ['./src']);
      expect(listFiles(whole)).toEqual(listFiles(sub));
      for (const file of listFiles(whole)) expect(read(whole, file), file).toBe(read(sub, file));
    }
    const dir = makeProject('place-js', js);
    await run(dir, ['.']);
    expect(helpersIn(dir, 'src/otel-instrument')).toEqual(['common.cjs', 'http-client.cjs', 'metrics.cjs']);
    expect(read(dir, 'src/lib/client.js')).toContain("require('../otel-instrument/http-client.cjs')");
  });

  it('a later run on fewer files (a subfolder, --changed-since) reuses the helper folder above instead of making another', async () => {
    const dir = makeProject('place-reuse', { 'package.json': '{\n  "name": "r",\n  "type": "module"\n}\n', 'src/a.ts': FETCH_CLIENT });
    await run(dir, ['.']);
    mkdirSync(path.join(dir, 'src/routes'));
    writeFileSync(path.join(dir, 'src/routes/b.ts'), FETCH_CLIENT);
    const result = await run(dir, ['src/routes']);
    expect(result.project).toEqual([]);
    expect(existsSync(path.join(dir, 'src/routes/otel-instrument'))).toBe(false);
    expect(read(dir, 'src/routes/b.ts')).toContain("from '../otel-instrument/http-client.js';");
  });

  it('monorepo: each package (nearest package.json) gets its own helpers and dependency; the workspace root is left alone', async () => {
    const rootPackage = '{\n  "name": "mono",\n  "private": true,\n  "workspaces": ["packages/*"]\n}\n';
    const dir = makeProject('place-mono', {
      'package.json': rootPackage,
      'packages/a/package.json': '{\n  "name": "a"\n}\n',
      'packages/a/src/a.js': "module.exports = () => fetch('http://127.0.0.1:1/a');\n",
      'packages/b/package.json': '{\n  "name": "b",\n  "type": "module"\n}\n',
      'packages/b/lib/b.mjs': "export const b = () => fetch('http://127.0.0.1:1/b');\n",
    });
    await run(dir, ['.']);
    expect(helpersIn(dir, 'packages/a/src/otel-instrument')).toEqual(['common.cjs', 'http-client.cjs', 'metrics.cjs']);
    expect(helpersIn(dir, 'packages/b/lib/otel-instrument')).toEqual(['common.mjs', 'http-client.mjs', 'metrics.mjs']);
    expect(read(dir, 'package.json')).toBe(rootPackage);
    for (const pkg of ['a', 'b']) expect(JSON.parse(read(dir, `packages/${pkg}/package.json`)).dependencies).toEqual({ '@opentelemetry/api': '^1.9.0' });
  });
});

describe('generated helpers are recognised by their header wherever they are', () => {
  it('`./src` then `.`: the helpers are skipped, never rewritten nor counted; exit 0', async () => {
    const dir = makeProject('recognise', { 'package.json': '{\n  "name": "r",\n  "type": "module"\n}\n', 'src/a.ts': FETCH_CLIENT });
    expect(runCli(['./src'], dir).status).toBe(0);
    // A helper copied elsewhere by the user is still a helper.
    mkdirSync(path.join(dir, 'vendor'));
    writeFileSync(path.join(dir, 'vendor/http-client.ts'), read(dir, 'src/otel-instrument/http-client.ts'));
    const second = runCli(['.', '--json'], dir);
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    const report = JSON.parse(second.stdout) as { files: { file: string; status: string; reason?: string; sites: unknown[] }[] };
    const helpers = report.files.filter((f) => /otel-instrument\/|vendor\//.test(f.file));
    expect(helpers.map((f) => [f.file, f.status, f.reason, f.sites.length])).toEqual([
      ['src/otel-instrument/common.ts', 'skipped', 'generated helper', 0],
      ['src/otel-instrument/http-client.ts', 'skipped', 'generated helper', 0],
      ['src/otel-instrument/metrics.ts', 'skipped', 'generated helper', 0],
      ['vendor/http-client.ts', 'skipped', 'generated helper', 0],
    ]);
  });
});
