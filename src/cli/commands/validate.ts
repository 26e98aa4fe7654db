// `storyboard validate <files…>`: validates storyboards (schema, semantic rules, referenced files) and prints
// their diagnostics, as text or JSON.
import { diagnosticsToJson } from '../../diagnostics/format.js';
import { EXIT } from '../exit-codes.js';
import { loadStoryboard } from '../../render/load-storyboard.js';
import { countLine, printDiagnostics, type Output } from '../output.js';

/** Options of `storyboard validate`. */
export interface ValidateOptions {
  readonly format: 'text' | 'json';
}

/** `storyboard validate <files…>`: 0 when all are valid (warnings allowed), 1 when any is invalid, 2 when a file cannot be read. */
export async function validateCommand(files: readonly string[], out: Output, options: ValidateOptions): Promise<number> {
  let code: number = EXIT.ok;
  const report: unknown[] = [];
  for (const file of files) {
    const loaded = await loadStoryboard(file);
    const sources = new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []);
    const unreadable = loaded.result.diagnostics.some((d) => d.code === 'file-not-found');
    if (unreadable) code = EXIT.usage;
    else if (!loaded.result.ok && code === EXIT.ok) code = EXIT.failed;
    if (options.format === 'json') {
      report.push({ file, valid: loaded.result.ok, diagnostics: diagnosticsToJson(loaded.result.diagnostics, sources) });
      continue;
    }
    printDiagnostics(out, loaded.result.diagnostics, sources);
    const status = loaded.result.ok ? 'valid' : 'invalid';
    out.err(`${file}: ${status} (${countLine(loaded.result.diagnostics)})`);
  }
  if (options.format === 'json') out.out(JSON.stringify({ files: report }, null, 2));
  return code;
}
