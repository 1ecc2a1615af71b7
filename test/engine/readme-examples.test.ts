import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/codemod/helper-header.js';
import { renderHelper } from '../../src/codemod/helper-modules.js';
import { instrument } from '../../src/codemod/instrument.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';
import { makeProject } from './make-project.js';

/**
 * The README's examples of the project-step rules (placement, specifiers, upgrades, repair) are
 * files under test/engine/examples/, produced here by real runs: the README shows them through
 * `<!-- file: -->` markers (test/readme.test.ts), so they cannot drift. UPDATE_GOLDENS=1 rewrites them.
 */
const EXAMPLES = path.join(repoRoot, 'test/engine/examples');

function expectExample(name: string, text: string): void {
  // Fingerprints change with every template edit; the example shows where they are, not their value.
  const actual = text.replace(/sha256:[0-9a-f]{16}/g, 'sha256:…');
  const file = path.join(EXAMPLES, name);
  if (process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(EXAMPLES, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const FETCH = "export const load = () => fetch('http://127.0.0.1:1/x');\n";
const ls = (dir: string, rel: string) => [`${rel}:`, ...readdirSync(path.join(dir, rel)).sort()].join('\n');
const firstLine = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8').split('\n')[0];

describe('README examples of the project step', () => {
  it('placement: `npx otel-instrument .` on a TypeScript project puts the helpers inside rootDir', () => {
    const dir = makeProject('example-placement', {
      'package.json': '{\n  "name": "api"\n}\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', rootDir: 'src', outDir: 'dist' }, include: ['src'] }),
      'src/index.ts': "import { load } from './client';\n\nvoid load();\n",
      'src/client.ts': FETCH,
    });
    const run = runCli(['.'], dir);
    expect(run.status).toBe(0);
    expectExample(
      'placement.txt',
      `# tsconfig.json: "module": "commonjs", "rootDir": "src", "outDir": "dist", "include": ["src"]\n$ npx otel-instrument .\n${run.stdout}$ head -1 src/client.ts\n${firstLine(dir, 'src/client.ts')}\n`,
    );
  });

  it('specifiers: the helper import each kind of project gets', async () => {
    const cases: { what: string; files: Record<string, string>; file: string }[] = [
      {
        what: 'TypeScript, "module": "commonjs" (tsc, ts-node, tsx)',
        files: { 'package.json': '{}', 'tsconfig.json': '{"compilerOptions":{"module":"commonjs"}}', 'src/a.ts': FETCH },
        file: 'src/a.ts',
      },
      {
        what: 'TypeScript, "module": "nodenext", "type": "module"',
        files: { 'package.json': '{"type":"module"}', 'tsconfig.json': '{"compilerOptions":{"module":"nodenext"}}', 'src/a.ts': FETCH },
        file: 'src/a.ts',
      },
      {
        what: 'TypeScript, "moduleResolution": "bundler"',
        files: { 'package.json': '{"type":"module"}', 'tsconfig.json': '{"compilerOptions":{"module":"esnext","moduleResolution":"bundler"}}', 'src/a.ts': FETCH },
        file: 'src/a.ts',
      },
      {
        what: 'TypeScript whose own imports end in .ts ("allowImportingTsExtensions")',
        files: {
          'package.json': '{"type":"module"}',
          'tsconfig.json': '{"compilerOptions":{"module":"nodenext","allowImportingTsExtensions":true,"noEmit":true}}',
          'src/b.ts': 'export const b = 1;\n',
          'src/a.ts': `import { b } from './b.ts';\n${FETCH}`,
        },
        file: 'src/a.ts',
      },
      { what: 'JavaScript, CommonJS', files: { 'package.json': '{}', 'src/a.js': "module.exports = () => fetch('http://127.0.0.1:1/x');\n" }, file: 'src/a.js' },
      { what: 'JavaScript, ES modules', files: { 'package.json': '{"type":"module"}', 'src/a.js': FETCH }, file: 'src/a.js' },
    ];
    const lines: string[] = [];
    for (const c of cases) {
      const dir = makeProject('example-specifier', c.files);
      await instrument({ paths: ['.'], transforms: ALL_TRANSFORMS, mode: 'write', cwd: dir });
      const text = readFileSync(path.join(dir, c.file), 'utf8');
      const line = text.split('\n').find((l) => l.includes('otel-instrument/'))!;
      lines.push(`# ${c.what}`, line);
    }
    expectExample('specifiers.txt', `${lines.join('\n')}\n`);
  });

  it('upgrade: --check on a helper edited since an older version wrote it', async () => {
    const flavor = { language: 'ts', moduleSystem: 'esm' } as const;
    const current = renderHelper('common', flavor).split('\n').slice(1).join('\n');
    // As 0.0.9 wrote it (one line different), then edited by the user (one line added).
    const older = current.replace("export const INSTRUMENTATION_NAME = 'otel-instrument';", "export const INSTRUMENTATION_NAME = 'otel-instrument'; // 0.0.9");
    const header = `// otel-instrument helper: common, version 0.0.9, fingerprint sha256:${fingerprint(older)} (…)\n`;
    const edited = older.replace("export const INSTRUMENTATION_VERSION", "// We pin our own tracer name.\nexport const INSTRUMENTATION_VERSION");
    const dir = makeProject('example-upgrade', {
      'package.json': '{\n  "name": "api",\n  "type": "module",\n  "dependencies": {\n    "@opentelemetry/api": "^1.9.0"\n  }\n}\n',
      'src/a.ts': "import { tracedFetch } from './otel-instrument/http-client.js';\n\nexport const load = () => tracedFetch('http://127.0.0.1:1/x');\n",
      'src/otel-instrument/http-client.ts': renderHelper('http-client', flavor),
      'src/otel-instrument/common.ts': header + edited,
    });
    const result = await instrument({ paths: ['.'], transforms: ALL_TRANSFORMS, mode: 'check', cwd: dir });
    const outdated = result.outdated ?? [];
    expect(outdated).toHaveLength(1);
    expectExample('upgrade.txt', `$ npx otel-instrument --check .\n${path.relative(dir, outdated[0]!.path)}${outdated[0]!.message.slice(outdated[0]!.path.length)}\n${outdated[0]!.diff}`);
  });

  it('repair: the run after one killed before its helpers were written', () => {
    const dir = makeProject('example-repair', {
      'package.json': '{\n  "name": "api",\n  "type": "module"\n}\n',
      'src/a.ts': "import { tracedFetch } from './otel-instrument/http-client.js';\n\nexport const load = () => tracedFetch('http://127.0.0.1:1/x');\n",
      'src/.a.ts.5f3c9e21.otel-instrument.tmp': 'export const lo',
    });
    const run = runCli(['.'], dir);
    expect(run.status).toBe(0);
    expectExample(
      'repair.txt',
      `# src/a.ts imports ./otel-instrument/http-client.js, which a killed run never wrote; src/.a.ts.5f3c9e21.otel-instrument.tmp was left behind\n$ npx otel-instrument .\n${run.stdout}$ ls -A src src/otel-instrument\n${ls(dir, 'src')}\n\n${ls(dir, 'src/otel-instrument')}\n`,
    );
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toContain('@opentelemetry/api');
  });
});
