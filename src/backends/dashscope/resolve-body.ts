// Turns a clip's request body into the body sent: every `$input.<name>` placeholder replaced by the input's URL
// (local files uploaded), noting whether it refers to temporary `oss://` uploads.
import { BackendError, type RenderRequest } from '../backend.js';
import type { ClipInput } from '../../compiler/plan/types.js';
import type { InputUploader } from './upload-input.js';

const PLACEHOLDER = '$input.';

/** A request body ready to send, and whether it refers to temporary (`oss://`) uploads. */
export interface PreparedBody {
  readonly body: unknown;
  readonly ossResolve: boolean;
}

/** A deep copy of the clip's body with every `$input.<name>` replaced by the input's URL (uploading local files). */
export async function prepareBody(req: RenderRequest, uploader: InputUploader): Promise<PreparedBody> {
  const urls = new Map<string, Promise<string>>();
  const urlOf = (name: string): Promise<string> => {
    let url = urls.get(name);
    if (!url) {
      const input = req.inputs.get(name as ClipInput['name']);
      if (!input) return Promise.reject(new BackendError(`clip \`${req.job.id}\` needs input \`${name}\` but none was supplied`));
      const kind = req.job.inputs.find((i) => i.name === name)?.kind ?? (name === 'audio' ? 'audio' : 'image');
      url = uploader.urlFor(req.job.request.body.model, kind, input, req.signal);
      urls.set(name, url);
    }
    return url;
  };
  const body = await substitute(req.job.request.body, urlOf);
  return { body, ossResolve: mentionsOss(body) };
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
