import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { tsSpecifierEnding, type TsSpecifierEnding } from '../../src/codemod/specifier-style.js';
import { readProjectConfig } from '../../src/codemod/tsconfig.js';
import { tempDir } from '../support/cli.js';

interface Row {
  name: string;
  /** compilerOptions of the tsconfig.json, or none at all. */
  options: Record<string, unknown> | undefined;
  /** The TypeScript file's own imports. */
  imports: string;
  esm: boolean;
  want: TsSpecifierEnding;
}

const rows: Row[] = [
  { name: 'extensionless own imports, CommonJS (ts-node)', options: { module: 'commonjs' }, imports: "import { a } from './a';\nimport { b } from '../lib/b';", esm: false, want: '' },
  { name: 'dotted names without extension count as extensionless', options: { module: 'commonjs' }, imports: "import { s } from './user.service';", esm: false, want: '' },
  { name: '.js own imports, NodeNext ESM', options: { module: 'nodenext' }, imports: "import { a } from './a.js';", esm: true, want: '.js' },
  { name: 'extensionless own imports lose to NodeNext ESM, where they cannot resolve', options: { module: 'nodenext' }, imports: "import { a } from './a';", esm: true, want: '.js' },
  { name: 'NodeNext in a CommonJS package: extensionless', options: { module: 'nodenext' }, imports: "import fs from 'node:fs';", esm: false, want: '' },
  { name: 'no relative imports, NodeNext ESM: .js', options: { module: 'node16' }, imports: "import fs from 'node:fs';", esm: true, want: '.js' },
  { name: 'no relative imports, bundler resolution: extensionless', options: { module: 'esnext', moduleResolution: 'bundler' }, imports: '', esm: true, want: '' },
  { name: '.ts own imports (allowImportingTsExtensions)', options: { module: 'esnext', moduleResolution: 'bundler', allowImportingTsExtensions: true, noEmit: true }, imports: "import { a } from './a.ts';", esm: true, want: '.ts' },
  { name: 'allowImportingTsExtensions and no relative imports: .ts', options: { module: 'esnext', moduleResolution: 'bundler', allowImportingTsExtensions: true, noEmit: true }, imports: '', esm: true, want: '.ts' },
  { name: 'a tie between styles falls back to the tsconfig', options: { module: 'commonjs' }, imports: "import { a } from './a.js';\nimport { b } from './b';", esm: false, want: '' },
  { name: 'JSON imports say nothing', options: { module: 'nodenext' }, imports: "import data from './data.json';", esm: true, want: '.js' },
  { name: 'no tsconfig, ES module package: .js', options: undefined, imports: '', esm: true, want: '.js' },
  { name: 'no tsconfig, CommonJS package: extensionless', options: undefined, imports: '', esm: false, want: '' },
  { name: 'require calls are relative imports too', options: { module: 'commonjs' }, imports: "const a = require('./a');", esm: false, want: '' },
];

describe('helper import specifiers in TypeScript follow the file and its tsconfig', () => {
  const names = rows.map((r) => r.name);
  it('has no duplicate rows', () => expect(new Set(names).size).toBe(names.length));
  for (const row of rows) {
    it(row.name, () => {
      const dir = tempDir('specifier');
      const file = path.join(dir, 'index.ts');
      let config;
      if (row.options) {
        writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: row.options }));
        config = readProjectConfig(path.join(dir, 'tsconfig.json'));
        expect(config).toBeDefined();
      }
      const source = parseSource(file, `${row.imports}\nexport const x = 1;\n`, () => (row.esm ? 'module' : 'commonjs'));
      expect(tsSpecifierEnding(source, config, row.esm)).toBe(row.want);
    });
  }
});
