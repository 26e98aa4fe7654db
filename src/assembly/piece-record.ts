// The record of a piece-cache entry (`<key>.json` beside `<key>.body.mp4` and `<key>.seam.mp4`): each piece's
// size, sha256 and frame count, taken when it was encoded. Pieces are used only when they still match it.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkSeal, isFileSeal, type FileSeal } from '../io/file-seal.js';

/** The pieces a clip contributes to a film. */
export type PieceName = 'body' | 'seam';

/** What is recorded about one piece: its seal and its length in frames. */
export interface PieceFacts extends FileSeal {
  readonly frames: number;
}

/** The record of an entry's pieces. */
export type PiecesRecord = Partial<Readonly<Record<PieceName, PieceFacts>>>;

/** One piece as an assembly wants it: its file and its length in frames. */
export interface WantedPiece {
  readonly name: PieceName;
  readonly file: string;
  readonly frames: number;
}

/** How the cached pieces stand: all usable, none recorded, or some damaged (each with what is wrong). */
export type PiecesCheck =
  | { readonly state: 'ok' }
  | { readonly state: 'absent' }
  | { readonly state: 'damaged'; readonly problems: readonly { readonly file: string; readonly message: string }[] };

function isPieceFacts(value: unknown): value is PieceFacts {
  return isFileSeal(value) && Number.isSafeInteger((value as unknown as Record<string, unknown>).frames);
}

/**
 * Checks the wanted pieces against the record at `recordPath`: each must be recorded with the frame count the
 * film needs and still have the recorded size and sha256 (no decoding). No record at all is `absent` (never
 * encoded, or by a version that wrote none); anything else that does not match is `damaged`.
 */
export async function checkPieces(recordPath: string, wanted: readonly WantedPiece[]): Promise<PiecesCheck> {
  let text: string;
  try {
    text = await readFile(recordPath, 'utf8');
  } catch {
    return { state: 'absent' };
  }
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { state: 'damaged', problems: [{ file: recordPath, message: 'cannot be read' }] };
  }
  const problems: { file: string; message: string }[] = [];
  for (const piece of wanted) {
    const facts = typeof record === 'object' && record !== null ? record[piece.name] : undefined;
    if (!isPieceFacts(facts)) problems.push({ file: recordPath, message: `does not record the ${piece.name} piece` });
    else if (facts.frames !== piece.frames) problems.push({ file: piece.file, message: `was recorded with ${facts.frames} frames where the film needs ${piece.frames}` });
    else {
      const broken = await checkSeal(piece.file, facts);
      if (broken) problems.push({ file: piece.file, message: broken.message });
    }
  }
  return problems.length ? { state: 'damaged', problems } : { state: 'ok' };
}

/** Writes the record of freshly committed pieces. */
export async function writePiecesRecord(recordPath: string, record: PiecesRecord): Promise<void> {
  await writeFileAtomic(recordPath, JSON.stringify(record) + '\n');
}
