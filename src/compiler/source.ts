// A storyboard source (text and the name diagnostics use) and the largest size accepted.
/** A storyboard as text, with the name used in diagnostics (usually its path relative to the cwd). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Largest storyboard accepted, in bytes: far above any real film, small enough to parse quickly. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
