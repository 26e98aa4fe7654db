// Who owns a temporary file or folder of the tool: every temp name carries `<pid>-<token>` (the token is random
// per process), so a later run can tell a killed run's leftovers from the files of a run still working.
import { randomBytes } from 'node:crypto';

const TOKEN = randomBytes(3).toString('hex');

/** This process's owner tag, `<pid>-<token>`, written into every temp name it makes. */
export const OWNER_TAG = `${process.pid}-${TOKEN}`;

/** An owner tag as it appears inside a temp name. */
export const OWNER_PATTERN = '\\d+-[0-9a-f]{6}';

/**
 * Whether the process that wrote temp files tagged `tag` may still be using them: this process, or another
 * live one. A tag with this process's pid but another token was written by an earlier process that had the same
 * pid (containers start every run as the same pid), so it is not alive. A pid this user may not signal is
 * someone else's live process: alive.
 */
export function ownerAlive(tag: string): boolean {
  const m = /^(\d+)-([0-9a-f]{6})$/.exec(tag);
  const pid = Number(m?.[1]);
  if (!m || !Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return m[2] === TOKEN;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
