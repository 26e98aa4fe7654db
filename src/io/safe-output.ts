// Judges paths the tool is about to write by their real path, as inputs are judged: a symlink inside the
// project may point anywhere, so a write is allowed only where it really lands inside the project.
import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Where a path that is about to be written really leads. */
export interface OutputPathVerdict {
  /** The path as given (absolute). */
  readonly path: string;
  /**
   * Where a write to it lands once every symlink on the way is followed (for a new file: where it would be
   * created); undefined when that cannot be told (a link loop, an unreadable link), which counts as outside.
   */
  readonly realPath?: string;
  /** The real path lies inside (or is) the project's real directory. */
  readonly inside: boolean;
}

/** Links followed before a path counts as a loop (the kernel's own limit). */
const MAX_LINKS = 40;

/**
 * Where a write to `path` would land, following symlinks (dangling ones too: writing through a link that
 * points at a missing file creates that file); for a path that does not exist, its nearest existing
 * ancestor's real path with the rest appended. A loop or an unreadable link resolves to `undefined`.
 */
async function landingPath(path: string, links = 0): Promise<string | undefined> {
  if (links > MAX_LINKS) return undefined;
  try {
    return await realpath(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
  }
  const stat = await lstat(path).catch(() => undefined);
  if (stat?.isSymbolicLink()) {
    const target = await readlink(path).catch(() => undefined);
    return target === undefined ? undefined : landingPath(resolve(dirname(path), target), links + 1);
  }
  const parent = dirname(path);
  if (parent === path) return path;
  const landing = await landingPath(parent, links);
  return landing === undefined ? undefined : join(landing, basename(path));
}

/** `path` is `root` or lies below it (both real paths). */
function isWithin(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/**
 * Judges a path the tool is about to write (a file or a folder) against the project's directory `root`: the
 * real path of the write (see the file comment) must lie inside the real path of `root`.
 */
export async function judgeOutputPath(root: string, path: string): Promise<OutputPathVerdict> {
  const realRoot = await realpath(root).catch(() => resolve(root));
  const abs = resolve(path);
  const landing = await landingPath(abs);
  return { path: abs, ...(landing === undefined ? {} : { realPath: landing }), inside: landing !== undefined && isWithin(realRoot, landing) };
}

/**
 * Judges a folder the tool writes into, and every symlink found below it (links to folders inside the project
 * are followed, each real folder once): one verdict per path that leads outside `root`, or none when everything
 * written there stays inside.
 */
export async function judgeOutputTree(root: string, dir: string): Promise<OutputPathVerdict[]> {
  const top = await judgeOutputPath(root, dir);
  if (!top.inside) return [top];
  const outside: OutputPathVerdict[] = [];
  const seen = new Set<string>();
  const walk = async (folder: string, real: string): Promise<void> => {
    if (seen.has(real)) return;
    seen.add(real);
    const entries: Dirent[] = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path, join(real, entry.name));
      else if (entry.isSymbolicLink()) {
        const verdict = await judgeOutputPath(root, path);
        if (!verdict.inside) outside.push(verdict);
        else if (verdict.realPath && (await lstat(verdict.realPath).catch(() => undefined))?.isDirectory()) await walk(path, verdict.realPath);
      }
    }
  };
  await walk(top.path, top.realPath ?? top.path);
  return outside;
}
