// Everything a render writes must really land inside the storyboard's directory, judged by real path as the
// inputs are: the film and its sidecars, the lock file, and the `.storyboard` folder (cache, journal, uploads).
import { dirname, join, relative } from 'node:path';
import { manifestPath } from '../assembly/film-manifest.js';
import type { Storyboard } from '../compiler/storyboard.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { judgeOutputPath, judgeOutputTree, type OutputPathVerdict } from '../io/safe-output.js';
import { reportPathFor } from '../report/write-report.js';
import { lockPathFor } from '../runner/lock-file.js';

const HINT = 'The tool writes only inside the storyboard\'s directory: remove the link, or point it at a folder inside the project.';

/** A refused output as a diagnostic; at `output.file` in the YAML when the path comes from it. */
function refusal(v: OutputPathVerdict, dir: string, what: string, storyboard: Storyboard, fromOutputFile: boolean): Diagnostic {
  const shown = relative(dir, v.path).split('\\').join('/');
  const span = fromOutputFile ? storyboard.output.fileSpan : undefined;
  return {
    code: 'path-escapes-project', severity: 'error', ...(span ? { span } : {}),
    message: v.realPath === undefined
      ? `${what} \`${shown}\` cannot be written: a symbolic link on its way loops or cannot be read`
      : `${what} \`${shown}\` would be written outside the storyboard's directory, to \`${v.realPath}\`, through a symbolic link`,
    hint: HINT,
  };
}

/**
 * Judges every path a render of `storyboard` (read from `storyboardPath`) writes by its real path, and refuses
 * each one that leads outside the storyboard's directory with a `path-escapes-project` diagnostic.
 */
export async function checkOutputPaths(storyboardPath: string, storyboard: Storyboard): Promise<Diagnostic[]> {
  const dir = dirname(storyboardPath);
  const film = join(dir, storyboard.output.file);
  const base = film.replace(/\.mp4$/i, '');
  const files: readonly (readonly [string, string, boolean])[] = [
    [film, 'The film', true],
    [manifestPath(film), 'The film\'s timeline', true],
    [reportPathFor(film), 'The render report', true],
    [`${base}.srt`, 'The subtitles', true],
    [`${base}.vtt`, 'The subtitles', true],
    [lockPathFor(storyboardPath), 'The lock file', false],
  ];
  const out: Diagnostic[] = [];
  // a folder of the film that leads outside is one problem, not one per file written there
  const folder = await judgeOutputPath(dir, dirname(film));
  if (!folder.inside) out.push(refusal(folder, dir, 'The film\'s folder', storyboard, true));
  for (const [path, what, fromOutputFile] of files) {
    if (!folder.inside && fromOutputFile) continue;
    const verdict = await judgeOutputPath(dir, path);
    if (!verdict.inside) out.push(refusal(verdict, dir, what, storyboard, fromOutputFile));
  }
  for (const verdict of await judgeOutputTree(dir, join(dir, '.storyboard'))) {
    out.push(refusal(verdict, dir, 'The clip cache and task journal folder', storyboard, false));
  }
  return out;
}
