// Removes what killed runs of the tool left behind in a folder: temp files of atomic writes, a stitch's
// `.parts-` folders, the clip cache's per-run scratch folders. Only names the tool makes, and only once the
// process that owns them is gone, so a run working beside this one keeps its files.
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OWNER_PATTERN, OWNER_TAG, ownerAlive } from './temp-owner.js';

/** Temp names that carry their owner: `tempPathFor`'s files and `makeOwnedDir`'s folders. */
const OWNED = [
  new RegExp(`^\\..+\\.(${OWNER_PATTERN})\\.[0-9a-f]{8}\\.tmp(?:[.-][A-Za-z0-9.-]*)?$`),
  new RegExp(`^\\..+\\.parts-(${OWNER_PATTERN})-[A-Za-z0-9]{6}$`),
];
/** The per-run scratch folders of a scratch-only folder (the clip cache's `tmp/`). */
const OWNED_SCRATCH = new RegExp(`^run-(${OWNER_PATTERN})$`);
/** Temp names of versions that wrote no owner into them: stale once nobody has touched them for a while. */
const UNOWNED = [/^\..+\.[0-9a-f]{12}\.tmp(?:\.mp4|\.png|-\d+\.mp4)?$/, /^\..+\.parts-[A-Za-z0-9]{6}$/];

/** Options of {@link sweepStaleTemps}. */
export interface SweepOptions {
  /** `dir` holds nothing but the tool's scratch: its `run-<owner>` folders, and anything else by age. */
  readonly scratch?: boolean;
  /** A temp without an owner in its name counts as stale once untouched this long (default one hour). */
  readonly unownedAgeMs?: number;
}

/** Creates the scratch folder `<prefix>-<owner>-XXXXXX`: owned by this process, swept once it is gone. */
export function makeOwnedDir(prefix: string): Promise<string> {
  return mkdtemp(`${prefix}-${OWNER_TAG}-`);
}

function ownerOf(name: string, scratch: boolean): string | undefined {
  for (const re of scratch ? [...OWNED, OWNED_SCRATCH] : OWNED) {
    const m = re.exec(name);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

async function untouchedFor(path: string, ms: number): Promise<boolean> {
  const s = await lstat(path).catch(() => undefined);
  return s !== undefined && Date.now() - s.mtimeMs > ms;
}

/**
 * Removes the tool's stale temp files and folders directly inside `dir` (not below it): those whose owner
 * process is gone, and owner-less ones (older versions, or anything in a scratch folder) untouched for an hour.
 * Returns the paths removed; a folder that does not exist has nothing to sweep.
 */
export async function sweepStaleTemps(dir: string, options: SweepOptions = {}): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const scratch = options.scratch === true;
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const owner = ownerOf(name, scratch);
    const stale = owner !== undefined
      ? !ownerAlive(owner)
      : (scratch || UNOWNED.some((re) => re.test(name))) && (await untouchedFor(path, options.unownedAgeMs ?? 3_600_000));
    if (!stale) continue;
    // a run sweeping beside this one may remove it first: that is fine
    await rm(path, { recursive: true, force: true }).then(() => removed.push(path), () => undefined);
  }
  return removed;
}
