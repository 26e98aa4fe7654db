// The registry of diagnostic codes: every code the tool can report, with its severity and a summary (a new
// code is added here, with its fixture in test/fixtures/invalid/).
import type { Severity } from './diagnostic.js';

/** Everything the tool knows about one diagnostic code. */
interface CodeInfo {
  readonly severity: Severity;
  readonly summary: string;
}

/**
 * The registry of every diagnostic code the tool emits. Codes are stable: tools and tests key on them.
 * `test/fixtures/invalid/<code>/` holds one storyboard per code with its rendered diagnostics.
 */
export const CODES = {
  // reading the file
  'file-not-found': { severity: 'error', summary: 'The storyboard file does not exist or cannot be read.' },
  'file-too-large': { severity: 'error', summary: 'The storyboard file is larger than the size limit.' },
  'file-not-utf8': { severity: 'error', summary: 'The storyboard file is not valid UTF-8 text.' },
  'file-binary': { severity: 'error', summary: 'The storyboard file contains NUL bytes: it is binary, not YAML.' },
  // YAML
  'yaml-syntax': { severity: 'error', summary: 'The YAML cannot be parsed.' },
  'yaml-bad-indent': { severity: 'error', summary: 'Indentation does not match the structure around it.' },
  'yaml-duplicate-key': { severity: 'error', summary: 'A mapping has the same key twice.' },
  'yaml-alias-limit': { severity: 'error', summary: 'Aliases expand to too many nodes (a possible alias bomb).' },
  'yaml-too-deep': { severity: 'error', summary: 'The YAML is nested too deeply.' },
  'yaml-multiple-documents': { severity: 'error', summary: 'The file holds more than one YAML document.' },
  'yaml-empty': { severity: 'error', summary: 'The file holds no storyboard.' },
  'yaml-unsupported-tag': { severity: 'error', summary: 'A YAML tag outside the core schema (`!include`, `!!binary`, `!!js/…`), or a value its core tag cannot read.' },
  // schema
  'schema-required': { severity: 'error', summary: 'A required key is missing.' },
  'schema-unknown-key': { severity: 'error', summary: 'A key is not part of the storyboard format.' },
  'schema-type': { severity: 'error', summary: 'A value has the wrong type.' },
  'schema-enum': { severity: 'error', summary: 'A value is not one of the allowed values.' },
  'schema-range': { severity: 'error', summary: 'A number is outside its allowed range.' },
  'schema-pattern': { severity: 'error', summary: 'A string does not have the required form.' },
  'schema-length': { severity: 'error', summary: 'A string or list is too short or too long.' },
  'unsupported-version': { severity: 'error', summary: 'The storyboard format version is not supported.' },
  // structure and references
  'duplicate-id': { severity: 'error', summary: 'Two scenes, or two shots of one scene, share an id.' },
  'unknown-scene-ref': { severity: 'error', summary: '`continues` names a scene that does not exist.' },
  'continuity-cycle': { severity: 'error', summary: 'Scenes continue each other in a cycle.' },
  'unknown-style': { severity: 'error', summary: 'A scene names a style that is not defined.' },
  'reserved-var-name': { severity: 'error', summary: 'A variable name is reserved for template namespaces.' },
  // templates
  'template-syntax': { severity: 'error', summary: 'A prompt template cannot be parsed.' },
  'unknown-template-name': { severity: 'error', summary: 'A prompt template refers to a name that is not defined.' },
  'template-helper-not-allowed': { severity: 'error', summary: 'A prompt template uses a helper that is not allowed.' },
  'template-not-text': { severity: 'error', summary: 'A prompt template prints a group of values (`{{this}}`, a whole namespace inside a block), which would be sent as "[object Object]".' },
  // models and values
  'unknown-model': { severity: 'error', summary: 'The model is not one the tool knows.' },
  'duration-out-of-range': { severity: 'error', summary: 'A duration is not allowed by the model.' },
  'duration-mismatch': { severity: 'error', summary: 'A scene duration differs from the sum of its shots.' },
  'resolution-unsupported': { severity: 'error', summary: 'The model does not offer this resolution.' },
  'ratio-unsupported': { severity: 'error', summary: 'The model does not offer this aspect ratio at this resolution.' },
  'size-unsupported': { severity: 'error', summary: 'The model does not offer this size.' },
  'size-conflict': { severity: 'error', summary: '`size` disagrees with `resolution` or `ratio`.' },
  'prompt-missing': { severity: 'error', summary: 'The model needs a prompt and none is given.' },
  'prompt-too-long': { severity: 'error', summary: 'The prompt, after templating, is longer than the model accepts.' },
  'negative-prompt-too-long': { severity: 'error', summary: 'The negative prompt is longer than 500 characters.' },
  'shot-type-unsupported': { severity: 'error', summary: '`shot_type` is only accepted by wan2.6 models.' },
  'setting-ignored': { severity: 'warning', summary: 'A setting on the scene is not used by its model.' },
  'media-unsupported': { severity: 'error', summary: 'The model does not take this kind of input media.' },
  'media-missing': { severity: 'error', summary: 'The model needs input media that the scene does not give.' },
  'media-conflict': { severity: 'error', summary: 'Two inputs for the same frame are given.' },
  'continuation-unsupported': { severity: 'error', summary: 'A scene continues another by clip (`carry`) on a model that takes no `first_clip`.' },
  'carry-out-of-range': { severity: 'error', summary: 'The seconds carried into a clip continuation are outside the model\'s `first_clip` limits or longer than the clip continued.' },
  'parts-with-shots': { severity: 'error', summary: 'A scene has both `parts` (one take) and `shots` (cuts).' },
  'parts-duration': { severity: 'error', summary: 'The parts of a long take cannot share the scene\'s duration.' },
  'reanchor-needs-image': { severity: 'error', summary: '`reanchor` needs an image anchor to send as a `last_frame`.' },
  'anchor-not-local': { severity: 'error', summary: 'Colour matching needs a local anchor (a file or a still), not a URL.' },
  'audio-unsupported': { severity: 'error', summary: 'The model cannot take or leave out audio as asked.' },
  // characters, references and stills
  'unknown-character': { severity: 'error', summary: 'A scene\'s `cast` names a character that is not defined.' },
  'duplicate-cast': { severity: 'error', summary: 'A scene\'s `cast` names a character twice.' },
  'cast-without-reference': { severity: 'error', summary: 'A cast character has no `image` or `video` (or not the one picked with `.image`/`.video`).' },
  'cast-ignored': { severity: 'warning', summary: '`cast` on a scene whose model takes no references.' },
  'references-missing': { severity: 'error', summary: 'A reference-to-video scene sends no reference: no character it names has an image or video.' },
  'too-many-references': { severity: 'error', summary: 'A reference-to-video scene sends more images, videos or references in all than its model takes.' },
  'reference-shared': { severity: 'error', summary: 'Two characters use the same picture on a model that takes one subject per reference.' },
  'voice-ignored': { severity: 'warning', summary: 'A character\'s reference voice is not sent: the scene\'s model takes none.' },
  'unknown-still': { severity: 'error', summary: '`{ still: id }` names a still that is not defined under `stills`.' },
  'still-unused': { severity: 'warning', summary: 'A still is not used by any scene, character or still (it is still made and paid for).' },
  'still-cycle': { severity: 'error', summary: 'Stills take each other as input images in a cycle.' },
  'still-size': { severity: 'error', summary: 'A still\'s `size` is not one its image model makes.' },
  'still-images-unsupported': { severity: 'error', summary: 'A still gives its image model more input images than it takes (text-only models take none).' },
  // files referenced by the storyboard
  'path-escapes-project': { severity: 'error', summary: 'A path points outside the storyboard\'s directory.' },
  'asset-not-found': { severity: 'error', summary: 'A referenced local file does not exist.' },
  'image-format-unsupported': { severity: 'error', summary: 'An image is not JPEG, PNG (without alpha), BMP or WEBP.' },
  'image-dimensions-out-of-range': { severity: 'error', summary: 'An image side is outside the model\'s pixel limits.' },
  'image-file-too-large': { severity: 'error', summary: 'An image file is larger than the model accepts.' },
  'audio-format-unsupported': { severity: 'error', summary: 'An audio file is not WAV or MP3.' },
  'audio-duration-out-of-range': { severity: 'error', summary: 'An audio file is shorter or longer than the model accepts.' },
  'audio-file-too-large': { severity: 'error', summary: 'An audio file is larger than the model accepts.' },
  'video-format-unsupported': { severity: 'error', summary: 'A reference video is not MP4 or MOV.' },
  'video-duration-out-of-range': { severity: 'error', summary: 'A reference video is shorter or longer than the model takes.' },
  'video-file-too-large': { severity: 'error', summary: 'A reference video file is larger than the model takes.' },
  'audio-header-invalid': { severity: 'error', summary: 'A WAV file\'s header describes no playable audio (0 Hz, no channels, or a rate or channel count no recording has).' },
} as const satisfies Record<string, CodeInfo>;

/**
 * Codes of what a render finds wrong on disk and repairs (reported as the run's `repair` events). They come
 * from the files a render reads back, never from a storyboard alone, so they have no fixture in test/fixtures/invalid/.
 */
export const RUNTIME_CODES = {
  'cache-clip-damaged': { severity: 'warning', summary: 'A cached clip (paid output on a paid backend) does not match the size and sha256 recorded when it was made: it is discarded and rendered again.' },
  'cache-entry-damaged': { severity: 'warning', summary: 'A cached local artefact (last frame, normalized piece, probe facts) does not match its record: it is discarded and made again from its source.' },
  'stale-temp-removed': { severity: 'info', summary: 'Temp files or folders of a run that was killed were removed.' },
  'journal-entry-damaged': { severity: 'warning', summary: 'A task journal entry cannot be read (not JSON, another clip\'s key, no valid task id): the clip\'s task is looked for in the task list, and the clip made again (once) only when nothing paid exists.' },
  'journal-task-mismatch': { severity: 'warning', summary: 'A task journal entry names a task that is not its clip\'s (another prompt, model or length): the entry is discarded, that task never stitched, and the clip\'s own task looked for.' },
} as const satisfies Record<string, CodeInfo>;
