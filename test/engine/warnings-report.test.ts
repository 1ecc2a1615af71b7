import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli.js';
import { instrument } from '../../src/codemod/instrument.js';
import { checkReport } from '../../src/codemod/reporters/check.js';
import { githubReport } from '../../src/codemod/reporters/github.js';
import { jsonReport } from '../../src/codemod/reporters/json.js';
import { markdownReport } from '../../src/codemod/reporters/markdown.js';
import { prettyReport } from '../../src/codemod/reporters/pretty.js';
import type { Transform } from '../../src/codemod/types.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import { tempDir } from '../support/cli.js';

/** Warns at every `.publish(` call: the shape a messaging transform reports when it cannot resolve the receiver. */
const warnOnPublish: Transform = {
  id: 'warn-on-publish',
  description: 'test transform',
  packages: {},
  triggers: ['.publish('],
  helpers: [],
  find(file, context) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'publish') {
        context.warn(node, `${node.expression.expression.getText(file.ast)}.publish(…): receiver not known`);
      }
      node.forEachChild(visit);
    };
    visit(file.ast);
    return [];
  },
};

function project(files: Record<string, string>): string {
  const dir = tempDir('warnings');
  for (const [rel, text] of Object.entries({ 'package.json': '{ "name": "w" }\n', ...files })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const run = (dir: string, mode: 'check' | 'write') => instrument({ paths: ['src'], cwd: dir, mode, transforms: [...ALL_TRANSFORMS, warnOnPublish] });

describe('warnings in every report', () => {
  const files = {
    'src/bus.js': "module.exports = (bus) => {\n  bus.publish('x', 'y');\n  // otel-instrument-ignore\n  bus.publish('quiet', 'y');\n};\n",
    'src/client.js': "module.exports = () => fetch('http://localhost:1/');\n",
  };
  const line = 'src/bus.js:2:3 warning: bus.publish(…): receiver not known';

  it('are listed as file:line:col warning: why; an ignore comment silences one', async () => {
    const dir = project(files);
    const result = await run(dir, 'check');
    expect(checkReport(result, dir)).toBe(`${line}\nsrc/client.js:1:24 fetch\n`);
    expect(JSON.parse(jsonReport(result, dir)).files.find((f: { file: string }) => f.file === 'src/bus.js').warnings).toEqual([
      { transform: 'warn-on-publish', file: 'src/bus.js', line: 2, column: 3, message: 'bus.publish(…): receiver not known' },
    ]);
    expect(githubReport(result, dir, 'check', 'npx otel-instrument src')).toContain(
      '::warning file=src/bus.js,line=2,col=3,title=otel-instrument::bus.publish(…): receiver not known\n',
    );
    expect(markdownReport(result, dir, 'check', 'npx otel-instrument src')).toContain(`- \`src/bus.js:2:3\` warning: bus.publish(…): receiver not known`);
    expect(prettyReport(result, dir, 'check')).toContain(`${line}\n`);
  });

  it('do not change the exit code: 1 with call sites left, 0 with warnings alone', async () => {
    const dir = project(files);
    expect(exitCodeFor(await run(dir, 'check'), 'check')).toBe(1);
    const written = await run(dir, 'write');
    expect(exitCodeFor(written, 'write')).toBe(0);
    expect(prettyReport(written, dir, 'write')).toMatch(/, 1 warning\n$/);
    const after = await run(dir, 'check');
    expect(checkReport(after, dir)).toBe(`${line}\n`);
    expect(exitCodeFor(after, 'check')).toBe(0);
  });
});
