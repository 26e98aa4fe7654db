// The package version (from package.json) for `storyboard --version`.
import { createRequire } from 'node:module';

/** The package version, read from package.json. */
export function version(): string {
  const require = createRequire(import.meta.url);
  for (const p of ['../../package.json', '../../../package.json']) {
    try {
      return (require(p) as { version: string }).version;
    } catch {
      // source (src/cli) and build (dist/src/cli) sit at different depths
    }
  }
  return '0.0.0';
}
