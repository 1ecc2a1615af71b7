import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/codemod/apply-edits.js';
import { detectCodeStyle } from '../../src/codemod/code-style.js';
import { parseSource } from '../../src/codemod/parse-source.js';
import { planImports } from '../../src/codemod/plan-imports.js';

function addImport(name: string, text: string, request = { from: 'helper-mod', name: 'traced' }): string {
  const file = parseSource(name, text, () => 'commonjs');
  return applyEdits(text, planImports(file, [request], (from) => `./${from}.js`, detectCodeStyle(file.ast)));
}

// Table of small variations, like typescript-eslint's RuleTester: input → expected.
const cases: { name: string; file: string; input: string; output: string }[] = [
  {
    name: 'ESM: after the last import',
    file: 'a.ts',
    input: "import a from 'a';\nimport { b } from 'b';\n\nuse(a, b);\n",
    output: "import a from 'a';\nimport { b } from 'b';\nimport { traced } from './helper-mod.js';\n\nuse(a, b);\n",
  },
  {
    name: 'ESM: merged into an existing import of the same module',
    file: 'a.ts',
    input: "import { other } from './helper-mod.js';\nother();\n",
    output: "import { other, traced } from './helper-mod.js';\nother();\n",
  },
  {
    name: 'ESM: merged keeping a trailing comma',
    file: 'a.ts',
    input: "import {\n  other,\n} from './helper-mod.js';\nother();\n",
    output: "import {\n  other, traced,\n} from './helper-mod.js';\nother();\n",
  },
  {
    name: 'ESM: already imported is not imported twice',
    file: 'a.ts',
    input: "import { traced } from './helper-mod.js';\ntraced();\n",
    output: "import { traced } from './helper-mod.js';\ntraced();\n",
  },
  {
    name: 'CJS: after use strict and the last require, double quotes and no semicolons copied',
    file: 'a.js',
    input: '"use strict"\nconst a = require("a")\n\na()\n',
    output: '"use strict"\nconst a = require("a")\nconst { traced } = require("./helper-mod.js")\n\na()\n',
  },
  {
    name: 'CJS: merged into a destructuring require',
    file: 'a.cjs',
    input: "const { other } = require('./helper-mod.js');\nother();\n",
    output: "const { other, traced } = require('./helper-mod.js');\nother();\n",
  },
  {
    name: 'no imports: above the first statement, below a header comment',
    file: 'a.mjs',
    input: '// Licence header\n\nexport const x = 1;\n',
    output: "// Licence header\n\nimport { traced } from './helper-mod.js';\n\nexport const x = 1;\n",
  },
  {
    name: 'CRLF files get CRLF lines',
    file: 'a.ts',
    input: "import a from 'a';\r\na();\r\n",
    output: "import a from 'a';\r\nimport { traced } from './helper-mod.js';\r\na();\r\n",
  },
];

describe('planImports', () => {
  it('has no duplicate cases', () => {
    expect(new Set(cases.map((c) => c.input + c.file)).size).toBe(cases.length);
  });
  for (const c of cases) {
    it(c.name, () => {
      expect(addImport(c.file, c.input)).toBe(c.output);
    });
  }
  it('refuses to shadow a name the file already declares', () => {
    expect(() => addImport('a.ts', 'function traced() {}\ntraced();\n')).toThrow(/a\.ts:1:1: cannot import traced/);
  });
});
