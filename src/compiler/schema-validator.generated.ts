// @ts-nocheck
// Generated from schemas/storyboard.schema.json by scripts/generate-validator.ts (ajv standalone code): do not edit by hand.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import runtime0Module from 'ajv/dist/runtime/ucs2length.js';
const runtime0 = runtime0Module.default ?? runtime0Module;

const validateSchema = validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:storyboard-compiler:storyboard:1","title":"Storyboard","description":"A film as YAML: scenes made of shots, compiled into requests for Alibaba's Wan video models and stitched into one MP4.","type":"object","required":["version","scenes"],"additionalProperties":false,"properties":{"version":{"description":"Version of the storyboard format. Always 1.","const":1,"examples":[1]},"title":{"description":"Title of the film, shown in reports and written into the MP4's metadata.","type":"string","maxLength":200,"examples":["Rain City"]},"description":{"description":"Free text about the film, for people reading the storyboard. Not sent to any model.","type":"string","examples":["A detective follows a lead through a rainy night."]},"defaults":{"description":"Settings inherited by every scene unless the scene sets its own. A default that a scene's model does not take (e.g. `ratio` on an image-to-video model) is ignored for that scene.","type":"object","$ref":"#/$defs/settings","unevaluatedProperties":false,"examples":[{"model":"wan2.7-t2v","resolution":"1080P","ratio":"16:9","prompt_extend":false,"watermark":false}]},"vars":{"description":"Named values usable in every prompt as `{{name}}` (or `{{vars.name}}`).","type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"description":"A value substituted into prompts.","type":["string","number","boolean"],"examples":["New York"]},"examples":[{"city":"New York","year":1947}]},"characters":{"description":"The characters of the film, used in prompts as `{{characters.name}}`: the description, or, in a reference-to-video scene, the label the model gives the character's reference (`Image 1`, `character1`). `{{characters.name.description}}` is always the description.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"$ref":"#/$defs/character"},"examples":[{"keeper":"an old lighthouse keeper in a yellow raincoat","mara":{"description":"a courier with silver hair and a green coat","image":{"still":"mara-sheet"}}}]},"styles":{"description":"Reusable visual styles. A scene's `style` appends the style's text to the scene prompt; prompts may also use `{{styles.name}}`.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"description":"The look, in words the model understands.","type":"string","minLength":1,"examples":["Cinematic noir: rain, neon reflections, high contrast."]},"examples":[{"noir":"Cinematic noir: rain, neon reflections, high contrast."}]},"stills":{"description":"Generated images (keyframes, character sheets): nodes of the render graph like clips, made before the clips that use them. `storyboard render --stills` makes only these.","type":"array","minItems":1,"items":{"$ref":"#/$defs/still"},"examples":[[{"id":"harbour-dawn","model":"wan2.5-t2i-preview","prompt":"A small harbour at dawn."}]]},"scenes":{"description":"The scenes of the film, in order. Each becomes one or more clips.","type":"array","minItems":1,"items":{"$ref":"#/$defs/scene"},"examples":[[{"id":"chase","prompt":"A detective runs through the rain.","duration":5}]]},"output":{"description":"How the film is assembled: output file, size, transitions, music, subtitles and chapters.","$ref":"#/$defs/output"},"budget":{"description":"Largest estimated cost in US dollars that a render may spend; a render that would cost more stops before anything is submitted.","type":"number","exclusiveMinimum":0,"examples":[5]}},"$defs":{"name":{"description":"A name: letters, digits and `_`, starting with a letter or `_`.","type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$","maxLength":64,"examples":["city"]},"id":{"description":"An identifier: letters, digits, `-` and `_`, starting with a letter or digit.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9_-]*$","maxLength":64,"examples":["chase"]},"path":{"description":"A local file, relative to the storyboard's directory and inside it, or an http(s) URL.","type":"string","minLength":1,"maxLength":2048,"examples":["keyframes/ending-start.png"]},"transition":{"description":"How one scene joins the next.","type":"object","required":["type"],"additionalProperties":false,"properties":{"type":{"description":"`cut` (no transition), `dissolve` (cross-fade), `fade` (through black) or a wipe.","enum":["cut","dissolve","fade","wipeleft","wiperight","wipeup","wipedown"],"examples":["dissolve"]},"duration":{"description":"Length of the transition in seconds (ignored for `cut`). Default 0.5.","type":"number","exclusiveMinimum":0,"maximum":5,"examples":[0.5]}},"examples":[{"type":"dissolve","duration":0.5}]},"settings":{"description":"Settings that a scene may set or inherit from `defaults`.","type":"object","properties":{"model":{"description":"Wan model that renders the scene. Default: wan2.7-t2v, or wan2.7-i2v when the scene has a first frame or continues another scene. Reference-to-video models (wan2.7-r2v, wan2.6-r2v, wan2.6-r2v-flash) send the scene's characters' images and videos as references.","type":"string","minLength":1,"examples":["wan2.7-t2v","wan2.7-i2v","wan2.6-t2v","wan2.6-i2v","wan2.6-i2v-flash","wan2.5-t2v-preview","wan2.5-i2v-preview","wan2.2-t2v-plus","wan2.2-i2v-flash","wan2.2-i2v-plus","wan2.2-kf2v-flash","wan2.1-t2v-turbo","wan2.1-t2v-plus","wan2.1-i2v-turbo","wan2.1-i2v-plus","wan2.1-kf2v-plus","wan2.7-r2v","wan2.6-r2v","wan2.6-r2v-flash"]},"resolution":{"description":"Resolution tier. Which tiers exist depends on the model.","enum":["480P","720P","1080P"],"examples":["1080P"]},"ratio":{"description":"Aspect ratio of text-to-video output. Image-driven models take the ratio of their first frame instead.","enum":["16:9","9:16","1:1","4:3","3:4"],"examples":["16:9"]},"size":{"description":"Exact output size as `W*H` (the wan2.6-and-older text-to-video parameter). Alternative to `resolution` + `ratio`.","type":"string","pattern":"^[0-9]+\\*[0-9]+$","examples":["1280*720"]},"duration":{"description":"Length of the scene in seconds. With shots it defaults to their sum; without, to the model's default (5). Scenes longer than the model allows are split into chained clips.","type":"number","exclusiveMinimum":0,"maximum":3600,"examples":[10]},"seed":{"description":"Random seed sent to the model. When absent, a stable seed is derived from the storyboard title (or file name) and the clip id.","type":"integer","minimum":0,"maximum":2147483647,"examples":[12345]},"prompt_extend":{"description":"Let the service rewrite the prompt with an LLM. The service's default is true; set false for exact control.","type":"boolean","examples":[false]},"watermark":{"description":"Add the service's \"AI-generated\" watermark.","type":"boolean","examples":[false]},"negative_prompt":{"description":"What the model should avoid (at most 500 characters). May use templates.","type":"string","examples":["blurry, low quality, text"]},"shot_type":{"description":"wan2.6 only: `multi` lets the model cut between shots on its own; `single` keeps one shot. Scenes with several shots get `multi` automatically. The service applies it only with `prompt_extend: true`.","enum":["single","multi"],"examples":["multi"]},"audio":{"description":"Sound: a wav/mp3 file or URL that drives the clip's audio (wan2.5 and later), or `false` for a silent clip where the model allows it (wan2.6-i2v-flash).","type":["string","boolean"],"examples":["audio/voice.mp3",false]},"style":{"description":"Name of a style from `styles`; its text is appended to the scene prompt.","type":"string","examples":["noir"]},"transition":{"description":"Transition from the previous scene into this one (overrides `output.transition`).","$ref":"#/$defs/transition"},"continuation":{"description":"How the clips of a scene that is split into several clips continue each other: `clip` sends the last `carry` seconds of the previous clip as `first_clip`, so motion carries across the seam (models that can continue a clip: wan2.7-i2v); `frame` starts each clip on the previous clip's last frame. Default: `clip` where the family's continuation model supports it, else `frame`.","enum":["clip","frame"],"examples":["clip"]},"carry":{"description":"Seconds of the previous clip carried into each clip continuation (`first_clip`, 2–10 s): the model sees them and continues; the film keeps only the new seconds. Default 2.","type":"integer","minimum":2,"maximum":10,"examples":[3]},"anchor":{"description":"The approved look of a continuity chain (this scene and the scenes continuing from it): an image file or URL, a generated still `{ still: id }`, or `first` (the chain's first clip, the default). Colour matching corrects toward it; `reanchor` sends it as a `last_frame` target.","anyOf":[{"$ref":"#/$defs/image"},{"const":"first"}],"examples":["first",{"still":"harbour-look"}]},"colour_match":{"description":"Correct the colour of each clip of a continuity chain toward the chain's anchor when the film is assembled (never toward the previous clip, which would compound). Default false.","type":"boolean","examples":[true]},"reanchor":{"description":"Every N hops along a continuity chain, send the anchor image as the hop's `last_frame`, pulling the look back to it (models that take a last frame: wan2.7-i2v). Needs an image anchor.","type":"integer","minimum":1,"examples":[3]},"seam_frame":{"description":"Which frame a continuity chain hands on: `last` (default), or `sharpest` of the last 8 frames (motion blur at the end of a clip is common); the film then ends the clip on that frame.","enum":["last","sharpest"],"examples":["sharpest"]}},"examples":[{"model":"wan2.7-t2v","resolution":"720P","duration":5,"style":"noir","transition":{"type":"dissolve","duration":0.5}}]},"scene":{"description":"One scene: a prompt, optional shots, and how it is rendered.","type":"object","required":["id"],"$ref":"#/$defs/settings","unevaluatedProperties":false,"properties":{"id":{"description":"Unique id of the scene, used in clip ids, `continues`, reports and chapters.","$ref":"#/$defs/id"},"title":{"description":"Human title of the scene, used as its chapter name. Defaults to the id.","type":"string","examples":["The chase"]},"prompt":{"description":"What happens in the scene. A template: `{{name}}`, `{{characters.name}}`, `{{styles.name}}`. With shots, it is the text before the shot descriptions.","type":"string","examples":["A thrilling detective chase story with cinematic storytelling."]},"shots":{"description":"Shots of the scene, in order. On multi-shot models (wan2.7, wan2.6) they become one clip with `Shot 1 [0-3 s]: ...` in the prompt; on other models each shot is its own clip.","type":"array","minItems":1,"items":{"$ref":"#/$defs/shot"},"examples":[[{"id":"street","duration":3,"camera":"Wide shot","prompt":"a rainy street at night"}]]},"parts":{"description":"A long take as consecutive clips, each continuing the previous one (by clip where the model can), each with its own prompt after the scene prompt. A part is its prompt, or `{ prompt, duration }`; parts without a duration share the rest of the scene's `duration` in whole seconds. Not with `shots`.","type":"array","minItems":2,"items":{"anyOf":[{"type":"string","minLength":1},{"$ref":"#/$defs/part"}],"description":"A part: its prompt, or `{ prompt, duration }`."},"examples":[["she walks to the end of the pier",{"prompt":"she turns to face the sea","duration":12}]]},"continues":{"description":"The scene this one continues. An id: its first frame is the last frame of that scene's last clip. `{ scene: id, carry: N }`: clip continuation (wan2.7-i2v): the last N seconds (2–10) of that scene's last clip are sent as `first_clip`, the model continues the motion, and the film keeps only the new seconds.","anyOf":[{"$ref":"#/$defs/id"},{"$ref":"#/$defs/clipContinuation"}],"examples":["chase",{"scene":"launch","carry":3}]},"first_frame":{"description":"Image the scene starts on (image-to-video models; optional on wan2.7-r2v): a file, a URL, or a generated still `{ still: id }`.","$ref":"#/$defs/image"},"last_frame":{"description":"Image the scene ends on (wan2.7-i2v and the kf2v models): a file, a URL, or a generated still `{ still: id }`.","$ref":"#/$defs/image"},"cast":{"description":"Reference-to-video scenes: the characters whose references are sent, in this order (default: the characters with a reference in the order the scene's prompts first mention them). `name.video` or `name.image` picks which reference of the character is sent.","type":"array","minItems":1,"items":{"type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*(\\.(image|video))?$","description":"A character name, optionally with `.image` or `.video`.","examples":["mara","keeper.video"]},"examples":[["mara","keeper.video"]]}},"examples":[{"id":"office","model":"wan2.7-i2v","continues":"chase","duration":5,"prompt":"The detective shakes off the rain in a dim office."}]},"shot":{"description":"One shot inside a scene.","type":"object","required":["duration","prompt"],"additionalProperties":false,"properties":{"id":{"description":"Id of the shot, unique in its scene. Defaults to `shot-<n>`.","$ref":"#/$defs/id"},"duration":{"description":"Length of the shot in seconds; may be fractional inside a multi-shot clip (e.g. 2.5).","type":"number","exclusiveMinimum":0,"maximum":3600,"examples":[3]},"camera":{"description":"Camera framing or movement, put before the shot text as `<camera>. `.","type":"string","examples":["Wide shot"]},"prompt":{"description":"What the shot shows. A template like the scene prompt.","type":"string","minLength":1,"examples":["a rainy {{city}} street at night, {{characters.detective}} walking briskly"]},"dialogue":{"description":"Spoken line shown as a subtitle during the shot. Not sent to the model.","type":"string","examples":["The case was cold."]},"caption":{"description":"On-screen caption for the shot (subtitle files). Not sent to the model.","type":"string","examples":["New York, 1947"]}},"examples":[{"id":"door","duration":3,"camera":"Medium shot","prompt":"the detective enters an old building"}]},"output":{"description":"How the film is assembled.","type":"object","additionalProperties":false,"properties":{"file":{"description":"Where the film is written, relative to the storyboard's directory. Default `out/<storyboard name>.mp4`.","type":"string","pattern":"\\.mp4$","examples":["out/rain-city.mp4"]},"resolution":{"description":"Output size as `W*H`. Default: the size of the first clip.","type":"string","pattern":"^[0-9]+\\*[0-9]+$","examples":["1920*1080"]},"fit":{"description":"How clips of another shape fill the output: `cover` (crop), `contain` (letter/pillarbox) or `stretch`. Default `contain`.","enum":["cover","contain","stretch"],"examples":["contain"]},"transition":{"description":"Default transition between scenes. Default `cut`.","$ref":"#/$defs/transition"},"seam":{"description":"Dissolve length in seconds at seams inside a continuity chain; 0 (the default) joins them frame-exactly.","type":"number","minimum":0,"maximum":2,"examples":[0]},"music":{"description":"Background music under the whole film.","type":"object","required":["file"],"additionalProperties":false,"properties":{"file":{"description":"Audio file (wav, mp3, m4a, ...).","$ref":"#/$defs/path"},"volume":{"description":"Gain, 0 to 2. Default 0.3.","type":"number","minimum":0,"maximum":2,"examples":[0.3]},"fade_in":{"description":"Fade-in seconds. Default 0.","type":"number","minimum":0,"examples":[1]},"fade_out":{"description":"Fade-out seconds at the end of the film. Default 0.","type":"number","minimum":0,"examples":[2]},"loop":{"description":"Repeat the music when it is shorter than the film. Default true.","type":"boolean","examples":[true]},"duck":{"description":"Lower the music while clips have their own sound. Default false.","type":"boolean","examples":[true]}},"examples":[{"file":"audio/score.mp3","volume":0.3}]},"subtitles":{"description":"Subtitle files from shot `dialogue`/`caption`: sidecar `.srt` and `.vtt`, optionally burned in.","type":"object","additionalProperties":false,"properties":{"srt":{"description":"Write `<output>.srt`. Default true when any shot has text.","type":"boolean","examples":[true]},"vtt":{"description":"Write `<output>.vtt`. Default true when any shot has text.","type":"boolean","examples":[true]},"burn":{"description":"Burn subtitles into the picture. Default false.","type":"boolean","examples":[false]}},"examples":[{"srt":true,"vtt":true,"burn":false}]},"chapters":{"description":"Write one MP4 chapter per scene. Default true.","type":"boolean","examples":[true]}},"examples":[{"file":"out/rain-city.mp4","transition":{"type":"cut"}}]},"stillRef":{"description":"A generated still (an entry of `stills`), by id.","type":"object","required":["still"],"additionalProperties":false,"properties":{"still":{"description":"Id of the still under `stills`.","$ref":"#/$defs/id"}},"examples":[{"still":"harbour-dawn"}]},"image":{"description":"An image: a local file or URL, or a generated still `{ still: id }`.","anyOf":[{"$ref":"#/$defs/path"},{"$ref":"#/$defs/stillRef"}],"examples":["keyframes/start.png",{"still":"harbour-dawn"}]},"character":{"description":"A character: a description (text form), or a description with reference media for reference-to-video models.","anyOf":[{"description":"How the character looks, in words the model understands.","type":"string","minLength":1},{"type":"object","required":["description"],"additionalProperties":false,"properties":{"description":{"description":"How the character looks, in words the model understands. May use `{{vars}}`.","type":"string","minLength":1,"examples":["a courier with silver hair and a green coat"]},"image":{"description":"Reference image of the character (one subject): a file, a URL, or a generated still `{ still: id }`. Sent to reference-to-video models.","$ref":"#/$defs/image","examples":["refs/mara.png",{"still":"mara-sheet"}]},"video":{"description":"Optional reference video of the character (mp4/mov, 1–30 s). Used by reference-to-video models when the character has no image, or when the scene casts `name.video`.","$ref":"#/$defs/path","examples":["refs/mara-walk.mp4"]},"voice":{"description":"Optional reference voice (wav/mp3; timbre only), sent with the character's reference on wan2.7-r2v.","$ref":"#/$defs/path","examples":["refs/mara.wav"]}}}],"examples":["an old lighthouse keeper in a yellow raincoat",{"description":"a courier with silver hair and a green coat","image":"refs/mara.png","voice":"refs/mara.wav"}]},"still":{"description":"A generated image (keyframe, character sheet): made once by a text-to-image model, cached, and used by every scene or character that names it.","type":"object","required":["id","prompt"],"additionalProperties":false,"properties":{"id":{"description":"Unique id of the still (not shared with any scene), used as `{ still: id }`.","$ref":"#/$defs/id"},"model":{"description":"Wan image model. Default: wan2.6-t2i.","type":"string","minLength":1,"examples":["wan2.6-t2i","wan2.7-image","wan2.7-image-pro","wan2.5-t2i-preview","wan2.2-t2i-flash","wan2.2-t2i-plus","wan2.1-t2i-turbo","wan2.1-t2i-plus"]},"prompt":{"description":"What the image shows. A template, like scene prompts.","type":"string","minLength":1,"examples":["A small harbour at dawn, fishing boats, soft pink light."]},"negative_prompt":{"description":"What the image should avoid. May use templates.","type":"string","examples":["text, watermark"]},"size":{"description":"Image size as `W*H` (or `1K`/`2K`/`4K` on wan2.7 image models); the sizes accepted depend on the model.","type":"string","pattern":"^(\\d+\\*\\d+|[124]K)$","examples":["1280*1280","1696*960","2K"]},"seed":{"description":"Seed in [0, 2147483647]. Default: derived from the storyboard and the still id.","type":"integer","minimum":0,"maximum":2147483647,"examples":[42]},"prompt_extend":{"description":"Let the service rewrite the prompt.","type":"boolean","examples":[false]},"watermark":{"description":"Add the service's AI-generated mark.","type":"boolean","examples":[false]},"images":{"description":"Input images sent with the prompt (image models that take them, e.g. wan2.7-image): files, URLs or other stills.","type":"array","minItems":1,"items":{"$ref":"#/$defs/image"},"examples":[[{"still":"mara-sheet"}]]}},"examples":[{"id":"harbour-dawn","model":"wan2.5-t2i-preview","prompt":"A small harbour at dawn, fishing boats, soft pink light."}]},"clipContinuation":{"description":"Clip continuation: the scene continued and how many of its last seconds are carried.","type":"object","required":["scene"],"additionalProperties":false,"properties":{"scene":{"description":"Id of the scene continued.","$ref":"#/$defs/id","examples":["launch"]},"carry":{"description":"Seconds of the continued clip's end sent as `first_clip` (2–10). Default: the `carry` setting, 2.","type":"integer","minimum":2,"maximum":10,"examples":[3]}},"examples":[{"scene":"launch","carry":3}]},"part":{"description":"A part of a long take with its own length.","type":"object","required":["prompt"],"additionalProperties":false,"properties":{"prompt":{"description":"What happens in this part (a template).","type":"string","minLength":1,"examples":["She stops at the railing and looks out to sea."]},"duration":{"description":"New seconds of this part.","type":"integer","minimum":1,"examples":[12]}},"examples":[{"prompt":"She stops at the railing and looks out to sea.","duration":12}]}}};
const schema38 = {"description":"A name: letters, digits and `_`, starting with a letter or `_`.","type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$","maxLength":64,"examples":["city"]};
const func1 = Object.prototype.hasOwnProperty;
const func2 = runtime0;
const schema32 = {"description":"Settings that a scene may set or inherit from `defaults`.","type":"object","properties":{"model":{"description":"Wan model that renders the scene. Default: wan2.7-t2v, or wan2.7-i2v when the scene has a first frame or continues another scene. Reference-to-video models (wan2.7-r2v, wan2.6-r2v, wan2.6-r2v-flash) send the scene's characters' images and videos as references.","type":"string","minLength":1,"examples":["wan2.7-t2v","wan2.7-i2v","wan2.6-t2v","wan2.6-i2v","wan2.6-i2v-flash","wan2.5-t2v-preview","wan2.5-i2v-preview","wan2.2-t2v-plus","wan2.2-i2v-flash","wan2.2-i2v-plus","wan2.2-kf2v-flash","wan2.1-t2v-turbo","wan2.1-t2v-plus","wan2.1-i2v-turbo","wan2.1-i2v-plus","wan2.1-kf2v-plus","wan2.7-r2v","wan2.6-r2v","wan2.6-r2v-flash"]},"resolution":{"description":"Resolution tier. Which tiers exist depends on the model.","enum":["480P","720P","1080P"],"examples":["1080P"]},"ratio":{"description":"Aspect ratio of text-to-video output. Image-driven models take the ratio of their first frame instead.","enum":["16:9","9:16","1:1","4:3","3:4"],"examples":["16:9"]},"size":{"description":"Exact output size as `W*H` (the wan2.6-and-older text-to-video parameter). Alternative to `resolution` + `ratio`.","type":"string","pattern":"^[0-9]+\\*[0-9]+$","examples":["1280*720"]},"duration":{"description":"Length of the scene in seconds. With shots it defaults to their sum; without, to the model's default (5). Scenes longer than the model allows are split into chained clips.","type":"number","exclusiveMinimum":0,"maximum":3600,"examples":[10]},"seed":{"description":"Random seed sent to the model. When absent, a stable seed is derived from the storyboard title (or file name) and the clip id.","type":"integer","minimum":0,"maximum":2147483647,"examples":[12345]},"prompt_extend":{"description":"Let the service rewrite the prompt with an LLM. The service's default is true; set false for exact control.","type":"boolean","examples":[false]},"watermark":{"description":"Add the service's \"AI-generated\" watermark.","type":"boolean","examples":[false]},"negative_prompt":{"description":"What the model should avoid (at most 500 characters). May use templates.","type":"string","examples":["blurry, low quality, text"]},"shot_type":{"description":"wan2.6 only: `multi` lets the model cut between shots on its own; `single` keeps one shot. Scenes with several shots get `multi` automatically. The service applies it only with `prompt_extend: true`.","enum":["single","multi"],"examples":["multi"]},"audio":{"description":"Sound: a wav/mp3 file or URL that drives the clip's audio (wan2.5 and later), or `false` for a silent clip where the model allows it (wan2.6-i2v-flash).","type":["string","boolean"],"examples":["audio/voice.mp3",false]},"style":{"description":"Name of a style from `styles`; its text is appended to the scene prompt.","type":"string","examples":["noir"]},"transition":{"description":"Transition from the previous scene into this one (overrides `output.transition`).","$ref":"#/$defs/transition"},"continuation":{"description":"How the clips of a scene that is split into several clips continue each other: `clip` sends the last `carry` seconds of the previous clip as `first_clip`, so motion carries across the seam (models that can continue a clip: wan2.7-i2v); `frame` starts each clip on the previous clip's last frame. Default: `clip` where the family's continuation model supports it, else `frame`.","enum":["clip","frame"],"examples":["clip"]},"carry":{"description":"Seconds of the previous clip carried into each clip continuation (`first_clip`, 2–10 s): the model sees them and continues; the film keeps only the new seconds. Default 2.","type":"integer","minimum":2,"maximum":10,"examples":[3]},"anchor":{"description":"The approved look of a continuity chain (this scene and the scenes continuing from it): an image file or URL, a generated still `{ still: id }`, or `first` (the chain's first clip, the default). Colour matching corrects toward it; `reanchor` sends it as a `last_frame` target.","anyOf":[{"$ref":"#/$defs/image"},{"const":"first"}],"examples":["first",{"still":"harbour-look"}]},"colour_match":{"description":"Correct the colour of each clip of a continuity chain toward the chain's anchor when the film is assembled (never toward the previous clip, which would compound). Default false.","type":"boolean","examples":[true]},"reanchor":{"description":"Every N hops along a continuity chain, send the anchor image as the hop's `last_frame`, pulling the look back to it (models that take a last frame: wan2.7-i2v). Needs an image anchor.","type":"integer","minimum":1,"examples":[3]},"seam_frame":{"description":"Which frame a continuity chain hands on: `last` (default), or `sharpest` of the last 8 frames (motion blur at the end of a clip is common); the film then ends the clip on that frame.","enum":["last","sharpest"],"examples":["sharpest"]}},"examples":[{"model":"wan2.7-t2v","resolution":"720P","duration":5,"style":"noir","transition":{"type":"dissolve","duration":0.5}}]};
const schema33 = {"description":"How one scene joins the next.","type":"object","required":["type"],"additionalProperties":false,"properties":{"type":{"description":"`cut` (no transition), `dissolve` (cross-fade), `fade` (through black) or a wipe.","enum":["cut","dissolve","fade","wipeleft","wiperight","wipeup","wipedown"],"examples":["dissolve"]},"duration":{"description":"Length of the transition in seconds (ignored for `cut`). Default 0.5.","type":"number","exclusiveMinimum":0,"maximum":5,"examples":[0.5]}},"examples":[{"type":"dissolve","duration":0.5}]};
const pattern4 = new RegExp("^[0-9]+\\*[0-9]+$", "u");
const schema34 = {"description":"An image: a local file or URL, or a generated still `{ still: id }`.","anyOf":[{"$ref":"#/$defs/path"},{"$ref":"#/$defs/stillRef"}],"examples":["keyframes/start.png",{"still":"harbour-dawn"}]};
const schema35 = {"description":"A local file, relative to the storyboard's directory and inside it, or an http(s) URL.","type":"string","minLength":1,"maxLength":2048,"examples":["keyframes/ending-start.png"]};
const schema36 = {"description":"A generated still (an entry of `stills`), by id.","type":"object","required":["still"],"additionalProperties":false,"properties":{"still":{"description":"Id of the still under `stills`.","$ref":"#/$defs/id"}},"examples":[{"still":"harbour-dawn"}]};
const schema37 = {"description":"An identifier: letters, digits, `-` and `_`, starting with a letter or digit.","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9_-]*$","maxLength":64,"examples":["chase"]};
const pattern5 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_-]*$", "u");

