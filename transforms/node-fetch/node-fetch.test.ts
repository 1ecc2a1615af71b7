import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { findContext } from '../../test/support/find-context.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { nodeFetchTransform } from './index.js';

runGoldenCases(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'), [nodeFetchTransform]);

describe('node-fetch handed over as a value', () => {
  it('is warned about with its position; calls, members and the traced alias are not', () => {
    const context = findContext();
    const text = [
      "import fetch from 'node-fetch';",
      'const link = createHttpLink({ uri: "/graphql", fetch });',
      'const client = new Client({ fetch: fetch });',
      'register(fetch);',
      'const same = fetch;',
      "fetch('http://a.internal/x');",
      'void fetch.isRedirect;',
      'export const traced = tracedNodeFetch(fetch);',
      '',
    ].join('\n');
    const file = parseSource('/virtual/client.ts', text, () => 'module');
    nodeFetchTransform.find(file, context);
    const line = (node: ts.Node) => file.ast.getLineAndCharacterOfPosition(node.getStart(file.ast)).line + 1;
    expect(context.warnings.map((w) => [line(w.node), w.message])).toEqual([
      [2, 'node-fetch handed over as a value is not traced: pass tracedNodeFetch(fetch) instead'],
      [3, 'node-fetch handed over as a value is not traced: pass tracedNodeFetch(fetch) instead'],
      [4, 'node-fetch handed over as a value is not traced: pass tracedNodeFetch(fetch) instead'],
      [5, 'node-fetch handed over as a value is not traced: pass tracedNodeFetch(fetch) instead'],
    ]);
  });
});
