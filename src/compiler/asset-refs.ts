// Every local file a storyboard refers to (frames, audio, music, characters' reference media, stills' input
// images): what validation reads the headers of and what `render --watch` watches.
import type { AssetRef, Storyboard } from './storyboard.js';

/** The storyboard's references to local files, in file order (duplicates kept: each has its own span). */
export function localAssetRefs(storyboard: Storyboard): AssetRef[] {
  const refs = [
    ...storyboard.scenes.flatMap((s) => [s.firstFrame, s.lastFrame, s.audio, s.anchor?.ref === 'first' ? undefined : s.anchor?.ref]), storyboard.output.music?.file,
    ...Object.values(storyboard.characters).flatMap((c) => [c.image, c.video, c.voice]), ...storyboard.stills.flatMap((s) => s.images),
  ];
  return refs.filter((r): r is AssetRef => !!r && r.kind === 'local' && !!r.relative);
}
