// Bundles the built CLI (dist/src/cli/main.js) into dist/bundle/ (run by `npm run build`): one file per command
// and a few shared chunks, so a command starts without resolving and reading some 150 separate modules.
// Run: node --import tsx scripts/bundle-cli.ts   (after tsc; bin/storyboard.js prefers the bundle when present)
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true, // each command's dynamic import stays a separate file, loaded only when it runs
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // resolved at run time from the package: the browser (tests only) and the optional ffmpeg binaries
  external: ['playwright-core', 'ffmpeg-static', '@ffprobe-installer/ffprobe'],
  // bundled CommonJS packages (commander, yaml, undici) call require() for node's own modules
  banner: { js: "import { createRequire as __storyboardRequire } from 'node:module'; const require = __storyboardRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
