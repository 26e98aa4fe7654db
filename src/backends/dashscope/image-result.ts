// The images a DashScope image task (or sync call) answered with: text2image's `output.results[]` (each `{url}` or
// `{code, message}`: partial failures) and the messages protocol's `output.choices[].message.content[].image`.
import { firstNumber } from './task-facts.js';

/** One image that was made: its (signed, 24 h) URL and the prompt the service used, when it says. */
export interface MadeImage {
  readonly url: string;
  readonly actualPrompt?: string;
}

/** One image that was not made, as the service explains it. */
export interface FailedImage {
  readonly code?: string;
  readonly message?: string;
}

/** What an answer holds: the images made, in the service's order, and the failures. */
export interface ImageAnswer {
  readonly images: readonly MadeImage[];
  readonly failures: readonly FailedImage[];
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asText = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The images and failures of an answer's `output` (either protocol; an output-level code counts as a failure). */
export function imagesOf(output: Readonly<Record<string, unknown>>): ImageAnswer {
  const images: MadeImage[] = [];
  const failures: FailedImage[] = [];
  for (const r of asList(output.results).map(asObject)) {
    const url = asText(r.url);
    const actualPrompt = asText(r.actual_prompt);
    if (url) images.push({ url, ...(actualPrompt ? { actualPrompt } : {}) });
    else failures.push(failure(r));
  }
  for (const choice of asList(output.choices).map(asObject)) {
    const content = asList(asObject(choice.message).content).map(asObject);
    const urls = content.flatMap((c) => (asText(c.image) ? [asText(c.image) as string] : []));
    if (urls.length > 0) images.push(...urls.map((url) => ({ url })));
    else failures.push(failure(choice));
  }
  if (images.length === 0 && (output.code !== undefined || output.message !== undefined)) failures.push(failure(output));
  return { images, failures };
}

function failure(o: Json): FailedImage {
  const code = asText(o.code);
  const message = asText(o.message);
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/** Images billed, as `usage.image_count` says (1 when it does not). */
export function billedImages(usage: Readonly<Record<string, unknown>>): number {
  return firstNumber(usage.image_count) ?? 1;
}
