#!/usr/bin/env node
// Entry point of the `storyboard` command: runs the compiled CLI (built by `npm run build`).
// `storyboard --version` alone is answered here, before loading the CLI and commander: the same line commander prints.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { createRequire } = await import('node:module');
  process.stdout.write(`${createRequire(import.meta.url)('../package.json').version}\n`);
} else {
  const { main } = await import('../dist/src/cli/main.js');
  await main(args);
}
