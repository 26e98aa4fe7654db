// The prompt text of one clip: the scene prompt and style, and for multi-shot clips each shot's timed text.
import { addSeconds, formatSeconds } from './format-seconds.js';
import type { ClipSegment } from './segment-scene.js';
import type { Scene, Shot, Storyboard } from './storyboard.js';

/** The scene-level prompt: the scene prompt followed by its style's text. */
function scenePrompt(scene: Scene, storyboard: Storyboard): string {
  const style = scene.settings.style ? storyboard.styles[scene.settings.style.value]?.rendered : undefined;
  return joinText([scene.prompt?.rendered, style]);
}

/** A shot's text: `<camera>. <prompt>` when a camera is given. */
function shotText(shot: Shot): string {
  const camera = shot.camera?.rendered.trim().replace(/[.\s]+$/, '');
  return camera ? `${camera}. ${shot.prompt.rendered.trim()}` : shot.prompt.rendered.trim();
}

/**
 * The exact prompt of a clip. Several shots in one clip are written
 * `<scene prompt> Shot 1 [0-3 s]: <text> Shot 2 [3-6 s]: <text>` (times from the clip's start);
 * a single shot or piece is `<scene prompt> <shot text>`; a part of a long take `<scene prompt> <part prompt>`.
 */
export function clipPrompt(segment: ClipSegment, scene: Scene, storyboard: Storyboard): string {
  const head = scenePrompt(scene, storyboard);
  if (segment.partPrompt !== undefined) return joinText([head, segment.partPrompt]);
  if (segment.pieces.length <= 1) return joinText([head, segment.pieces[0] ? shotText(segment.pieces[0].shot) : undefined]);
  let t = 0;
  const parts = segment.pieces.map((p, i) => {
    const end = addSeconds(t, p.to - p.from);
    const s = `Shot ${i + 1} [${formatSeconds(t)}-${formatSeconds(end)} s]: ${shotText(p.shot)}`;
    t = end;
    return s;
  });
  return joinText([head, ...parts]);
}

function joinText(parts: readonly (string | undefined)[]): string {
  return parts.map((p) => p?.trim()).filter((p): p is string => !!p).join(' ');
}
