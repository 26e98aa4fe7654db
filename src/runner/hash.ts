import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 of a string, hex. */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 of a file's content, hex, streamed (clips can be large). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
