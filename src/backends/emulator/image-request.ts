// Reads an image request as the service does, from the image registry: the prompt (`input.prompt`, or the one
// text of `input.messages[0].content`), the negative prompt, `n` and `size` (the model's defaults when left out:
// legacy text-to-image makes 4 images unless told), the input images; and what is wrong with it (the
// InvalidParameter messages). Over-long prompts are cut, not refused (reference: "超过部分会自动截断"). Pure.
import { imageSizeProblem } from '../../compiler/models/image-registry.js';
import type { ImageModelSpec } from '../../compiler/models/types.js';
import { inputOf, parametersOf } from './emulated-job.js';

type Obj = Readonly<Record<string, unknown>>;

/** What an image request asks for, and its problems. */
export interface ImageRequest {
  /** The prompt, cut to the model's limit ('' when missing). */
  readonly prompt: string;
  readonly negativePrompt?: string;
  /** Images asked for: `parameters.n` when a positive integer, else the model default. */
  readonly n: number;
  /** `parameters.size`, else the model default. */
  readonly size: string;
  /** URLs of the input images (`{image: url}` content items), in order. */
  readonly imageUrls: readonly string[];
  /** `input` is missing: a 400 BadRequest.EmptyInput at once. */
  readonly emptyInput: boolean;
  /** InvalidParameter messages, first one first. */
  readonly problems: readonly string[];
}

const cut = (text: string, max: number): string => [...text].slice(0, max).join('');

/** Reads and checks an image request body for `model`. */
export function readImageRequest(model: ImageModelSpec, body: Obj): ImageRequest {
  const input = inputOf(body);
  const params = parametersOf(body);
  const problems: string[] = [];
  const read = model.protocol === 'messages' ? readMessages(model, input, problems) : readPrompt(input, problems);
  const negative = model.protocol === 'messages' ? params.negative_prompt : input.negative_prompt;
  const n = params.n === undefined ? model.n.default : params.n;
  if (!(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= model.n.max)) problems.push(`n must be an integer from 1 to ${model.n.max}, got ${JSON.stringify(n)}`);
  const size = params.size === undefined ? model.sizes.default : params.size;
  const sizeProblem = typeof size === 'string' ? imageSizeProblem(model, size) : 'a string';
  if (sizeProblem) problems.push(`The size is not match ${JSON.stringify(size)}: ${model.id} takes ${sizeProblem}`);
  const seed = params.seed;
  if (seed !== undefined && !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 2147483647)) problems.push('seed must be an integer in [0, 2147483647]');
  for (const key of ['prompt_extend', 'watermark'] as const) if (params[key] !== undefined && typeof params[key] !== 'boolean') problems.push(`${key} must be a boolean`);
  return {
    prompt: cut(read.prompt, model.prompt.max),
    ...(typeof negative === 'string' && negative !== '' ? { negativePrompt: cut(negative, model.negativePromptMax) } : {}),
    n: Number.isInteger(n) && (n as number) >= 1 ? (n as number) : model.n.default,
    size: typeof size === 'string' ? size : model.sizes.default,
    imageUrls: read.imageUrls,
    emptyInput: typeof body.input !== 'object' || body.input === null,
    problems,
  };
}

/** Legacy text-to-image: `input.prompt`. */
function readPrompt(input: Obj, problems: string[]): { prompt: string; imageUrls: string[] } {
  if (typeof input.prompt !== 'string' || input.prompt === '') problems.push('Field required: input.prompt');
  return { prompt: typeof input.prompt === 'string' ? input.prompt : '', imageUrls: [] };
}

/** wan2.6/2.7: one user message whose content holds exactly one `{text}` and up to `inputImages` `{image}` items. */
function readMessages(model: ImageModelSpec, input: Obj, problems: string[]): { prompt: string; imageUrls: string[] } {
  const messages = input.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    problems.push('Field required: input.messages');
    return { prompt: '', imageUrls: [] };
  }
  if (messages.length > 1) problems.push(`input.messages takes one message (single turn), got ${messages.length}`);
  const message = (typeof messages[0] === 'object' && messages[0] !== null ? messages[0] : {}) as Obj;
  if (message.role !== 'user') problems.push(`input.messages[0].role must be "user", got ${JSON.stringify(message.role ?? null)}`);
  const content = Array.isArray(message.content) ? (message.content as unknown[]) : undefined;
  if (!content) problems.push('Field required: input.messages[0].content');
  const texts: string[] = [];
  const imageUrls: string[] = [];
  (content ?? []).forEach((item, i) => {
    const c = (typeof item === 'object' && item !== null ? item : {}) as Obj;
    if (typeof c.text === 'string') texts.push(c.text);
    else if (typeof c.image === 'string' && c.image !== '') imageUrls.push(c.image);
    else problems.push(`input.messages[0].content[${i}] must be {"text": …} or {"image": url}`);
  });
  if (content && !texts[0]) problems.push('Field required: input.messages[0].content text');
  if (texts.length > 1) problems.push(`input.messages[0].content takes one text, got ${texts.length}`);
  if (imageUrls.length > model.inputImages) problems.push(`Too many input images: ${model.id} takes at most ${model.inputImages}, got ${imageUrls.length}`);
  return { prompt: texts[0] ?? '', imageUrls };
}
