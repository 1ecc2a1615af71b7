import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

const OK_JS = "module.exports = () => fetch('http://localhost:1/ok');\n";
const DEPTH = 1000;

/** Shapes that exhaust the stack of a recursive parser or tree walk, each with the column it is deepest at. */
const SHAPES: Record<string, { text: string; column: number }> = {
  parentheses: { text: `const x = ${'('.repeat(DEPTH)}fetch('u')${')'.repeat(DEPTH)};\n`, column: 11 + DEPTH + 5 },
  arrays: { text: `const x = ${'['.repeat(DEPTH)}fetch('u')${']'.repeat(DEPTH)};\n`, column: 11 + DEPTH + 5 },
  calls: { text: `const x = ${'f('.repeat(DEPTH)}fetch('u')${')'.repeat(DEPTH)};\n`, column: 11 + 2 * DEPTH + 5 },
  ternaries: { text: `const x = ${'(a ? '.repeat(DEPTH)}fetch('u')${' : b)'.repeat(DEPTH)};\n`, column: 11 + 5 * DEPTH + 5 },
  // Parses (the parser loops over binary operators) but every tree walk recurses 10,000 deep.
  concatenation: {
    text: `const x = fetch('u') + ${Array.from({ length: 10_000 }, (_, i) => `'s${i}'`).join(' + ')};\n`,
    column: 11,
  },
};

describe('files nested too deeply for the parser or a tree walk', () => {
  it('are each reported as file:line:col, the other files still instrumented, exit 2', () => {
    const dir = tempDir('deep');
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "deep" }\n');
    // Two lines above, so the reported line is not trivially 1.
    const deep = (name: string) => `'use strict';\n\n${SHAPES[name]!.text}`;
    for (const name of Object.keys(SHAPES)) writeFileSync(path.join(dir, `src/${name}.js`), deep(name));
    writeFileSync(path.join(dir, 'src/z-ok.js'), OK_JS);

    const run = runCli(['src'], dir);
    expect(run.stderr).not.toMatch(/RangeError|Maximum call stack/);
    for (const [name, { column }] of Object.entries(SHAPES)) {
      expect(run.stderr).toContain(`src/${name}.js:3:${column}: too deeply nested`);
      expect(readFileSync(path.join(dir, `src/${name}.js`), 'utf8')).toBe(deep(name));
    }
    expect(run.status).toBe(2);
    expect(readFileSync(path.join(dir, 'src/z-ok.js'), 'utf8')).toContain("tracedFetch('http://localhost:1/ok')");
    expect(run.stdout).toMatch(/^instrumented src\/z-ok\.js$/m);
  });
});
