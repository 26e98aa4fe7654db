// What a preview clip says on screen, shot by shot: a header (scene › shot, model, size, inputs) and
// the wrapped prompt. A multi-shot clip gets one card per shot, shown while that shot plays. Pure.
import type { ClipInput, ClipJob } from '../../compiler/plan/types.js';
import type { ResolvedInput } from '../backend.js';
import type { PreviewLayout } from './preview-layout.js';
import { clampLines, splitPromptShots, wrapText } from './preview-text.js';

/** Frames per second of every clip. */
export const PREVIEW_FPS = 30;

/** The text shown during frames [fromFrame, toFrame) of the clip. */
export interface PreviewCard {
  readonly fromFrame: number;
  readonly toFrame: number;
  readonly header: string;
  readonly body: string;
}

/** The runner's resolved inputs of a clip, by name. */
export type ResolvedInputs = ReadonlyMap<ClipInput['name'], ResolvedInput>;

const INPUT_LABELS: Readonly<Record<ClipInput['name'], string>> = {
  first_frame: 'starts on',
  last_frame: 'ends on',
  first_clip: 'continues',
  audio: 'audio',
};
const MAX_SOURCE_CHARS = 48;

/** Shortens long URLs and paths in the middle, keeping both ends. */
function shorten(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_SOURCE_CHARS) return text;
  const half = Math.floor((MAX_SOURCE_CHARS - 1) / 2);
  return `${chars.slice(0, half).join('')}…${chars.slice(-half).join('')}`;
}

/** "starts on: last frame of storm", "ends on: remote URL, not fetched by the preview (https://…)". */
function describeInput(input: ClipInput, resolved: ResolvedInput | undefined, name?: string): string {
  const from = input.from;
  const source = 'tail' in from ? `last ${from.tail} s of ${from.clip}` : 'clip' in from ? `last frame of ${from.clip}` : 'still' in from ? `still ${from.still}` : shorten('url' in from ? from.url : from.file);
  const label = name ?? INPUT_LABELS[input.name] ?? input.name;
  if (resolved === undefined) return `${label}: ${source} (not supplied)`;
  if ('url' in resolved) return `${label}: remote URL, not fetched by the preview (${shorten(resolved.url)})`;
  return `${label}: ${source}`;
}

function titleLine(job: ClipJob, shot: { id?: string; number: number; count: number; from?: number; to?: number }): string {
  const part = job.part === undefined ? '' : ` (part ${job.part})`;
  if (shot.id === undefined) return `${job.scene}${part}`;
  const where = shot.count > 1 ? `  (shot ${shot.number}/${shot.count}, ${shot.from}–${shot.to} s)` : '';
  return `${job.scene} › ${shot.id}${part}${where}`;
}

/**
 * The header's notes on the inputs. An r2v clip's references are shown in its strip, not here; a reference's
 * voice is named after its character.
 */
function inputNotes(job: ClipJob, inputs: ResolvedInputs): string[] {
  const references = job.references ?? [];
  const shown = new Set(references.map((r) => r.input));
  const voices = new Map(references.flatMap((r) => (r.voice === undefined ? [] : [[r.voice, `voice of ${r.character}`] as const])));
  return job.inputs
    .filter((input) => !shown.has(input.name))
    .map((input) => describeInput(input, inputs.get(input.name), voices.get(input.name)));
}

function header(job: ClipJob, title: string, inputs: ResolvedInputs, layout: PreviewLayout): string {
  const e = job.expected;
  const seconds = job.carry ? `${job.carry.seconds} s carried + ${formatSeconds(e.duration - job.carry.seconds)} s` : `${e.duration} s`;
  const facts = `${job.model} · ${e.width}×${e.height} · ${seconds} · ${e.audio ? 'audio' : 'silent'} · seed ${job.seed.value}`;
  const notes = inputNotes(job, inputs);
  // Inputs before facts: if the header must be cut short, "remote URL, not fetched" survives.
  const lines = [title, ...notes, facts].flatMap((line) => wrapText(line, layout.headerMaxEm));
  return clampLines(lines, layout.headerMaxLines, layout.headerMaxEm).join('\n');
}

const formatSeconds = (s: number): string => String(Math.round(s * 1000) / 1000);

function body(text: string, layout: PreviewLayout): string {
  const lines = clampLines(wrapText(text.trim() === '' ? '(no prompt)' : text, layout.bodyMaxEm), layout.bodyMaxLines, layout.bodyMaxEm);
  return lines.join('\n');
}

/** The scene-level text (clamped to a third of the box) above the current shot's text. */
function shotBody(head: string, shotText: string, layout: PreviewLayout): string {
  const max = layout.bodyMaxLines;
  const headLines = head === '' ? [] : clampLines(wrapText(head, layout.bodyMaxEm), Math.max(1, Math.floor(max / 3)), layout.bodyMaxEm);
  const room = Math.max(1, max - (headLines.length > 0 ? headLines.length + 1 : 0));
  const shotLines = clampLines(wrapText(shotText, layout.bodyMaxEm), room, layout.bodyMaxEm);
  return [...headLines, ...(headLines.length > 0 ? [''] : []), ...shotLines].join('\n');
}

/** One card for the whole clip. */
function wholeClipCard(job: ClipJob, inputs: ResolvedInputs, layout: PreviewLayout, frames: number): PreviewCard {
  const title = titleLine(job, { id: job.shots.length === 1 ? job.shots[0] : undefined, number: 1, count: 1 });
  return { fromFrame: 0, toFrame: frames, header: header(job, title, inputs, layout), body: body(job.prompt, layout) };
}

/**
 * The cards of a clip, covering frames 0 … duration×30 in order, without gaps or overlaps (or 0 … `frames`: the
 * frames drawn of a continued clip, its new seconds).
 */
export function previewCards(job: ClipJob, inputs: ResolvedInputs, layout: PreviewLayout, frames = Math.round(job.expected.duration * PREVIEW_FPS)): PreviewCard[] {
  const split = splitPromptShots(job.prompt, job.shots.length);
  if (!split) return [wholeClipCard(job, inputs, layout, frames)];
  const cards: PreviewCard[] = [];
  let fromFrame = 0;
  for (const [i, shot] of split.shots.entries()) {
    const last = i === split.shots.length - 1;
    const toFrame = last ? frames : Math.min(frames, Math.round(shot.to * PREVIEW_FPS));
    if (toFrame <= fromFrame) continue;
    const title = titleLine(job, { id: job.shots[i], number: shot.number, count: split.shots.length, from: shot.from, to: shot.to });
    cards.push({ fromFrame, toFrame, header: header(job, title, inputs, layout), body: shotBody(split.head, shot.text, layout) });
    fromFrame = toFrame;
  }
  const lastCard = cards.at(-1);
  if (!lastCard) return [wholeClipCard(job, inputs, layout, frames)];
  // A shot cut off by rounding leaves its frames to the card before it.
  if (lastCard.toFrame < frames) cards[cards.length - 1] = { ...lastCard, toFrame: frames };
  return cards;
}
