import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { repoRoot } from './support/golden.js';

/**
 * The README stays true by markers a test reads:
 * - `<!-- options: <subcommand args> -->` before a table: its `--option` cells are exactly the
 *   options that `otel-instrument <args> --help` prints.
 * - `<!-- file: <repo path> -->` before a fenced block: the block is that file's content (a golden
 *   fixture or a generated output), so before/after examples cannot drift from what the tool does.
 */
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8').replace(/\r\n/g, '\n');

function markers(kind: string): { arg: string; after: string }[] {
  const found: { arg: string; after: string }[] = [];
  const pattern = new RegExp(`<!-- ${kind}:(.*?)-->\\n`, 'g');
  for (const match of readme.matchAll(pattern)) {
    found.push({ arg: match[1]!.trim(), after: readme.slice(match.index + match[0].length) });
  }
  return found;
}

function helpOptions(args: string[]): string[] {
  const run = runCli([...args, '--help'], repoRoot);
  expect(run.status).toBe(0);
  const options = [...run.stdout.matchAll(/^\s+(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
  return [...new Set(options)].filter((o) => o !== '--help' && o !== '--version').sort();
}

describe('README', () => {
  it('starts with the two fresh-machine commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npx otel-instrument --dry-run examples/shop');
    expect(firstBlock).toContain('npm run test:all');
    // CI runs the very test command the README gives.
    expect(readFileSync(path.join(repoRoot, '.ci/run'), 'utf8')).toContain('npm run test:all');
  });

  const optionTables = markers('options');
  it('has an options table for the main command', () => {
    expect(optionTables.map((t) => t.arg)).toContain('');
  });
  for (const table of optionTables) {
    it(`lists every option of \`otel-instrument ${table.arg}\`, as --help does`, () => {
      const rows = table.after.slice(0, table.after.indexOf('\n\n')).split('\n');
      const documented = rows.map((r) => /^\|\s*`(--[a-z][a-z-]*)/.exec(r)?.[1]).filter((o): o is string => o !== undefined);
      expect(documented.sort()).toEqual(helpOptions(table.arg ? table.arg.split(/\s+/) : []));
    });
  }

  for (const snippet of markers('file')) {
    it(`shows ${snippet.arg} as it is`, () => {
      const block = /^```\w*\n([\s\S]*?)```/.exec(snippet.after);
      expect(block, 'a fenced block follows the marker').not.toBeNull();
      const content = readFileSync(path.join(repoRoot, snippet.arg), 'utf8').replace(/\r\n/g, '\n');
      expect(block![1]).toBe(content.endsWith('\n') ? content : content + '\n');
    });
  }
});
