import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { findContext } from '../../test/support/find-context.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { undiciTransform } from './index.js';

runGoldenCases(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'), [undiciTransform]);

function sitesOf(text: string) {
  return undiciTransform.find(parseSource('/virtual/client.ts', text, () => 'module'), findContext()).map((f) => ({ kind: f.site.kind, instrumented: f.site.instrumented, facts: f.site.facts }));
}

describe('undici inventory facts', () => {
  it('reads method and URL from the module functions', () => {
    const sites = sitesOf(`
      import { fetch, request, stream } from 'undici';
      request('https://a.internal/a');
      request('https://a.internal/b', { method: 'post' });
      request('https://a.internal/x?y', { path: '/c', body: 'x' });
      request(url, options);
      fetch('https://a.internal/d', { method: 'DELETE' });
      stream('https://a.internal/e', { method: 'GET' }, () => sink);
    `);
    expect(sites.map((s) => s.facts)).toEqual([
      { method: 'GET', url: 'https://a.internal/a' },
      { method: 'POST', url: 'https://a.internal/b' },
      { method: 'PUT', url: 'https://a.internal/c' },
      { method: undefined, url: undefined },
      { method: 'DELETE', url: 'https://a.internal/d' },
      { method: 'GET', url: 'https://a.internal/e' },
    ]);
    expect(sites.every((s) => s.kind === 'undici.request' && !s.instrumented)).toBe(true);
  });

  it('reports requests through a dispatcher created in the file with its origin', () => {
    const sites = sitesOf(`
      import { Agent, Pool } from 'undici';
      const pool = new Pool('http://b.internal:81/ignored');
      const agent = new Agent();
      pool.request({ path: '/items', method: 'GET' });
      agent.request({ origin: 'http://c.internal', path: '/x', method: 'PATCH' });
      pool.close();
    `);
    expect(sites).toEqual([
      { kind: 'undici.dispatcher', instrumented: false, facts: { dispatcher: 'Pool', instance: 'pool', origin: 'http://b.internal:81' } },
      { kind: 'undici.dispatcher', instrumented: false, facts: { dispatcher: 'Agent', instance: 'agent', origin: undefined } },
      { kind: 'undici.request', instrumented: true, facts: { method: 'GET', url: 'http://b.internal:81/items', instance: 'pool' } },
      { kind: 'undici.request', instrumented: true, facts: { method: 'PATCH', url: 'http://c.internal/x', instance: 'agent' } },
    ]);
  });

  it('warns about a BalancedPool, whose requests name no origin, and leaves it as it is', () => {
    const context = findContext();
    const file = parseSource('/virtual/client.ts', "import { BalancedPool } from 'undici';\nconst pool = new BalancedPool(['http://a.internal', 'http://b.internal']);\n", () => 'module');
    expect(undiciTransform.find(file, context)).toEqual([]);
    expect(context.warnings.map((w) => [file.ast.getLineAndCharacterOfPosition(w.node.getStart(file.ast)).line + 1, w.message])).toEqual([
      [2, expect.stringMatching(/^undici BalancedPool is not instrumented/)],
    ]);
  });
});