function validate23(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate23.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.still === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "still"},message:"must have required property '"+"still"+"'",schema:schema36.required,parentSchema:schema36,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(key0 === "still")){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema36,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.still !== undefined){
let data0 = data.still;
if(typeof data0 === "string"){
if(func2(data0) > 64){
const err2 = {instancePath:instancePath+"/still",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(!pattern5.test(data0)){
const err3 = {instancePath:instancePath+"/still",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/still",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
else {
const err5 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema36.type,parentSchema:schema36,data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
validate23.errors = vErrors;
return errors === 0;
}
validate23.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate22(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate22.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs0 = errors;
let valid0 = false;
const _errs1 = errors;
if(typeof data === "string"){
if(func2(data) > 2048){
const err0 = {instancePath,schemaPath:"#/$defs/path/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema35,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(func2(data) < 1){
const err1 = {instancePath,schemaPath:"#/$defs/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema35,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath,schemaPath:"#/$defs/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
var _valid0 = _errs1 === errors;
valid0 = valid0 || _valid0;
const _errs4 = errors;
if(!(validate23(data, {instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
errors = vErrors.length;
}
var _valid0 = _errs4 === errors;
valid0 = valid0 || _valid0;
if(_valid0){
var props0 = true;
}
if(!valid0){
const err3 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema34.anyOf,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate22.errors = vErrors;
evaluated0.props = props0;
return errors === 0;
}
validate22.evaluated = {"dynamicProps":true,"dynamicItems":false};


function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate21.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.model !== undefined){
let data0 = data.model;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err0 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema32.properties.model,data:data0};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.model.type,parentSchema:schema32.properties.model,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.resolution !== undefined){
let data1 = data.resolution;
if(!(((data1 === "480P") || (data1 === "720P")) || (data1 === "1080P"))){
const err2 = {instancePath:instancePath+"/resolution",schemaPath:"#/properties/resolution/enum",keyword:"enum",params:{allowedValues: schema32.properties.resolution.enum},message:"must be equal to one of the allowed values",schema:schema32.properties.resolution.enum,parentSchema:schema32.properties.resolution,data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.ratio !== undefined){
let data2 = data.ratio;
if(!(((((data2 === "16:9") || (data2 === "9:16")) || (data2 === "1:1")) || (data2 === "4:3")) || (data2 === "3:4"))){
const err3 = {instancePath:instancePath+"/ratio",schemaPath:"#/properties/ratio/enum",keyword:"enum",params:{allowedValues: schema32.properties.ratio.enum},message:"must be equal to one of the allowed values",schema:schema32.properties.ratio.enum,parentSchema:schema32.properties.ratio,data:data2};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.size !== undefined){
let data3 = data.size;
if(typeof data3 === "string"){
if(!pattern4.test(data3)){
const err4 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/pattern",keyword:"pattern",params:{pattern: "^[0-9]+\\*[0-9]+$"},message:"must match pattern \""+"^[0-9]+\\*[0-9]+$"+"\"",schema:"^[0-9]+\\*[0-9]+$",parentSchema:schema32.properties.size,data:data3};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.size.type,parentSchema:schema32.properties.size,data:data3};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.duration !== undefined){
let data4 = data.duration;
if((typeof data4 == "number") && (isFinite(data4))){
if(data4 > 3600 || isNaN(data4)){
const err6 = {instancePath:instancePath+"/duration",schemaPath:"#/properties/duration/maximum",keyword:"maximum",params:{comparison: "<=", limit: 3600},message:"must be <= 3600",schema:3600,parentSchema:schema32.properties.duration,data:data4};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data4 <= 0 || isNaN(data4)){
const err7 = {instancePath:instancePath+"/duration",schemaPath:"#/properties/duration/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema32.properties.duration,data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/duration",schemaPath:"#/properties/duration/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema32.properties.duration.type,parentSchema:schema32.properties.duration,data:data4};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.seed !== undefined){
let data5 = data.seed;
if(!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))){
const err9 = {instancePath:instancePath+"/seed",schemaPath:"#/properties/seed/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema32.properties.seed.type,parentSchema:schema32.properties.seed,data:data5};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 2147483647 || isNaN(data5)){
const err10 = {instancePath:instancePath+"/seed",schemaPath:"#/properties/seed/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema32.properties.seed,data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data5 < 0 || isNaN(data5)){
const err11 = {instancePath:instancePath+"/seed",schemaPath:"#/properties/seed/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema32.properties.seed,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
if(data.prompt_extend !== undefined){
let data6 = data.prompt_extend;
if(typeof data6 !== "boolean"){
const err12 = {instancePath:instancePath+"/prompt_extend",schemaPath:"#/properties/prompt_extend/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema32.properties.prompt_extend.type,parentSchema:schema32.properties.prompt_extend,data:data6};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.watermark !== undefined){
let data7 = data.watermark;
if(typeof data7 !== "boolean"){
const err13 = {instancePath:instancePath+"/watermark",schemaPath:"#/properties/watermark/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema32.properties.watermark.type,parentSchema:schema32.properties.watermark,data:data7};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.negative_prompt !== undefined){
let data8 = data.negative_prompt;
if(typeof data8 !== "string"){
const err14 = {instancePath:instancePath+"/negative_prompt",schemaPath:"#/properties/negative_prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.negative_prompt.type,parentSchema:schema32.properties.negative_prompt,data:data8};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.shot_type !== undefined){
let data9 = data.shot_type;
if(!((data9 === "single") || (data9 === "multi"))){
const err15 = {instancePath:instancePath+"/shot_type",schemaPath:"#/properties/shot_type/enum",keyword:"enum",params:{allowedValues: schema32.properties.shot_type.enum},message:"must be equal to one of the allowed values",schema:schema32.properties.shot_type.enum,parentSchema:schema32.properties.shot_type,data:data9};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.audio !== undefined){
let data10 = data.audio;
if((typeof data10 !== "string") && (typeof data10 !== "boolean")){
const err16 = {instancePath:instancePath+"/audio",schemaPath:"#/properties/audio/type",keyword:"type",params:{type: schema32.properties.audio.type},message:"must be string,boolean",schema:schema32.properties.audio.type,parentSchema:schema32.properties.audio,data:data10};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.style !== undefined){
let data11 = data.style;
if(typeof data11 !== "string"){
const err17 = {instancePath:instancePath+"/style",schemaPath:"#/properties/style/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.style.type,parentSchema:schema32.properties.style,data:data11};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data.transition !== undefined){
let data12 = data.transition;
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
if(data12.type === undefined){
const err18 = {instancePath:instancePath+"/transition",schemaPath:"#/$defs/transition/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema33.required,parentSchema:schema33,data:data12};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
for(const key0 in data12){
if(!((key0 === "type") || (key0 === "duration"))){
const err19 = {instancePath:instancePath+"/transition",schemaPath:"#/$defs/transition/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema33,data:data12};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data12.type !== undefined){
let data13 = data12.type;
if(!(((((((data13 === "cut") || (data13 === "dissolve")) || (data13 === "fade")) || (data13 === "wipeleft")) || (data13 === "wiperight")) || (data13 === "wipeup")) || (data13 === "wipedown"))){
const err20 = {instancePath:instancePath+"/transition/type",schemaPath:"#/$defs/transition/properties/type/enum",keyword:"enum",params:{allowedValues: schema33.properties.type.enum},message:"must be equal to one of the allowed values",schema:schema33.properties.type.enum,parentSchema:schema33.properties.type,data:data13};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data12.duration !== undefined){
let data14 = data12.duration;
if((typeof data14 == "number") && (isFinite(data14))){
if(data14 > 5 || isNaN(data14)){
const err21 = {instancePath:instancePath+"/transition/duration",schemaPath:"#/$defs/transition/properties/duration/maximum",keyword:"maximum",params:{comparison: "<=", limit: 5},message:"must be <= 5",schema:5,parentSchema:schema33.properties.duration,data:data14};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if(data14 <= 0 || isNaN(data14)){
const err22 = {instancePath:instancePath+"/transition/duration",schemaPath:"#/$defs/transition/properties/duration/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema33.properties.duration,data:data14};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
else {
const err23 = {instancePath:instancePath+"/transition/duration",schemaPath:"#/$defs/transition/properties/duration/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema33.properties.duration.type,parentSchema:schema33.properties.duration,data:data14};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
}
else {
const err24 = {instancePath:instancePath+"/transition",schemaPath:"#/$defs/transition/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.type,parentSchema:schema33,data:data12};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.continuation !== undefined){
let data15 = data.continuation;
if(!((data15 === "clip") || (data15 === "frame"))){
const err25 = {instancePath:instancePath+"/continuation",schemaPath:"#/properties/continuation/enum",keyword:"enum",params:{allowedValues: schema32.properties.continuation.enum},message:"must be equal to one of the allowed values",schema:schema32.properties.continuation.enum,parentSchema:schema32.properties.continuation,data:data15};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data.carry !== undefined){
let data16 = data.carry;
if(!(((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16))) && (isFinite(data16)))){
const err26 = {instancePath:instancePath+"/carry",schemaPath:"#/properties/carry/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema32.properties.carry.type,parentSchema:schema32.properties.carry,data:data16};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if((typeof data16 == "number") && (isFinite(data16))){
if(data16 > 10 || isNaN(data16)){
const err27 = {instancePath:instancePath+"/carry",schemaPath:"#/properties/carry/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema32.properties.carry,data:data16};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(data16 < 2 || isNaN(data16)){
const err28 = {instancePath:instancePath+"/carry",schemaPath:"#/properties/carry/minimum",keyword:"minimum",params:{comparison: ">=", limit: 2},message:"must be >= 2",schema:2,parentSchema:schema32.properties.carry,data:data16};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
if(data.anchor !== undefined){
let data17 = data.anchor;
const _errs33 = errors;
let valid3 = false;
const _errs34 = errors;
if(!(validate22(data17, {instancePath:instancePath+"/anchor",parentData:data,parentDataProperty:"anchor",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
var _valid0 = _errs34 === errors;
valid3 = valid3 || _valid0;
const _errs35 = errors;
if("first" !== data17){
const err29 = {instancePath:instancePath+"/anchor",schemaPath:"#/properties/anchor/anyOf/1/const",keyword:"const",params:{allowedValue: "first"},message:"must be equal to constant",schema:"first",parentSchema:schema32.properties.anchor.anyOf[1],data:data17};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
var _valid0 = _errs35 === errors;
valid3 = valid3 || _valid0;
if(!valid3){
const err30 = {instancePath:instancePath+"/anchor",schemaPath:"#/properties/anchor/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema32.properties.anchor.anyOf,parentSchema:schema32.properties.anchor,data:data17};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
else {
errors = _errs33;
if(vErrors !== null){
if(_errs33){
vErrors.length = _errs33;
}
else {
vErrors = null;
}
}
}
}
if(data.colour_match !== undefined){
let data18 = data.colour_match;
if(typeof data18 !== "boolean"){
const err31 = {instancePath:instancePath+"/colour_match",schemaPath:"#/properties/colour_match/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema32.properties.colour_match.type,parentSchema:schema32.properties.colour_match,data:data18};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data.reanchor !== undefined){
let data19 = data.reanchor;
if(!(((typeof data19 == "number") && (!(data19 % 1) && !isNaN(data19))) && (isFinite(data19)))){
const err32 = {instancePath:instancePath+"/reanchor",schemaPath:"#/properties/reanchor/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema32.properties.reanchor.type,parentSchema:schema32.properties.reanchor,data:data19};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
if((typeof data19 == "number") && (isFinite(data19))){
if(data19 < 1 || isNaN(data19)){
const err33 = {instancePath:instancePath+"/reanchor",schemaPath:"#/properties/reanchor/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema32.properties.reanchor,data:data19};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
}
if(data.seam_frame !== undefined){
let data20 = data.seam_frame;
if(!((data20 === "last") || (data20 === "sharpest"))){
const err34 = {instancePath:instancePath+"/seam_frame",schemaPath:"#/properties/seam_frame/enum",keyword:"enum",params:{allowedValues: schema32.properties.seam_frame.enum},message:"must be equal to one of the allowed values",schema:schema32.properties.seam_frame.enum,parentSchema:schema32.properties.seam_frame,data:data20};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.type,parentSchema:schema32,data};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":{"model":true,"resolution":true,"ratio":true,"size":true,"duration":true,"seed":true,"prompt_extend":true,"watermark":true,"negative_prompt":true,"shot_type":true,"audio":true,"style":true,"transition":true,"continuation":true,"carry":true,"anchor":true,"colour_match":true,"reanchor":true,"seam_frame":true},"dynamicProps":false,"dynamicItems":false};

const schema40 = {"description":"A character: a description (text form), or a description with reference media for reference-to-video models.","anyOf":[{"description":"How the character looks, in words the model understands.","type":"string","minLength":1},{"type":"object","required":["description"],"additionalProperties":false,"properties":{"description":{"description":"How the character looks, in words the model understands. May use `{{vars}}`.","type":"string","minLength":1,"examples":["a courier with silver hair and a green coat"]},"image":{"description":"Reference image of the character (one subject): a file, a URL, or a generated still `{ still: id }`. Sent to reference-to-video models.","$ref":"#/$defs/image","examples":["refs/mara.png",{"still":"mara-sheet"}]},"video":{"description":"Optional reference video of the character (mp4/mov, 1–30 s). Used by reference-to-video models when the character has no image, or when the scene casts `name.video`.","$ref":"#/$defs/path","examples":["refs/mara-walk.mp4"]},"voice":{"description":"Optional reference voice (wav/mp3; timbre only), sent with the character's reference on wan2.7-r2v.","$ref":"#/$defs/path","examples":["refs/mara.wav"]}}}],"examples":["an old lighthouse keeper in a yellow raincoat",{"description":"a courier with silver hair and a green coat","image":"refs/mara.png","voice":"refs/mara.wav"}]};

function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate27.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs0 = errors;
let valid0 = false;
const _errs1 = errors;
if(typeof data === "string"){
if(func2(data) < 1){
const err0 = {instancePath,schemaPath:"#/anyOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.anyOf[0],data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath,schemaPath:"#/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.anyOf[0].type,parentSchema:schema40.anyOf[0],data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
var _valid0 = _errs1 === errors;
valid0 = valid0 || _valid0;
const _errs3 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.description === undefined){
const err2 = {instancePath,schemaPath:"#/anyOf/1/required",keyword:"required",params:{missingProperty: "description"},message:"must have required property '"+"description"+"'",schema:schema40.anyOf[1].required,parentSchema:schema40.anyOf[1],data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "description") || (key0 === "image")) || (key0 === "video")) || (key0 === "voice"))){
const err3 = {instancePath,schemaPath:"#/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema40.anyOf[1],data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.description !== undefined){
let data0 = data.description;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err4 = {instancePath:instancePath+"/description",schemaPath:"#/anyOf/1/properties/description/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.anyOf[1].properties.description,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/description",schemaPath:"#/anyOf/1/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.anyOf[1].properties.description.type,parentSchema:schema40.anyOf[1].properties.description,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.image !== undefined){
if(!(validate22(data.image, {instancePath:instancePath+"/image",parentData:data,parentDataProperty:"image",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
}
if(data.video !== undefined){
let data2 = data.video;
if(typeof data2 === "string"){
if(func2(data2) > 2048){
const err6 = {instancePath:instancePath+"/video",schemaPath:"#/$defs/path/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema35,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(func2(data2) < 1){
const err7 = {instancePath:instancePath+"/video",schemaPath:"#/$defs/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema35,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/video",schemaPath:"#/$defs/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.voice !== undefined){
let data3 = data.voice;
if(typeof data3 === "string"){
if(func2(data3) > 2048){
const err9 = {instancePath:instancePath+"/voice",schemaPath:"#/$defs/path/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(func2(data3) < 1){
const err10 = {instancePath:instancePath+"/voice",schemaPath:"#/$defs/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/voice",schemaPath:"#/$defs/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath,schemaPath:"#/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.anyOf[1].type,parentSchema:schema40.anyOf[1],data};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
var _valid0 = _errs3 === errors;
valid0 = valid0 || _valid0;
if(_valid0){
var props1 = true;
}
if(!valid0){
const err13 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema40.anyOf,parentSchema:schema40,data};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate27.errors = vErrors;
evaluated0.props = props1;
return errors === 0;
}
validate27.evaluated = {"dynamicProps":true,"dynamicItems":false};

const schema44 = {"description":"A generated image (keyframe, character sheet): made once by a text-to-image model, cached, and used by every scene or character that names it.","type":"object","required":["id","prompt"],"additionalProperties":false,"properties":{"id":{"description":"Unique id of the still (not shared with any scene), used as `{ still: id }`.","$ref":"#/$defs/id"},"model":{"description":"Wan image model. Default: wan2.6-t2i.","type":"string","minLength":1,"examples":["wan2.6-t2i","wan2.7-image","wan2.7-image-pro","wan2.5-t2i-preview","wan2.2-t2i-flash","wan2.2-t2i-plus","wan2.1-t2i-turbo","wan2.1-t2i-plus"]},"prompt":{"description":"What the image shows. A template, like scene prompts.","type":"string","minLength":1,"examples":["A small harbour at dawn, fishing boats, soft pink light."]},"negative_prompt":{"description":"What the image should avoid. May use templates.","type":"string","examples":["text, watermark"]},"size":{"description":"Image size as `W*H` (or `1K`/`2K`/`4K` on wan2.7 image models); the sizes accepted depend on the model.","type":"string","pattern":"^(\\d+\\*\\d+|[124]K)$","examples":["1280*1280","1696*960","2K"]},"seed":{"description":"Seed in [0, 2147483647]. Default: derived from the storyboard and the still id.","type":"integer","minimum":0,"maximum":2147483647,"examples":[42]},"prompt_extend":{"description":"Let the service rewrite the prompt.","type":"boolean","examples":[false]},"watermark":{"description":"Add the service's AI-generated mark.","type":"boolean","examples":[false]},"images":{"description":"Input images sent with the prompt (image models that take them, e.g. wan2.7-image): files, URLs or other stills.","type":"array","minItems":1,"items":{"$ref":"#/$defs/image"},"examples":[[{"still":"mara-sheet"}]]}},"examples":[{"id":"harbour-dawn","model":"wan2.5-t2i-preview","prompt":"A small harbour at dawn, fishing boats, soft pink light."}]};
const pattern10 = new RegExp("^(\\d+\\*\\d+|[124]K)$", "u");

function validate30(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate30.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'",schema:schema44.required,parentSchema:schema44,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.prompt === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "prompt"},message:"must have required property '"+"prompt"+"'",schema:schema44.required,parentSchema:schema44,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema44.properties, key0))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema44,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.id !== undefined){
let data0 = data.id;
if(typeof data0 === "string"){
if(func2(data0) > 64){
const err3 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(!pattern5.test(data0)){
const err4 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.model !== undefined){
let data1 = data.model;
if(typeof data1 === "string"){
if(func2(data1) < 1){
const err6 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema44.properties.model,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.model.type,parentSchema:schema44.properties.model,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.prompt !== undefined){
let data2 = data.prompt;
if(typeof data2 === "string"){
if(func2(data2) < 1){
const err8 = {instancePath:instancePath+"/prompt",schemaPath:"#/properties/prompt/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema44.properties.prompt,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/prompt",schemaPath:"#/properties/prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.prompt.type,parentSchema:schema44.properties.prompt,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.negative_prompt !== undefined){
let data3 = data.negative_prompt;
if(typeof data3 !== "string"){
const err10 = {instancePath:instancePath+"/negative_prompt",schemaPath:"#/properties/negative_prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.negative_prompt.type,parentSchema:schema44.properties.negative_prompt,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.size !== undefined){
let data4 = data.size;
if(typeof data4 === "string"){
if(!pattern10.test(data4)){
const err11 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/pattern",keyword:"pattern",params:{pattern: "^(\\d+\\*\\d+|[124]K)$"},message:"must match pattern \""+"^(\\d+\\*\\d+|[124]K)$"+"\"",schema:"^(\\d+\\*\\d+|[124]K)$",parentSchema:schema44.properties.size,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.size.type,parentSchema:schema44.properties.size,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.seed !== undefined){
let data5 = data.seed;
if(!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))){
const err13 = {instancePath:instancePath+"/seed",schemaPath:"#/properties/seed/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema44.properties.seed.type,parentSchema:schema44.properties.seed,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 2147483647 || isNaN(data5)){
const err14 = {instancePath:instancePath+"/seed",schemaPath:"#/properties/seed/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483647},message:"must be <= 2147483647",schema:2147483647,parentSchema:schema44.properties.seed,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(data5 < 0 || isNaN(data5)){
const err15 = {instancePath:instancePath+"/seed",schemaPath:"#/properties/seed/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema44.properties.seed,data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
if(data.prompt_extend !== undefined){
let data6 = data.prompt_extend;
if(typeof data6 !== "boolean"){
const err16 = {instancePath:instancePath+"/prompt_extend",schemaPath:"#/properties/prompt_extend/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema44.properties.prompt_extend.type,parentSchema:schema44.properties.prompt_extend,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.watermark !== undefined){
let data7 = data.watermark;
if(typeof data7 !== "boolean"){
const err17 = {instancePath:instancePath+"/watermark",schemaPath:"#/properties/watermark/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema44.properties.watermark.type,parentSchema:schema44.properties.watermark,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data.images !== undefined){
let data8 = data.images;
if(Array.isArray(data8)){
if(data8.length < 1){
const err18 = {instancePath:instancePath+"/images",schemaPath:"#/properties/images/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema44.properties.images,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
const len0 = data8.length;
for(let i0=0; i0<len0; i0++){
if(!(validate22(data8[i0], {instancePath:instancePath+"/images/" + i0,parentData:data8,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
}
}
else {
const err19 = {instancePath:instancePath+"/images",schemaPath:"#/properties/images/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema44.properties.images.type,parentSchema:schema44.properties.images,data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
else {
const err20 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema44.type,parentSchema:schema44,data};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
validate30.errors = vErrors;
return errors === 0;
}
validate30.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema46 = {"description":"One scene: a prompt, optional shots, and how it is rendered.","type":"object","required":["id"],"$ref":"#/$defs/settings","unevaluatedProperties":false,"properties":{"id":{"description":"Unique id of the scene, used in clip ids, `continues`, reports and chapters.","$ref":"#/$defs/id"},"title":{"description":"Human title of the scene, used as its chapter name. Defaults to the id.","type":"string","examples":["The chase"]},"prompt":{"description":"What happens in the scene. A template: `{{name}}`, `{{characters.name}}`, `{{styles.name}}`. With shots, it is the text before the shot descriptions.","type":"string","examples":["A thrilling detective chase story with cinematic storytelling."]},"shots":{"description":"Shots of the scene, in order. On multi-shot models (wan2.7, wan2.6) they become one clip with `Shot 1 [0-3 s]: ...` in the prompt; on other models each shot is its own clip.","type":"array","minItems":1,"items":{"$ref":"#/$defs/shot"},"examples":[[{"id":"street","duration":3,"camera":"Wide shot","prompt":"a rainy street at night"}]]},"parts":{"description":"A long take as consecutive clips, each continuing the previous one (by clip where the model can), each with its own prompt after the scene prompt. A part is its prompt, or `{ prompt, duration }`; parts without a duration share the rest of the scene's `duration` in whole seconds. Not with `shots`.","type":"array","minItems":2,"items":{"anyOf":[{"type":"string","minLength":1},{"$ref":"#/$defs/part"}],"description":"A part: its prompt, or `{ prompt, duration }`."},"examples":[["she walks to the end of the pier",{"prompt":"she turns to face the sea","duration":12}]]},"continues":{"description":"The scene this one continues. An id: its first frame is the last frame of that scene's last clip. `{ scene: id, carry: N }`: clip continuation (wan2.7-i2v): the last N seconds (2–10) of that scene's last clip are sent as `first_clip`, the model continues the motion, and the film keeps only the new seconds.","anyOf":[{"$ref":"#/$defs/id"},{"$ref":"#/$defs/clipContinuation"}],"examples":["chase",{"scene":"launch","carry":3}]},"first_frame":{"description":"Image the scene starts on (image-to-video models; optional on wan2.7-r2v): a file, a URL, or a generated still `{ still: id }`.","$ref":"#/$defs/image"},"last_frame":{"description":"Image the scene ends on (wan2.7-i2v and the kf2v models): a file, a URL, or a generated still `{ still: id }`.","$ref":"#/$defs/image"},"cast":{"description":"Reference-to-video scenes: the characters whose references are sent, in this order (default: the characters with a reference in the order the scene's prompts first mention them). `name.video` or `name.image` picks which reference of the character is sent.","type":"array","minItems":1,"items":{"type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*(\\.(image|video))?$","description":"A character name, optionally with `.image` or `.video`.","examples":["mara","keeper.video"]},"examples":[["mara","keeper.video"]]}},"examples":[{"id":"office","model":"wan2.7-i2v","continues":"chase","duration":5,"prompt":"The detective shakes off the rain in a dim office."}]};
const schema50 = {"description":"A part of a long take with its own length.","type":"object","required":["prompt"],"additionalProperties":false,"properties":{"prompt":{"description":"What happens in this part (a template).","type":"string","minLength":1,"examples":["She stops at the railing and looks out to sea."]},"duration":{"description":"New seconds of this part.","type":"integer","minimum":1,"examples":[12]}},"examples":[{"prompt":"She stops at the railing and looks out to sea.","duration":12}]};
const schema48 = {"description":"One shot inside a scene.","type":"object","required":["duration","prompt"],"additionalProperties":false,"properties":{"id":{"description":"Id of the shot, unique in its scene. Defaults to `shot-<n>`.","$ref":"#/$defs/id"},"duration":{"description":"Length of the shot in seconds; may be fractional inside a multi-shot clip (e.g. 2.5).","type":"number","exclusiveMinimum":0,"maximum":3600,"examples":[3]},"camera":{"description":"Camera framing or movement, put before the shot text as `<camera>. `.","type":"string","examples":["Wide shot"]},"prompt":{"description":"What the shot shows. A template like the scene prompt.","type":"string","minLength":1,"examples":["a rainy {{city}} street at night, {{characters.detective}} walking briskly"]},"dialogue":{"description":"Spoken line shown as a subtitle during the shot. Not sent to the model.","type":"string","examples":["The case was cold."]},"caption":{"description":"On-screen caption for the shot (subtitle files). Not sent to the model.","type":"string","examples":["New York, 1947"]}},"examples":[{"id":"door","duration":3,"camera":"Medium shot","prompt":"the detective enters an old building"}]};

function validate35(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate35.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.duration === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "duration"},message:"must have required property '"+"duration"+"'",schema:schema48.required,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.prompt === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "prompt"},message:"must have required property '"+"prompt"+"'",schema:schema48.required,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!((((((key0 === "id") || (key0 === "duration")) || (key0 === "camera")) || (key0 === "prompt")) || (key0 === "dialogue")) || (key0 === "caption"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.id !== undefined){
let data0 = data.id;
if(typeof data0 === "string"){
if(func2(data0) > 64){
const err3 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(!pattern5.test(data0)){
const err4 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.duration !== undefined){
let data1 = data.duration;
if((typeof data1 == "number") && (isFinite(data1))){
if(data1 > 3600 || isNaN(data1)){
const err6 = {instancePath:instancePath+"/duration",schemaPath:"#/properties/duration/maximum",keyword:"maximum",params:{comparison: "<=", limit: 3600},message:"must be <= 3600",schema:3600,parentSchema:schema48.properties.duration,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data1 <= 0 || isNaN(data1)){
const err7 = {instancePath:instancePath+"/duration",schemaPath:"#/properties/duration/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema48.properties.duration,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/duration",schemaPath:"#/properties/duration/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema48.properties.duration.type,parentSchema:schema48.properties.duration,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.camera !== undefined){
let data2 = data.camera;
if(typeof data2 !== "string"){
const err9 = {instancePath:instancePath+"/camera",schemaPath:"#/properties/camera/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.camera.type,parentSchema:schema48.properties.camera,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.prompt !== undefined){
let data3 = data.prompt;
if(typeof data3 === "string"){
if(func2(data3) < 1){
const err10 = {instancePath:instancePath+"/prompt",schemaPath:"#/properties/prompt/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema48.properties.prompt,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/prompt",schemaPath:"#/properties/prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.prompt.type,parentSchema:schema48.properties.prompt,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data.dialogue !== undefined){
let data4 = data.dialogue;
if(typeof data4 !== "string"){
const err12 = {instancePath:instancePath+"/dialogue",schemaPath:"#/properties/dialogue/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.dialogue.type,parentSchema:schema48.properties.dialogue,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.caption !== undefined){
let data5 = data.caption;
if(typeof data5 !== "string"){
const err13 = {instancePath:instancePath+"/caption",schemaPath:"#/properties/caption/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.caption.type,parentSchema:schema48.properties.caption,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
else {
const err14 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema48.type,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
validate35.errors = vErrors;
return errors === 0;
}
validate35.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema52 = {"description":"Clip continuation: the scene continued and how many of its last seconds are carried.","type":"object","required":["scene"],"additionalProperties":false,"properties":{"scene":{"description":"Id of the scene continued.","$ref":"#/$defs/id","examples":["launch"]},"carry":{"description":"Seconds of the continued clip's end sent as `first_clip` (2–10). Default: the `carry` setting, 2.","type":"integer","minimum":2,"maximum":10,"examples":[3]}},"examples":[{"scene":"launch","carry":3}]};

function validate37(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate37.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.scene === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "scene"},message:"must have required property '"+"scene"+"'",schema:schema52.required,parentSchema:schema52,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "scene") || (key0 === "carry"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema52,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.scene !== undefined){
let data0 = data.scene;
if(typeof data0 === "string"){
if(func2(data0) > 64){
const err2 = {instancePath:instancePath+"/scene",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(!pattern5.test(data0)){
const err3 = {instancePath:instancePath+"/scene",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/scene",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.carry !== undefined){
let data1 = data.carry;
if(!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))){
const err5 = {instancePath:instancePath+"/carry",schemaPath:"#/properties/carry/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema52.properties.carry.type,parentSchema:schema52.properties.carry,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if((typeof data1 == "number") && (isFinite(data1))){
if(data1 > 10 || isNaN(data1)){
const err6 = {instancePath:instancePath+"/carry",schemaPath:"#/properties/carry/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema52.properties.carry,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data1 < 2 || isNaN(data1)){
const err7 = {instancePath:instancePath+"/carry",schemaPath:"#/properties/carry/minimum",keyword:"minimum",params:{comparison: ">=", limit: 2},message:"must be >= 2",schema:2,parentSchema:schema52.properties.carry,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
}
else {
const err8 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema52.type,parentSchema:schema52,data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
validate37.errors = vErrors;
return errors === 0;
}
validate37.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const pattern15 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*(\\.(image|video))?$", "u");

function validate33(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate33.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(!(validate21(data, {instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'",schema:schema46.required,parentSchema:schema46,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.id !== undefined){
let data0 = data.id;
if(typeof data0 === "string"){
if(func2(data0) > 64){
const err1 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(!pattern5.test(data0)){
const err2 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.title !== undefined){
let data1 = data.title;
if(typeof data1 !== "string"){
const err4 = {instancePath:instancePath+"/title",schemaPath:"#/properties/title/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.properties.title.type,parentSchema:schema46.properties.title,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.prompt !== undefined){
let data2 = data.prompt;
if(typeof data2 !== "string"){
const err5 = {instancePath:instancePath+"/prompt",schemaPath:"#/properties/prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.properties.prompt.type,parentSchema:schema46.properties.prompt,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.shots !== undefined){
let data3 = data.shots;
if(Array.isArray(data3)){
if(data3.length < 1){
const err6 = {instancePath:instancePath+"/shots",schemaPath:"#/properties/shots/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema46.properties.shots,data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
if(!(validate35(data3[i0], {instancePath:instancePath+"/shots/" + i0,parentData:data3,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate35.errors : vErrors.concat(validate35.errors);
errors = vErrors.length;
}
}
}
else {
const err7 = {instancePath:instancePath+"/shots",schemaPath:"#/properties/shots/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema46.properties.shots.type,parentSchema:schema46.properties.shots,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.parts !== undefined){
let data5 = data.parts;
if(Array.isArray(data5)){
if(data5.length < 2){
const err8 = {instancePath:instancePath+"/parts",schemaPath:"#/properties/parts/minItems",keyword:"minItems",params:{limit: 2},message:"must NOT have fewer than 2 items",schema:2,parentSchema:schema46.properties.parts,data:data5};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
const len1 = data5.length;
for(let i1=0; i1<len1; i1++){
let data6 = data5[i1];
const _errs14 = errors;
let valid6 = false;
const _errs15 = errors;
if(typeof data6 === "string"){
if(func2(data6) < 1){
const err9 = {instancePath:instancePath+"/parts/" + i1,schemaPath:"#/properties/parts/items/anyOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46.properties.parts.items.anyOf[0],data:data6};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/parts/" + i1,schemaPath:"#/properties/parts/items/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.properties.parts.items.anyOf[0].type,parentSchema:schema46.properties.parts.items.anyOf[0],data:data6};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
var _valid0 = _errs15 === errors;
valid6 = valid6 || _valid0;
const _errs17 = errors;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6.prompt === undefined){
const err11 = {instancePath:instancePath+"/parts/" + i1,schemaPath:"#/$defs/part/required",keyword:"required",params:{missingProperty: "prompt"},message:"must have required property '"+"prompt"+"'",schema:schema50.required,parentSchema:schema50,data:data6};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
for(const key0 in data6){
if(!((key0 === "prompt") || (key0 === "duration"))){
const err12 = {instancePath:instancePath+"/parts/" + i1,schemaPath:"#/$defs/part/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema50,data:data6};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data6.prompt !== undefined){
let data7 = data6.prompt;
if(typeof data7 === "string"){
if(func2(data7) < 1){
const err13 = {instancePath:instancePath+"/parts/" + i1+"/prompt",schemaPath:"#/$defs/part/properties/prompt/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema50.properties.prompt,data:data7};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/parts/" + i1+"/prompt",schemaPath:"#/$defs/part/properties/prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema50.properties.prompt.type,parentSchema:schema50.properties.prompt,data:data7};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data6.duration !== undefined){
let data8 = data6.duration;
if(!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))){
const err15 = {instancePath:instancePath+"/parts/" + i1+"/duration",schemaPath:"#/$defs/part/properties/duration/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema50.properties.duration.type,parentSchema:schema50.properties.duration,data:data8};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if((typeof data8 == "number") && (isFinite(data8))){
if(data8 < 1 || isNaN(data8)){
const err16 = {instancePath:instancePath+"/parts/" + i1+"/duration",schemaPath:"#/$defs/part/properties/duration/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema50.properties.duration,data:data8};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
}
else {
const err17 = {instancePath:instancePath+"/parts/" + i1,schemaPath:"#/$defs/part/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema50.type,parentSchema:schema50,data:data6};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
var _valid0 = _errs17 === errors;
valid6 = valid6 || _valid0;
if(!valid6){
const err18 = {instancePath:instancePath+"/parts/" + i1,schemaPath:"#/properties/parts/items/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema46.properties.parts.items.anyOf,parentSchema:schema46.properties.parts.items,data:data6};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
else {
errors = _errs14;
if(vErrors !== null){
if(_errs14){
vErrors.length = _errs14;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err19 = {instancePath:instancePath+"/parts",schemaPath:"#/properties/parts/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema46.properties.parts.type,parentSchema:schema46.properties.parts,data:data5};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.continues !== undefined){
let data9 = data.continues;
const _errs26 = errors;
let valid9 = false;
const _errs27 = errors;
if(typeof data9 === "string"){
if(func2(data9) > 64){
const err20 = {instancePath:instancePath+"/continues",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema37,data:data9};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(!pattern5.test(data9)){
const err21 = {instancePath:instancePath+"/continues",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema37,data:data9};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/continues",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data9};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
var _valid1 = _errs27 === errors;
valid9 = valid9 || _valid1;
const _errs30 = errors;
if(!(validate37(data9, {instancePath:instancePath+"/continues",parentData:data,parentDataProperty:"continues",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate37.errors : vErrors.concat(validate37.errors);
errors = vErrors.length;
}
var _valid1 = _errs30 === errors;
valid9 = valid9 || _valid1;
if(!valid9){
const err23 = {instancePath:instancePath+"/continues",schemaPath:"#/properties/continues/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema46.properties.continues.anyOf,parentSchema:schema46.properties.continues,data:data9};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
else {
errors = _errs26;
if(vErrors !== null){
if(_errs26){
vErrors.length = _errs26;
}
else {
vErrors = null;
}
}
}
}
if(data.first_frame !== undefined){
if(!(validate22(data.first_frame, {instancePath:instancePath+"/first_frame",parentData:data,parentDataProperty:"first_frame",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
}
if(data.last_frame !== undefined){
if(!(validate22(data.last_frame, {instancePath:instancePath+"/last_frame",parentData:data,parentDataProperty:"last_frame",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
errors = vErrors.length;
}
}
if(data.cast !== undefined){
let data12 = data.cast;
if(Array.isArray(data12)){
if(data12.length < 1){
const err24 = {instancePath:instancePath+"/cast",schemaPath:"#/properties/cast/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema46.properties.cast,data:data12};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
const len2 = data12.length;
for(let i2=0; i2<len2; i2++){
let data13 = data12[i2];
if(typeof data13 === "string"){
if(!pattern15.test(data13)){
const err25 = {instancePath:instancePath+"/cast/" + i2,schemaPath:"#/properties/cast/items/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*(\\.(image|video))?$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*(\\.(image|video))?$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*(\\.(image|video))?$",parentSchema:schema46.properties.cast.items,data:data13};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
else {
const err26 = {instancePath:instancePath+"/cast/" + i2,schemaPath:"#/properties/cast/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.properties.cast.items.type,parentSchema:schema46.properties.cast.items,data:data13};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
}
else {
const err27 = {instancePath:instancePath+"/cast",schemaPath:"#/properties/cast/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema46.properties.cast.type,parentSchema:schema46.properties.cast,data:data12};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
for(const key1 in data){
if((((((((((((((((((((((((((((key1 !== "id") && (key1 !== "title")) && (key1 !== "prompt")) && (key1 !== "shots")) && (key1 !== "parts")) && (key1 !== "continues")) && (key1 !== "first_frame")) && (key1 !== "last_frame")) && (key1 !== "cast")) && (key1 !== "model")) && (key1 !== "resolution")) && (key1 !== "ratio")) && (key1 !== "size")) && (key1 !== "duration")) && (key1 !== "seed")) && (key1 !== "prompt_extend")) && (key1 !== "watermark")) && (key1 !== "negative_prompt")) && (key1 !== "shot_type")) && (key1 !== "audio")) && (key1 !== "style")) && (key1 !== "transition")) && (key1 !== "continuation")) && (key1 !== "carry")) && (key1 !== "anchor")) && (key1 !== "colour_match")) && (key1 !== "reanchor")) && (key1 !== "seam_frame")){
const err28 = {instancePath,schemaPath:"#/unevaluatedProperties",keyword:"unevaluatedProperties",params:{unevaluatedProperty: key1},message:"must NOT have unevaluated properties",schema:false,parentSchema:schema46,data};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
else {
const err29 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema46.type,parentSchema:schema46,data};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
validate33.errors = vErrors;
return errors === 0;
}
validate33.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema54 = {"description":"How the film is assembled.","type":"object","additionalProperties":false,"properties":{"file":{"description":"Where the film is written, relative to the storyboard's directory. Default `out/<storyboard name>.mp4`.","type":"string","pattern":"\\.mp4$","examples":["out/rain-city.mp4"]},"resolution":{"description":"Output size as `W*H`. Default: the size of the first clip.","type":"string","pattern":"^[0-9]+\\*[0-9]+$","examples":["1920*1080"]},"fit":{"description":"How clips of another shape fill the output: `cover` (crop), `contain` (letter/pillarbox) or `stretch`. Default `contain`.","enum":["cover","contain","stretch"],"examples":["contain"]},"transition":{"description":"Default transition between scenes. Default `cut`.","$ref":"#/$defs/transition"},"seam":{"description":"Dissolve length in seconds at seams inside a continuity chain; 0 (the default) joins them frame-exactly.","type":"number","minimum":0,"maximum":2,"examples":[0]},"music":{"description":"Background music under the whole film.","type":"object","required":["file"],"additionalProperties":false,"properties":{"file":{"description":"Audio file (wav, mp3, m4a, ...).","$ref":"#/$defs/path"},"volume":{"description":"Gain, 0 to 2. Default 0.3.","type":"number","minimum":0,"maximum":2,"examples":[0.3]},"fade_in":{"description":"Fade-in seconds. Default 0.","type":"number","minimum":0,"examples":[1]},"fade_out":{"description":"Fade-out seconds at the end of the film. Default 0.","type":"number","minimum":0,"examples":[2]},"loop":{"description":"Repeat the music when it is shorter than the film. Default true.","type":"boolean","examples":[true]},"duck":{"description":"Lower the music while clips have their own sound. Default false.","type":"boolean","examples":[true]}},"examples":[{"file":"audio/score.mp3","volume":0.3}]},"subtitles":{"description":"Subtitle files from shot `dialogue`/`caption`: sidecar `.srt` and `.vtt`, optionally burned in.","type":"object","additionalProperties":false,"properties":{"srt":{"description":"Write `<output>.srt`. Default true when any shot has text.","type":"boolean","examples":[true]},"vtt":{"description":"Write `<output>.vtt`. Default true when any shot has text.","type":"boolean","examples":[true]},"burn":{"description":"Burn subtitles into the picture. Default false.","type":"boolean","examples":[false]}},"examples":[{"srt":true,"vtt":true,"burn":false}]},"chapters":{"description":"Write one MP4 chapter per scene. Default true.","type":"boolean","examples":[true]}},"examples":[{"file":"out/rain-city.mp4","transition":{"type":"cut"}}]};
const pattern16 = new RegExp("\\.mp4$", "u");

function validate42(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate42.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!((((((((key0 === "file") || (key0 === "resolution")) || (key0 === "fit")) || (key0 === "transition")) || (key0 === "seam")) || (key0 === "music")) || (key0 === "subtitles")) || (key0 === "chapters"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema54,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.file !== undefined){
let data0 = data.file;
if(typeof data0 === "string"){
if(!pattern16.test(data0)){
const err1 = {instancePath:instancePath+"/file",schemaPath:"#/properties/file/pattern",keyword:"pattern",params:{pattern: "\\.mp4$"},message:"must match pattern \""+"\\.mp4$"+"\"",schema:"\\.mp4$",parentSchema:schema54.properties.file,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath:instancePath+"/file",schemaPath:"#/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema54.properties.file.type,parentSchema:schema54.properties.file,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.resolution !== undefined){
let data1 = data.resolution;
if(typeof data1 === "string"){
if(!pattern4.test(data1)){
const err3 = {instancePath:instancePath+"/resolution",schemaPath:"#/properties/resolution/pattern",keyword:"pattern",params:{pattern: "^[0-9]+\\*[0-9]+$"},message:"must match pattern \""+"^[0-9]+\\*[0-9]+$"+"\"",schema:"^[0-9]+\\*[0-9]+$",parentSchema:schema54.properties.resolution,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/resolution",schemaPath:"#/properties/resolution/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema54.properties.resolution.type,parentSchema:schema54.properties.resolution,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.fit !== undefined){
let data2 = data.fit;
if(!(((data2 === "cover") || (data2 === "contain")) || (data2 === "stretch"))){
const err5 = {instancePath:instancePath+"/fit",schemaPath:"#/properties/fit/enum",keyword:"enum",params:{allowedValues: schema54.properties.fit.enum},message:"must be equal to one of the allowed values",schema:schema54.properties.fit.enum,parentSchema:schema54.properties.fit,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.transition !== undefined){
let data3 = data.transition;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(data3.type === undefined){
const err6 = {instancePath:instancePath+"/transition",schemaPath:"#/$defs/transition/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema33.required,parentSchema:schema33,data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
for(const key1 in data3){
if(!((key1 === "type") || (key1 === "duration"))){
const err7 = {instancePath:instancePath+"/transition",schemaPath:"#/$defs/transition/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema33,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data3.type !== undefined){
let data4 = data3.type;
if(!(((((((data4 === "cut") || (data4 === "dissolve")) || (data4 === "fade")) || (data4 === "wipeleft")) || (data4 === "wiperight")) || (data4 === "wipeup")) || (data4 === "wipedown"))){
const err8 = {instancePath:instancePath+"/transition/type",schemaPath:"#/$defs/transition/properties/type/enum",keyword:"enum",params:{allowedValues: schema33.properties.type.enum},message:"must be equal to one of the allowed values",schema:schema33.properties.type.enum,parentSchema:schema33.properties.type,data:data4};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data3.duration !== undefined){
let data5 = data3.duration;
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 5 || isNaN(data5)){
const err9 = {instancePath:instancePath+"/transition/duration",schemaPath:"#/$defs/transition/properties/duration/maximum",keyword:"maximum",params:{comparison: "<=", limit: 5},message:"must be <= 5",schema:5,parentSchema:schema33.properties.duration,data:data5};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data5 <= 0 || isNaN(data5)){
const err10 = {instancePath:instancePath+"/transition/duration",schemaPath:"#/$defs/transition/properties/duration/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema33.properties.duration,data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/transition/duration",schemaPath:"#/$defs/transition/properties/duration/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema33.properties.duration.type,parentSchema:schema33.properties.duration,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath:instancePath+"/transition",schemaPath:"#/$defs/transition/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.type,parentSchema:schema33,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.seam !== undefined){
let data6 = data.seam;
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 > 2 || isNaN(data6)){
const err13 = {instancePath:instancePath+"/seam",schemaPath:"#/properties/seam/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2},message:"must be <= 2",schema:2,parentSchema:schema54.properties.seam,data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(data6 < 0 || isNaN(data6)){
const err14 = {instancePath:instancePath+"/seam",schemaPath:"#/properties/seam/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema54.properties.seam,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
else {
const err15 = {instancePath:instancePath+"/seam",schemaPath:"#/properties/seam/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema54.properties.seam.type,parentSchema:schema54.properties.seam,data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.music !== undefined){
let data7 = data.music;
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
if(data7.file === undefined){
const err16 = {instancePath:instancePath+"/music",schemaPath:"#/properties/music/required",keyword:"required",params:{missingProperty: "file"},message:"must have required property '"+"file"+"'",schema:schema54.properties.music.required,parentSchema:schema54.properties.music,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
for(const key2 in data7){
if(!((((((key2 === "file") || (key2 === "volume")) || (key2 === "fade_in")) || (key2 === "fade_out")) || (key2 === "loop")) || (key2 === "duck"))){
const err17 = {instancePath:instancePath+"/music",schemaPath:"#/properties/music/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema54.properties.music,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data7.file !== undefined){
let data8 = data7.file;
if(typeof data8 === "string"){
if(func2(data8) > 2048){
const err18 = {instancePath:instancePath+"/music/file",schemaPath:"#/$defs/path/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema35,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(func2(data8) < 1){
const err19 = {instancePath:instancePath+"/music/file",schemaPath:"#/$defs/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema35,data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
else {
const err20 = {instancePath:instancePath+"/music/file",schemaPath:"#/$defs/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data8};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data7.volume !== undefined){
let data9 = data7.volume;
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 > 2 || isNaN(data9)){
const err21 = {instancePath:instancePath+"/music/volume",schemaPath:"#/properties/music/properties/volume/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2},message:"must be <= 2",schema:2,parentSchema:schema54.properties.music.properties.volume,data:data9};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if(data9 < 0 || isNaN(data9)){
const err22 = {instancePath:instancePath+"/music/volume",schemaPath:"#/properties/music/properties/volume/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema54.properties.music.properties.volume,data:data9};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
else {
const err23 = {instancePath:instancePath+"/music/volume",schemaPath:"#/properties/music/properties/volume/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema54.properties.music.properties.volume.type,parentSchema:schema54.properties.music.properties.volume,data:data9};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data7.fade_in !== undefined){
let data10 = data7.fade_in;
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 < 0 || isNaN(data10)){
const err24 = {instancePath:instancePath+"/music/fade_in",schemaPath:"#/properties/music/properties/fade_in/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema54.properties.music.properties.fade_in,data:data10};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
else {
const err25 = {instancePath:instancePath+"/music/fade_in",schemaPath:"#/properties/music/properties/fade_in/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema54.properties.music.properties.fade_in.type,parentSchema:schema54.properties.music.properties.fade_in,data:data10};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data7.fade_out !== undefined){
let data11 = data7.fade_out;
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 < 0 || isNaN(data11)){
const err26 = {instancePath:instancePath+"/music/fade_out",schemaPath:"#/properties/music/properties/fade_out/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema54.properties.music.properties.fade_out,data:data11};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
else {
const err27 = {instancePath:instancePath+"/music/fade_out",schemaPath:"#/properties/music/properties/fade_out/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema54.properties.music.properties.fade_out.type,parentSchema:schema54.properties.music.properties.fade_out,data:data11};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data7.loop !== undefined){
let data12 = data7.loop;
if(typeof data12 !== "boolean"){
const err28 = {instancePath:instancePath+"/music/loop",schemaPath:"#/properties/music/properties/loop/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema54.properties.music.properties.loop.type,parentSchema:schema54.properties.music.properties.loop,data:data12};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data7.duck !== undefined){
let data13 = data7.duck;
if(typeof data13 !== "boolean"){
const err29 = {instancePath:instancePath+"/music/duck",schemaPath:"#/properties/music/properties/duck/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema54.properties.music.properties.duck.type,parentSchema:schema54.properties.music.properties.duck,data:data13};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
}
else {
const err30 = {instancePath:instancePath+"/music",schemaPath:"#/properties/music/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema54.properties.music.type,parentSchema:schema54.properties.music,data:data7};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data.subtitles !== undefined){
let data14 = data.subtitles;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
for(const key3 in data14){
if(!(((key3 === "srt") || (key3 === "vtt")) || (key3 === "burn"))){
const err31 = {instancePath:instancePath+"/subtitles",schemaPath:"#/properties/subtitles/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema54.properties.subtitles,data:data14};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data14.srt !== undefined){
let data15 = data14.srt;
if(typeof data15 !== "boolean"){
const err32 = {instancePath:instancePath+"/subtitles/srt",schemaPath:"#/properties/subtitles/properties/srt/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema54.properties.subtitles.properties.srt.type,parentSchema:schema54.properties.subtitles.properties.srt,data:data15};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data14.vtt !== undefined){
let data16 = data14.vtt;
if(typeof data16 !== "boolean"){
const err33 = {instancePath:instancePath+"/subtitles/vtt",schemaPath:"#/properties/subtitles/properties/vtt/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema54.properties.subtitles.properties.vtt.type,parentSchema:schema54.properties.subtitles.properties.vtt,data:data16};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data14.burn !== undefined){
let data17 = data14.burn;
if(typeof data17 !== "boolean"){
const err34 = {instancePath:instancePath+"/subtitles/burn",schemaPath:"#/properties/subtitles/properties/burn/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema54.properties.subtitles.properties.burn.type,parentSchema:schema54.properties.subtitles.properties.burn,data:data17};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath:instancePath+"/subtitles",schemaPath:"#/properties/subtitles/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema54.properties.subtitles.type,parentSchema:schema54.properties.subtitles,data:data14};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data.chapters !== undefined){
let data18 = data.chapters;
if(typeof data18 !== "boolean"){
const err36 = {instancePath:instancePath+"/chapters",schemaPath:"#/properties/chapters/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema54.properties.chapters.type,parentSchema:schema54.properties.chapters,data:data18};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
else {
const err37 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema54.type,parentSchema:schema54,data};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
validate42.errors = vErrors;
return errors === 0;
}
validate42.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const pattern6 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", "u");

function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
/*# sourceURL="urn:storyboard-compiler:storyboard:1" */;
let vErrors = null;
let errors = 0;
const evaluated0 = validate20.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.version === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.scenes === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "scenes"},message:"must have required property '"+"scenes"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema31.properties, key0))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.version !== undefined){
let data0 = data.version;
if(1 !== data0){
const err3 = {instancePath:instancePath+"/version",schemaPath:"#/properties/version/const",keyword:"const",params:{allowedValue: 1},message:"must be equal to constant",schema:1,parentSchema:schema31.properties.version,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.title !== undefined){
let data1 = data.title;
if(typeof data1 === "string"){
if(func2(data1) > 200){
const err4 = {instancePath:instancePath+"/title",schemaPath:"#/properties/title/maxLength",keyword:"maxLength",params:{limit: 200},message:"must NOT have more than 200 characters",schema:200,parentSchema:schema31.properties.title,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/title",schemaPath:"#/properties/title/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema31.properties.title.type,parentSchema:schema31.properties.title,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.description !== undefined){
let data2 = data.description;
if(typeof data2 !== "string"){
const err6 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema31.properties.description.type,parentSchema:schema31.properties.description,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.defaults !== undefined){
let data3 = data.defaults;
if(!(validate21(data3, {instancePath:instancePath+"/defaults",parentData:data,parentDataProperty:"defaults",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
for(const key1 in data3){
if(((((((((((((((((((key1 !== "model") && (key1 !== "resolution")) && (key1 !== "ratio")) && (key1 !== "size")) && (key1 !== "duration")) && (key1 !== "seed")) && (key1 !== "prompt_extend")) && (key1 !== "watermark")) && (key1 !== "negative_prompt")) && (key1 !== "shot_type")) && (key1 !== "audio")) && (key1 !== "style")) && (key1 !== "transition")) && (key1 !== "continuation")) && (key1 !== "carry")) && (key1 !== "anchor")) && (key1 !== "colour_match")) && (key1 !== "reanchor")) && (key1 !== "seam_frame")){
const err7 = {instancePath:instancePath+"/defaults",schemaPath:"#/properties/defaults/unevaluatedProperties",keyword:"unevaluatedProperties",params:{unevaluatedProperty: key1},message:"must NOT have unevaluated properties",schema:false,parentSchema:schema31.properties.defaults,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
else {
const err8 = {instancePath:instancePath+"/defaults",schemaPath:"#/properties/defaults/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.defaults.type,parentSchema:schema31.properties.defaults,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.vars !== undefined){
let data4 = data.vars;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
for(const key2 in data4){
const _errs12 = errors;
if(typeof key2 === "string"){
if(func2(key2) > 64){
const err9 = {instancePath:instancePath+"/vars",schemaPath:"#/$defs/name/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema38,data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(!pattern6.test(key2)){
const err10 = {instancePath:instancePath+"/vars",schemaPath:"#/$defs/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema38,data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/vars",schemaPath:"#/$defs/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.type,parentSchema:schema38,data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
var valid1 = _errs12 === errors;
if(!valid1){
const err12 = {instancePath:instancePath+"/vars",schemaPath:"#/properties/vars/propertyNames",keyword:"propertyNames",params:{propertyName: key2},message:"property name must be valid",schema:schema31.properties.vars.propertyNames,parentSchema:schema31.properties.vars,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
for(const key3 in data4){
let data5 = data4[key3];
if(((typeof data5 !== "string") && (!((typeof data5 == "number") && (isFinite(data5))))) && (typeof data5 !== "boolean")){
const err13 = {instancePath:instancePath+"/vars/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/vars/additionalProperties/type",keyword:"type",params:{type: schema31.properties.vars.additionalProperties.type},message:"must be string,number,boolean",schema:schema31.properties.vars.additionalProperties.type,parentSchema:schema31.properties.vars.additionalProperties,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
else {
const err14 = {instancePath:instancePath+"/vars",schemaPath:"#/properties/vars/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.vars.type,parentSchema:schema31.properties.vars,data:data4};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.characters !== undefined){
let data6 = data.characters;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
for(const key4 in data6){
const _errs20 = errors;
if(typeof key4 === "string"){
if(func2(key4) > 64){
const err15 = {instancePath:instancePath+"/characters",schemaPath:"#/$defs/name/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema38,data:key4,propertyName:key4};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(!pattern6.test(key4)){
const err16 = {instancePath:instancePath+"/characters",schemaPath:"#/$defs/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema38,data:key4,propertyName:key4};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
else {
const err17 = {instancePath:instancePath+"/characters",schemaPath:"#/$defs/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.type,parentSchema:schema38,data:key4,propertyName:key4};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
var valid4 = _errs20 === errors;
if(!valid4){
const err18 = {instancePath:instancePath+"/characters",schemaPath:"#/properties/characters/propertyNames",keyword:"propertyNames",params:{propertyName: key4},message:"property name must be valid",schema:schema31.properties.characters.propertyNames,parentSchema:schema31.properties.characters,data:data6};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
for(const key5 in data6){
if(!(validate27(data6[key5], {instancePath:instancePath+"/characters/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data6,parentDataProperty:key5,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
}
}
else {
const err19 = {instancePath:instancePath+"/characters",schemaPath:"#/properties/characters/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.characters.type,parentSchema:schema31.properties.characters,data:data6};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.styles !== undefined){
let data8 = data.styles;
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
for(const key6 in data8){
const _errs27 = errors;
if(typeof key6 === "string"){
if(func2(key6) > 64){
const err20 = {instancePath:instancePath+"/styles",schemaPath:"#/$defs/name/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema38,data:key6,propertyName:key6};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(!pattern6.test(key6)){
const err21 = {instancePath:instancePath+"/styles",schemaPath:"#/$defs/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema38,data:key6,propertyName:key6};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/styles",schemaPath:"#/$defs/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.type,parentSchema:schema38,data:key6,propertyName:key6};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
var valid7 = _errs27 === errors;
if(!valid7){
const err23 = {instancePath:instancePath+"/styles",schemaPath:"#/properties/styles/propertyNames",keyword:"propertyNames",params:{propertyName: key6},message:"property name must be valid",schema:schema31.properties.styles.propertyNames,parentSchema:schema31.properties.styles,data:data8};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
for(const key7 in data8){
let data9 = data8[key7];
if(typeof data9 === "string"){
if(func2(data9) < 1){
const err24 = {instancePath:instancePath+"/styles/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/styles/additionalProperties/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema31.properties.styles.additionalProperties,data:data9};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
else {
const err25 = {instancePath:instancePath+"/styles/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/styles/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema31.properties.styles.additionalProperties.type,parentSchema:schema31.properties.styles.additionalProperties,data:data9};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
}
else {
const err26 = {instancePath:instancePath+"/styles",schemaPath:"#/properties/styles/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.styles.type,parentSchema:schema31.properties.styles,data:data8};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data.stills !== undefined){
let data10 = data.stills;
if(Array.isArray(data10)){
if(data10.length < 1){
const err27 = {instancePath:instancePath+"/stills",schemaPath:"#/properties/stills/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema31.properties.stills,data:data10};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
const len0 = data10.length;
for(let i0=0; i0<len0; i0++){
if(!(validate30(data10[i0], {instancePath:instancePath+"/stills/" + i0,parentData:data10,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate30.errors : vErrors.concat(validate30.errors);
errors = vErrors.length;
}
}
}
else {
const err28 = {instancePath:instancePath+"/stills",schemaPath:"#/properties/stills/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema31.properties.stills.type,parentSchema:schema31.properties.stills,data:data10};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data.scenes !== undefined){
let data12 = data.scenes;
if(Array.isArray(data12)){
if(data12.length < 1){
const err29 = {instancePath:instancePath+"/scenes",schemaPath:"#/properties/scenes/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema31.properties.scenes,data:data12};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
const len1 = data12.length;
for(let i1=0; i1<len1; i1++){
if(!(validate33(data12[i1], {instancePath:instancePath+"/scenes/" + i1,parentData:data12,parentDataProperty:i1,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate33.errors : vErrors.concat(validate33.errors);
errors = vErrors.length;
}
}
}
else {
const err30 = {instancePath:instancePath+"/scenes",schemaPath:"#/properties/scenes/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema31.properties.scenes.type,parentSchema:schema31.properties.scenes,data:data12};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data.output !== undefined){
if(!(validate42(data.output, {instancePath:instancePath+"/output",parentData:data,parentDataProperty:"output",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate42.errors : vErrors.concat(validate42.errors);
errors = vErrors.length;
}
}
if(data.budget !== undefined){
let data15 = data.budget;
if((typeof data15 == "number") && (isFinite(data15))){
if(data15 <= 0 || isNaN(data15)){
const err31 = {instancePath:instancePath+"/budget",schemaPath:"#/properties/budget/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema31.properties.budget,data:data15};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/budget",schemaPath:"#/properties/budget/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema31.properties.budget.type,parentSchema:schema31.properties.budget,data:data15};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
}
else {
const err33 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.type,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
validate20.errors = vErrors;
return errors === 0;
}
validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

/** Validates a value against the storyboard JSON Schema; its `errors` are ajv error objects (allErrors, verbose). */
export const validateStoryboardSchema = validateSchema as ValidateFunction;
