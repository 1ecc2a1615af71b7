// Lower bound for the codemod: discover and read every file, TypeScript-parse the candidates
// (same prefilter words as the tool). Anything the tool does beyond this is its own cost.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// Loaded with require, as the tool loads it: from ESM, Node would first scan the 9 MB bundle for exports.
const ts = createRequire(import.meta.url)('typescript');

// With --write, every parsed candidate is written back (plain write, same bytes): the floor for a
// run that rewrites files, since writing ~500 files costs this disk about as much as parsing them.
const WRITE = process.argv.includes('--write');
const TRIGGERS = ['express', 'fastify', 'fetch', 'kafkajs', 'amqplib', 'axios', 'http'];
let parsed = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full);
    } else if (/\.[cm]?[jt]sx?$/.test(entry.name)) {
      const text = readFileSync(full, 'utf8');
      if (TRIGGERS.some((t) => text.includes(t))) {
        ts.createSourceFile(full, text, ts.ScriptTarget.Latest, true);
        if (WRITE) writeFileSync(full, text);
        parsed++;
      }
    }
  }
}
walk(process.argv[2]);
process.stderr.write(`parsed ${parsed}\n`);
