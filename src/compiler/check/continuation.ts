// Rule: clip continuation, long takes and drift control are asked of models and scenes that can do them:
// `first_clip` only on models that take one, carried seconds the continued clip has, no driving audio with it,
// `parts` without `shots`, re-anchoring with an image anchor, colour matching against a local anchor.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { ChainSettings } from '../chain-settings.js';
import { formatSeconds } from '../format-seconds.js';
import { MODELS } from '../models/registry.js';
import type { Rule, SceneFacts } from './context.js';

/** Continuation, parts, anchors: each asked of a model and scene that can do it. */
export const continuation: Rule = ({ scenes }) => {
  const byId = new Map(scenes.map((f) => [f.scene.id, f]));
  const seen = new Set<string>();
  // a setting in `defaults` is every scene's: say each problem once
  const once = (d: Diagnostic): boolean => {
    const key = `${d.code}@${d.span?.start ?? -1}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const settings = new ChainSettings((id) => byId.get(id)?.scene);
  return scenes.flatMap((facts) => [...carryProblems(facts, byId), ...partsProblems(facts), ...anchorProblems(facts, settings)]).filter(once);
};

const CLIP_MODELS = [...MODELS.values()].filter((m) => m.frames.clip).map((m) => m.id);

function carryProblems({ scene, model }: SceneFacts, byId: ReadonlyMap<string, SceneFacts>): Diagnostic[] {
  const carry = scene.continues?.carry;
  if (!carry || !scene.continues || !model) return [];
  const out: Diagnostic[] = [];
  const limits = model.frames.clip;
  if (!limits) {
    out.push({ code: 'continuation-unsupported', severity: 'error', span: scene.continues.span,
      message: `Scene \`${scene.id}\` continues \`${scene.continues.id}\` by clip, but ${model.id} cannot continue a clip (only ${CLIP_MODELS.join(', ')} ${CLIP_MODELS.length === 1 ? 'takes' : 'take'} a \`first_clip\`)`,
      hint: `Use \`model: ${CLIP_MODELS[0] ?? 'wan2.7-i2v'}\`, or write \`continues: ${scene.continues.id}\` to start on its last frame instead.` });
    return out;
  }
  if (carry.seconds < limits.minSeconds || carry.seconds > limits.maxSeconds) {
    out.push({ code: 'carry-out-of-range', severity: 'error', span: carry.span,
      message: `Scene \`${scene.id}\` carries ${formatSeconds(carry.seconds)} s of \`${scene.continues.id}\`, but ${model.id} takes a \`first_clip\` of ${limits.minSeconds}–${limits.maxSeconds} s`,
      hint: `Use \`carry: ${Math.min(limits.maxSeconds, Math.max(limits.minSeconds, Math.round(carry.seconds)))}\`.` });
  }
  // the tail is cut from the clip's whole video, which holds what it carried in itself
  const before = byId.get(scene.continues.id);
  const upstream = before?.segments.at(-1);
  const carriedIn = upstream?.carry ?? (before?.segments.length === 1 && before.model?.frames.clip ? before.scene.continues?.carry?.seconds ?? 0 : 0);
  const upstreamSeconds = upstream ? upstream.duration + carriedIn : undefined;
  if (upstream && upstreamSeconds !== undefined && carry.seconds > upstreamSeconds) {
    out.push({ code: 'carry-out-of-range', severity: 'error', span: carry.span,
      message: `Scene \`${scene.id}\` carries ${formatSeconds(carry.seconds)} s of \`${scene.continues.id}\`, whose last clip (\`${upstream.id}\`) lasts only ${formatSeconds(upstreamSeconds)} s`,
      hint: `Carry at most ${formatSeconds(upstreamSeconds)} s.` });
  }
  if (scene.audio) {
    out.push({ code: 'media-conflict', severity: 'error', span: scene.audio.span,
      message: `Scene \`${scene.id}\` continues \`${scene.continues.id}\` by clip, and ${model.id} takes no driving audio with a \`first_clip\``,
      related: [{ message: 'continued by clip here', span: scene.continues.span }],
      hint: `Remove \`audio\`, or write \`continues: ${scene.continues.id}\` to start on its last frame instead.` });
  }
  return out;
}

function partsProblems({ scene }: SceneFacts): Diagnostic[] {
  const first = scene.parts?.[0];
  const shot = scene.shots[0];
  if (!first || !shot) return [];
  return [{ code: 'parts-with-shots', severity: 'error', span: first.span,
    message: `Scene \`${scene.id}\` has both \`parts\` and \`shots\`; a scene is either one take in parts or a sequence of shots`,
    related: [{ message: 'shots here', span: shot.span }],
    hint: 'Keep `parts` for one continuous take (each part continues the previous clip), or `shots` for cuts between shots.' }];
}

function anchorProblems({ scene }: SceneFacts, settings: ChainSettings): Diagnostic[] {
  const out: Diagnostic[] = [];
  const anchor = settings.anchor(scene);
  const reanchor = settings.setting(scene, 'reanchor');
  const image = anchor && anchor.ref !== 'first';
  if (reanchor && !image) {
    out.push({ code: 'reanchor-needs-image', severity: 'error', span: reanchor.span,
      message: `Scene \`${scene.id}\` re-anchors every ${reanchor.value} hop${reanchor.value === 1 ? '' : 's'}, but its anchor is ${anchor ? '`first` (the chain\'s first clip)' : 'not set (the chain\'s first clip)'}, not an image to send as a \`last_frame\``,
      hint: 'Set `anchor:` to an image file, a URL or a generated still `{ still: id }`.' });
  }
  const colour = settings.setting(scene, 'colour_match');
  if (colour?.value && anchor && anchor.ref !== 'first' && anchor.ref.kind === 'url') {
    out.push({ code: 'anchor-not-local', severity: 'error', span: anchor.span,
      message: `Colour matching in scene \`${scene.id}\` needs the anchor's pixels, but the anchor is a URL`,
      related: [{ message: 'colour matching asked here', span: colour.span }],
      hint: 'Download the image into the project and refer to it by path, or use a generated still `{ still: id }`.' });
  }
  return out;
}
