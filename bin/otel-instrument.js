#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `prepare` on npm ci).
// `conventions` runs on its own entry: it needs none of the codemod engine (nor its TypeScript
// compiler, which takes most of a second to load).
// A reader that stops early (`otel-instrument --dry-run | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
const argv = process.argv.slice(2);
const entry = argv[0] === 'conventions' ? '../dist/src/conventions/cli.js' : '../dist/src/cli.js';
import(entry).then((cli) => cli.main(argv));
