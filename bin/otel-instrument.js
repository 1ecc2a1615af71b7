#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `prepare` on npm ci).
import('../dist/src/cli.js').then((cli) => cli.main(process.argv.slice(2)));
