#!/usr/bin/env node
// Entry point of the `storyboard` command: runs the bundled CLI (dist/bundle, built by `npm run build`), or the
// unbundled build when there is no bundle. `storyboard --version` alone is answered here, before loading anything.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { createRequire } = await import('node:module');
  process.stdout.write(`${createRequire(import.meta.url)('../package.json').version}\n`);
} else {
  const { main } = await import('../dist/bundle/main.js').catch((e) => {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/bundle/main.js')) throw e;
    return import('../dist/src/cli/main.js');
  });
  await main(args);
}
