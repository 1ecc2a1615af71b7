#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `prepare` on npm ci).
// `conventions` runs on its own entry: it needs none of the codemod engine (nor its TypeScript
// compiler, which takes most of a second to load).
const argv = process.argv.slice(2);
const entry = argv[0] === 'conventions' ? '../dist/src/conventions/cli.js' : '../dist/src/cli.js';
import(entry).then((cli) => cli.main(argv));
