// Text of a preview clip: cleaning, measuring and wrapping it (drawtext does not wrap), and splitting
// a multi-shot prompt into its shots so each shot's text shows while that shot plays. Pure.

/**
 * Advance widths of DejaVu Sans for U+0020–U+007E in hundredths of an em, read from the bundled
 * assets/fonts/DejaVuSans.ttf (hmtx through the cmap). Other characters are estimated.
 */
const ASCII_WIDTHS = [
  32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84, 84, 84, 53,
  100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86, 75, 79, 60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50,
  50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84,
] as const;
/** Latin, Greek, Cyrillic… letters are about as wide as 'a'–'z' on average; this errs on the wide side. */
const OTHER_WIDTH_EM = 0.7;
/** CJK, emoji and other wide characters (DejaVu draws most as a 0.6 em box, real fonts as 1 em). */
const WIDE_WIDTH_EM = 1;
const ELLIPSIS = '…';

/** Width of one character in em. */
function charWidthEm(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return (ASCII_WIDTHS[code - 0x20] ?? 64) / 100;
  return code >= 0x2e80 ? WIDE_WIDTH_EM : OTHER_WIDTH_EM;
}

/** Estimated width of `text` in em of DejaVu Sans (monospaced fonts: use 0.6 em per character). */
export function textWidthEm(text: string): number {
  let width = 0;
  for (const char of text) width += charWidthEm(char);
  return width;
}

/**
 * Makes text safe to draw: line breaks normalized to \n, other control characters (tabs, NUL, C1,
 * bidi overrides and zero-width marks drawtext would show as boxes) turned into spaces.
 */
function sanitizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ');
}

/** Splits a word wider than the line into pieces that fit (by code point, never inside a surrogate pair). */
function breakWord(word: string, maxEm: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let width = 0;
  for (const char of word) {
    const w = charWidthEm(char);
    if (piece !== '' && width + w > maxEm) {
      pieces.push(piece);
      piece = '';
      width = 0;
    }
    piece += char;
    width += w;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** Greedy word wrap of one paragraph to lines at most `maxEm` wide. */
function wrapParagraph(paragraph: string, maxEm: number): string[] {
  const lines: string[] = [];
  let line = '';
  const spaceEm = charWidthEm(' ');
  for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
    for (const piece of textWidthEm(word) > maxEm ? breakWord(word, maxEm) : [word]) {
      if (line !== '' && textWidthEm(line) + spaceEm + textWidthEm(piece) <= maxEm) {
        line += ` ${piece}`;
      } else {
        if (line !== '') lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Wraps text to lines at most `maxEm` wide; explicit line breaks are kept (an empty line stays empty). */
export function wrapText(text: string, maxEm: number): string[] {
  return sanitizeText(text)
    .split('\n')
    .flatMap((paragraph) => (paragraph.trim() === '' ? [''] : wrapParagraph(paragraph, maxEm)));
}

/** Keeps at most `maxLines` lines; when lines are dropped the last kept one ends with an ellipsis. */
export function clampLines(lines: readonly string[], maxLines: number, maxEm: number): string[] {
  if (lines.length <= maxLines) return [...lines];
  const kept = lines.slice(0, Math.max(1, maxLines));
  let last = kept.pop() ?? '';
  while (last !== '' && textWidthEm(last + ELLIPSIS) > maxEm) last = [...last].slice(0, -1).join('');
  kept.push(`${last.trimEnd()}${ELLIPSIS}`);
  return kept;
}

/** One shot of a multi-shot prompt: its 1-based number, times from the clip's start (s) and its text. */
interface PromptShot {
  readonly number: number;
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** A multi-shot prompt split into the scene-level text before the shots and the shots themselves. */
interface SplitPrompt {
  readonly head: string;
  readonly shots: readonly PromptShot[];
}

/**
 * Splits a prompt written `<head> Shot 1 [0-3 s]: <text> Shot 2 [3-6 s]: <text>` (compiler/clip-prompt.ts)
 * into its shots; undefined unless it finds exactly `shotCount` shots numbered 1…n with contiguous times.
 */
export function splitPromptShots(prompt: string, shotCount: number): SplitPrompt | undefined {
  if (shotCount < 2) return undefined;
  const marker = /Shot (\d+) \[(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?) s\]: /g;
  const matches = [...prompt.matchAll(marker)];
  if (matches.length !== shotCount) return undefined;
  const shots: PromptShot[] = [];
  let expectedFrom = 0;
  for (const [i, match] of matches.entries()) {
    const from = Number(match[2]);
    const to = Number(match[3]);
    if (Number(match[1]) !== i + 1 || Math.abs(from - expectedFrom) > 1e-6 || !(to > from)) return undefined;
    const end = matches[i + 1]?.index ?? prompt.length;
    shots.push({ number: i + 1, from, to, text: prompt.slice(match.index + match[0].length, end).trim() });
    expectedFrom = to;
  }
  return { head: prompt.slice(0, matches[0]?.index ?? 0).trim(), shots };
}
