// A stable per-clip seed from the storyboard's identity and the clip id.
import { createHash } from 'node:crypto';

/** Largest seed the service accepts. */
const MAX_SEED = 2147483647;

/**
 * A stable seed for a clip from the storyboard's identity (title or file name) and the clip id only,
 * so editing one clip never changes another clip's seed.
 */
export function deriveSeed(identity: string, clipId: string): number {
  const digest = createHash('sha256').update(`${identity}\u0000${clipId}`).digest();
  return digest.readUInt32BE(0) % (MAX_SEED + 1);
}
