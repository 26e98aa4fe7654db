// Classifies a file reference in a storyboard: an http(s) URL, a relative path inside the project, or a path
// that escapes it; and the base name of a file.
/** How a file reference in a storyboard is to be read. */
type RefKind =
  | { readonly kind: 'url' }
  | { readonly kind: 'local'; readonly relative: string }
  | { readonly kind: 'escapes'; readonly reason: string };

/**
 * Classifies a file reference: http(s) URLs pass through; anything else must be a relative path that
 * stays inside the storyboard's directory tree (so a shared storyboard cannot make the tool read
 * `~/.ssh/id_rsa` as a "first frame"). Pure string logic; symlinks are checked where files are read.
 */
export function resolveRef(ref: string): RefKind {
  if (/^https?:\/\//i.test(ref)) return { kind: 'url' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) {
    return { kind: 'escapes', reason: `only http(s) URLs and relative paths are accepted, not \`${ref.split(':')[0]}:\` references` };
  }
  if (ref.startsWith('/') || ref.startsWith('\\') || /^[a-z]:/i.test(ref)) return { kind: 'escapes', reason: 'it is an absolute path' };
  if (ref.startsWith('~')) return { kind: 'escapes', reason: 'it points into a home directory' };
  const parts: string[] = [];
  for (const part of ref.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return { kind: 'escapes', reason: 'it leaves the storyboard\'s directory with `..`' };
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  if (parts.length === 0) return { kind: 'escapes', reason: 'it names the storyboard\'s directory itself, not a file' };
  return { kind: 'local', relative: parts.join('/') };
}

/** The file name of a path without directory and extension: `films/rain.yaml` → `rain`. */
export function baseName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file.replace(/\.[^.]*$/, '') || 'film';
}
