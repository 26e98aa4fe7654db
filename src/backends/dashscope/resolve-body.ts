// Turns a clip's or still's request body into the body sent: every `$input.<name>` placeholder replaced by the
// input's URL (local files uploaded), at any depth, noting whether it refers to temporary `oss://` uploads.
import { BackendError } from '../backend.js';
import type { ClipInput } from '../../compiler/plan/types.js';
import type { Subject, TaskRequest } from './task-request.js';
import type { InputUploader } from './upload-input.js';

const PLACEHOLDER = '$input.';

/** A request body ready to send, and whether it refers to temporary (`oss://`) uploads. */
export interface PreparedBody {
  readonly body: unknown;
  readonly ossResolve: boolean;
}

/** The body a clip or still sends, with its `$input.<name>` placeholders. */
type BodyRequest = TaskRequest & { readonly job: { readonly request: { readonly body: unknown } } };

/**
 * A deep copy of the body with every `$input.<name>` replaced by the input's URL (uploading local files): in
 * `input.media[].url` and `.reference_voice`, `input.reference_urls[]`, `input.messages[0].content[].image`, anywhere.
 */
export async function prepareBody(req: BodyRequest, uploader: InputUploader, what: Subject = 'clip'): Promise<PreparedBody> {
  const urls = new Map<string, Promise<string>>();
  const urlOf = (name: string): Promise<string> => {
    let url = urls.get(name);
    if (!url) {
      const input = req.inputs.get(name as ClipInput['name']);
      if (!input) return Promise.reject(new BackendError(`${what} \`${req.job.id}\` needs input \`${name}\` but none was supplied`));
      url = uploader.urlFor(req.job.request.body.model, inputKind(req.job.inputs, name), input, req.signal);
      urls.set(name, url);
    }
    return url;
  };
  const body = await substitute(req.job.request.body, urlOf);
  return { body, ossResolve: mentionsOss(body) };
}

/** The kind of an input as the plan says; else by its name (`audio`, `ref1_voice`: audio; the rest images). */
function inputKind(inputs: readonly ClipInput[], name: string): ClipInput['kind'] {
  return inputs.find((i) => i.name === name)?.kind ?? (name === 'audio' || name.endsWith('_voice') ? 'audio' : 'image');
}

async function substitute(value: unknown, urlOf: (name: string) => Promise<string>): Promise<unknown> {
  if (typeof value === 'string') return value.startsWith(PLACEHOLDER) ? urlOf(value.slice(PLACEHOLDER.length)) : value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => substitute(v, urlOf)));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await substitute(v, urlOf)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/** Whether any string in the body is an `oss://` URL (then the create request needs X-DashScope-OssResourceResolve). */
function mentionsOss(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith('oss://');
  if (Array.isArray(value)) return value.some(mentionsOss);
  if (value !== null && typeof value === 'object') return Object.values(value).some(mentionsOss);
  return false;
}
