import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/codemod/parse-source.js';
import { findContext } from '../../test/support/find-context.js';
import { runGoldenCases } from '../../test/support/golden.js';
import { axiosTransform } from './index.js';

runGoldenCases(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'), [axiosTransform]);

function sitesOf(text: string) {
  return axiosTransform.find(parseSource('/virtual/client.ts', text, () => 'module'), findContext()).map((f) => ({ kind: f.site.kind, instrumented: f.site.instrumented, facts: f.site.facts }));
}

describe('axios inventory facts', () => {
  it('reads method and URL from every call shape', () => {
    const sites = sitesOf(`
      import axios from 'axios';
      axios('https://a.internal/a');
      axios('https://a.internal/b', { method: 'post' });
      axios({ url: '/c', baseURL: 'https://a.internal/', method: 'delete' });
      axios.request({ url: 'https://a.internal/d' });
      axios.patch('https://a.internal/e', {}, { headers: {} });
      axios.putForm('https://a.internal/f', form);
      axios(config);
      axios(\`\${base}/g\`);
    `);
    expect(sites.map((s) => s.facts)).toEqual([
      { method: 'GET', url: 'https://a.internal/a' },
      { method: 'POST', url: 'https://a.internal/b' },
      { method: 'DELETE', url: 'https://a.internal/c' },
      { method: 'GET', url: 'https://a.internal/d' },
      { method: 'PATCH', url: 'https://a.internal/e' },
      { method: 'PUT', url: 'https://a.internal/f' },
      { method: undefined, url: undefined },
      { method: 'GET', url: undefined },
    ]);
    expect(sites.every((s) => s.kind === 'axios.request' && !s.instrumented)).toBe(true);
  });

  it('reports requests through an instance created in the file with its baseURL', () => {
    const sites = sitesOf(`
      import axios from 'axios';
      const api = axios.create({ baseURL: 'https://b.internal/v1/' });
      api.get('/items');
      api.post('items', {});
      api.interceptors.request.use((c) => c);
    `);
    expect(sites).toEqual([
      { kind: 'axios.instance', instrumented: false, facts: { instance: 'api', baseURL: 'https://b.internal/v1/' } },
      { kind: 'axios.request', instrumented: true, facts: { method: 'GET', url: 'https://b.internal/v1/items', instance: 'api' } },
      { kind: 'axios.request', instrumented: true, facts: { method: 'POST', url: 'https://b.internal/v1/items', instance: 'api' } },
    ]);
  });
});
