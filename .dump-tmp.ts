import { loadStoryboard } from '/work/main/src/cli/load-storyboard.js';
import { formatDiagnostics } from '/work/main/src/diagnostics/format.js';
for (const p of process.argv.slice(2)) {
  const t = Date.now();
  const loaded = await loadStoryboard(p);
  const sources = new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []);
  console.log(`=== ${p} (${Date.now() - t} ms)`);
  console.log(formatDiagnostics(loaded.result.diagnostics, { sources }).slice(0, 3000));
}
