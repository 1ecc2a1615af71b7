import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { findContext } from '../../test/support/find-context.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { gotTransform } from './index.js';

runGoldenCases(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'), [gotTransform]);

function sitesOf(text: string) {
  return gotTransform.find(parseSource('/virtual/client.ts', text, () => 'module'), findContext()).map((f) => ({ kind: f.site.kind, instrumented: f.site.instrumented, facts: f.site.facts }));
}

describe('got inventory facts', () => {
  it('reads method and URL from every call shape', () => {
    const sites = sitesOf(`
      import got from 'got';
      got('https://a.internal/a');
      got('https://a.internal/b', { method: 'post' });
      got({ url: 'c', prefixUrl: 'https://a.internal/', method: 'DELETE' });
      got.patch('https://a.internal/d', { json: {} });
      got.stream.put('https://a.internal/e');
      got.paginate.all('https://a.internal/f');
      got(options);
      got(url, options);
    `);
    expect(sites.map((s) => s.facts)).toEqual([
      { method: 'GET', url: 'https://a.internal/a' },
      { method: 'POST', url: 'https://a.internal/b' },
      { method: 'DELETE', url: 'https://a.internal/c' },
      { method: 'PATCH', url: 'https://a.internal/d' },
      { method: 'PUT', url: 'https://a.internal/e' },
      { method: 'GET', url: 'https://a.internal/f' },
      { method: 'GET', url: undefined },
      { method: undefined, url: undefined },
    ]);
    expect(sites.every((s) => s.kind === 'got.request' && !s.instrumented)).toBe(true);
  });

  it('reports calls through an instance extended in the file with its prefixUrl', () => {
    const sites = sitesOf(`
      import { got } from 'got';
      const api = got.extend({ prefixUrl: 'https://b.internal/v1/' });
      api.get('items');
      api.post('items', { json: {} });
      api.extend({});
    `);
    expect(sites).toEqual([
      { kind: 'got.instance', instrumented: false, facts: { instance: 'api', prefixUrl: 'https://b.internal/v1/' } },
      { kind: 'got.request', instrumented: true, facts: { method: 'GET', url: 'https://b.internal/v1/items', instance: 'api' } },
      { kind: 'got.request', instrumented: true, facts: { method: 'POST', url: 'https://b.internal/v1/items', instance: 'api' } },
    ]);
  });
});
