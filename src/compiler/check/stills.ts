// Rule: stills use known image models with sizes, prompts and input images those models accept; every
// `{ still: id }` names a still; stills are used and do not take each other as input in a cycle.
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { findImageModel, imageSizeProblem } from '../models/image-registry.js';
import type { AssetRef, Storyboard } from '../storyboard.js';
import { didYouMean, listNames } from '../suggest.js';
import type { Rule } from './context.js';
import { suggestModel } from './suggest-model.js';

/** Every `{ still: id }` of the storyboard with who uses it (a scene, a character or another still). */
export function stillRefs(storyboard: Storyboard): { ref: AssetRef; user: string }[] {
  const out: { ref: AssetRef; user: string }[] = [];
  const add = (ref: AssetRef | undefined, user: string): void => {
    if (ref?.kind === 'still') out.push({ ref, user });
  };
  const anchors = new Set<number>();
  for (const s of storyboard.scenes) {
    add(s.firstFrame, `scene \`${s.id}\``);
    add(s.lastFrame, `scene \`${s.id}\``);
    // an anchor in `defaults` is every scene's: count it once
    const anchor = s.anchor?.ref;
    if (anchor && anchor !== 'first' && !anchors.has(anchor.span.start)) {
      anchors.add(anchor.span.start);
      add(anchor, `scene \`${s.id}\``);
    }
  }
  for (const c of Object.values(storyboard.characters)) add(c.image, `character \`${c.id}\``);
  for (const s of storyboard.stills) for (const img of s.images) add(img, `still \`${s.id}\``);
  return out;
}

/** Stills: known image models, sizes, prompt lengths, input images; refs resolve; no unused stills; no cycles. */
export const stills: Rule = ({ storyboard }) => {
  const out: Diagnostic[] = [];
  const ids = storyboard.stills.map((s) => s.id);
  const known = new Set(ids);
  for (const still of storyboard.stills) {
    const model = findImageModel(still.model.id);
    if (!model) {
      out.push({ code: 'unknown-model', severity: 'error', span: still.model.span,
        message: `Unknown image model \`${still.model.id}\` in still \`${still.id}\``, hint: suggestModel(still.model.id, 't2i') });
      continue;
    }
    if (still.size) {
      const problem = imageSizeProblem(model, still.size.value);
      if (problem) {
        out.push({ code: 'still-size', severity: 'error', span: still.size.span,
          message: `Size \`${still.size.value}\` of still \`${still.id}\` is not one ${model.id} makes`, hint: `${model.id} takes ${problem}.` });
      }
    }
    const length = [...still.prompt.rendered].length;
    if (length > model.prompt.max) {
      out.push({ code: 'prompt-too-long', severity: 'error', span: still.prompt.span,
        message: `The prompt of still \`${still.id}\` is ${length} characters; ${model.id} takes at most ${model.prompt.max} (longer prompts are cut off by the service)` });
    }
    const negative = still.negativePrompt ? [...still.negativePrompt.rendered].length : 0;
    if (still.negativePrompt && negative > model.negativePromptMax) {
      out.push({ code: 'prompt-too-long', severity: 'error', span: still.negativePrompt.span,
        message: `The negative prompt of still \`${still.id}\` is ${negative} characters; ${model.id} takes at most ${model.negativePromptMax}` });
    }
    if (still.images.length > model.inputImages) {
      const first = still.images[model.inputImages];
      out.push({ code: 'still-images-unsupported', severity: 'error', span: first?.span ?? still.span,
        message: model.inputImages === 0
          ? `${model.id} makes images from text only; still \`${still.id}\` gives it ${still.images.length} input image(s)`
          : `Still \`${still.id}\` gives ${model.id} ${still.images.length} input images; it takes at most ${model.inputImages}`,
        hint: model.inputImages === 0 ? 'Use `model: wan2.7-image` (takes images with the prompt), or remove `images`.' : 'Remove some images.' });
    }
  }
  const used = new Set<string>();
  for (const { ref, user } of stillRefs(storyboard)) {
    if (known.has(ref.ref)) {
      used.add(ref.ref);
      continue;
    }
    out.push({ code: 'unknown-still', severity: 'error', span: ref.span,
      message: `Unknown still \`${ref.ref}\` in ${user}${ids.length ? `, expected one of ${listNames(ids.slice(0, 10))}` : ''}`,
      hint: didYouMean(ref.ref, ids) ?? (ids.length ? undefined : 'Define it under `stills:` (id, model, prompt).') } as Diagnostic);
  }
  for (const still of storyboard.stills) {
    if (used.has(still.id)) continue;
    out.push({ code: 'still-unused', severity: 'warning', span: still.idSpan,
      message: `Still \`${still.id}\` is not used by any scene, character or still; it is made (and paid for) anyway`,
      hint: 'Use it as `first_frame: { still: ' + still.id + ' }`, a character\'s `image`, or remove it.' });
  }
  out.push(...stillCycles(storyboard));
  return out.map((d) => (d.hint === undefined ? withoutHint(d) : d));
};

function withoutHint(d: Diagnostic): Diagnostic {
  const { hint: _hint, ...rest } = d;
  return rest;
}

/** Stills that take each other as input images in a loop can never be made. */
function stillCycles(storyboard: Storyboard): Diagnostic[] {
  const edges = new Map<string, { to: string; span: Span }[]>();
  for (const s of storyboard.stills) edges.set(s.id, s.images.filter((i) => i.kind === 'still').map((i) => ({ to: i.ref, span: i.span })));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: Diagnostic[] = [];
  for (const start of storyboard.stills) {
    if (state.has(start.id)) continue;
    // iterative depth-first search with an explicit stack of (node, next edge index)
    const stack: { id: string; i: number }[] = [{ id: start.id, i: 0 }];
    state.set(start.id, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; i: number };
      const next = edges.get(top.id)?.[top.i++];
      if (!next) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const s = state.get(next.to);
      if (s === 'visiting') {
        const cycle = stack.slice(stack.findIndex((f) => f.id === next.to)).map((f) => f.id);
        out.push({ code: 'still-cycle', severity: 'error', span: next.span,
          message: `Stills take each other as input images in a cycle: ${[...cycle, next.to].map((c) => `\`${c}\``).join(' → ')}`,
          hint: 'A still can only use stills made before it; break the loop.' });
      } else if (s === undefined && edges.has(next.to)) {
        state.set(next.to, 'visiting');
        stack.push({ id: next.to, i: 0 });
      }
    }
  }
  return out;
}
