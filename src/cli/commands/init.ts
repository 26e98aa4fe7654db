// `storyboard init [dir]`: scaffolds a storyboard project (example storyboard, its keyframe, a schema copy,
// `.gitignore`, README).
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import schema from '../../../schemas/storyboard.schema.json' with { type: 'json' };
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { encodePng } from '../../assets/encode-png.js';
import { judgeOutputPath } from '../../io/safe-output.js';

// The modeline points at a copy of the schema inside the project (`schema/`), not at node_modules: it works
// for a global install, `npx` and editors opened on the project alone, and matches the CLI that made it.

const STORYBOARD = `# yaml-language-server: $schema=./schema/storyboard.schema.json
# An example to start from: a scene that starts on a keyframe, a multi-shot scene, and a scene that
# continues it. Render it for free with the offline preview:  storyboard render storyboard.yaml
version: 1
title: First Light
description: >-
  A painter in a fishing town starts a painting of the sea at dawn.

defaults:
  resolution: 720P
  ratio: "16:9"          # used by text-to-video scenes; image-driven scenes take their first frame's shape
  prompt_extend: false   # send the prompts exactly as written
  watermark: false
  style: warm

vars:
  town: a small fishing town

characters:
  painter: a young painter in a paint-stained denim jacket and a yellow knitted hat

styles:
  warm: Cinematic, soft natural light, warm colours, gentle film grain.

scenes:
  - id: dawn
    title: Dawn
    model: wan2.7-i2v                 # image-to-video: starts on the keyframe
    first_frame: keyframes/dawn.png
    duration: 4
    prompt: >-
      Dawn over the sea beside {{town}}: the sun rises from the horizon and the
      sky turns from deep blue to warm orange. Slow push in.

  - id: studio
    title: The studio
    model: wan2.7-t2v                 # its shots become one clip: "Shot 1 [0-2 s]: ... Shot 2 [2-5 s]: ..."
    prompt: In an attic studio in {{town}}, {{characters.painter}} begins a painting of the sea.
    shots:
      - id: easel
        duration: 2
        camera: Wide shot
        prompt: The painter sets a blank canvas on the easel by the open window.
        caption: Early morning
      - id: brush
        duration: 3
        camera: Close-up
        prompt: A brush loaded with orange paint touches the white canvas.
        dialogue: Today, the sea.

  - id: window
    title: The window
    model: wan2.7-i2v
    continues: studio                 # starts on the exact last frame of \`studio\`
    duration: 3
    prompt: The painter looks up from the canvas and out of the window at the sea, smiling.

output:
  file: out/first-light.mp4
  transition: { type: dissolve, duration: 0.5 }
`;

const README = `# First Light

A storyboard project made by \`storyboard init\`.

| file | what it is |
|---|---|
| \`storyboard.yaml\` | the film: scenes, shots, characters and styles. Edit this. |
| \`keyframes/dawn.png\` | the first frame of the \`dawn\` scene; replace it with your own image (JPEG or PNG without transparency). |
| \`schema/storyboard.schema.json\` | the format, for completion and hover help in editors with the YAML language server (the first line of \`storyboard.yaml\` points at it). |
| \`storyboard.lock.json\` | written by every render: model, seed, prompt and hash of each clip. Commit it. |
| \`.storyboard/\`, \`out/\` | the clip cache and the rendered film; not committed. |

## Render

\`\`\`sh
storyboard validate storyboard.yaml          # check it (errors point at file:line:col)
storyboard render storyboard.yaml            # free, offline preview: out/first-light.mp4
storyboard compile storyboard.yaml --prompts # the exact prompt of every clip
storyboard compile storyboard.yaml           # the plan: every request, with its estimated cost
\`\`\`

(Use \`npx storyboard …\` where the command is installed in a project rather than on your PATH.)

## With the real API

\`\`\`sh
DASHSCOPE_API_KEY=sk-… storyboard render --backend dashscope storyboard.yaml
\`\`\`

The render shows the estimated cost of the clips it has to make and asks before spending (\`--yes\` skips
the question). Clips already made are never paid for again.
`;

const GITIGNORE_LINES = ['.storyboard/', 'out/'];

/**
 * `storyboard init [dir]`: scaffolds a storyboard project in `dir` (default `.`, created if missing): an example
 * `storyboard.yaml`, its keyframe, a copy of the schema, `.gitignore` and `README.md`. Refuses (exit 2) to
 * overwrite an existing `storyboard.yaml`; other existing files are kept (`.gitignore` gets the missing lines).
 */
export async function initCommand(dir: string | undefined, out: Output): Promise<number> {
  const root = dir ?? '.';
  const target = join(root, 'storyboard.yaml');
  if (await exists(target)) {
    out.err(`storyboard: ${target} already exists; init never overwrites a storyboard (choose another directory, or move it away first)`);
    return EXIT.usage;
  }
  try {
    await mkdir(root, { recursive: true });
    const refused = await leadsOutside(root, target);
    if (refused) {
      out.err(`storyboard: ${refused}; init writes only inside the project (nothing was written)`);
      return EXIT.usage;
    }
    await mkdir(join(root, 'keyframes'), { recursive: true });
    await mkdir(join(root, 'schema'), { recursive: true });
    const notes = [
      await writeNew(join(root, 'keyframes', 'dawn.png'), dawnKeyframe()),
      await writeReplacing(join(root, 'schema', 'storyboard.schema.json'), JSON.stringify(schema, null, 2) + '\n'),
      await ensureGitignore(join(root, '.gitignore')),
      await writeNew(join(root, 'README.md'), README),
    ];
    await writeFile(target, STORYBOARD, { flag: 'wx' });
    out.out(`Created a storyboard project in ${root}:\n  ${[`${target} (created)`, ...notes].join('\n  ')}`);
    out.out(`Next: storyboard render ${target}   (a free, offline preview; see ${join(root, 'README.md')})`);
    return EXIT.ok;
  } catch (e) {
    out.err(`storyboard: cannot create the project in ${root}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
}

/**
 * Why init must not write in `root`: a file or folder it would write is a symbolic link (or lies behind one)
 * that leads outside the project, judged by real path like everything the tool writes; undefined when all stay inside.
 */
async function leadsOutside(root: string, storyboard: string): Promise<string | undefined> {
  const paths = [join(root, 'keyframes'), join(root, 'keyframes', 'dawn.png'), join(root, 'schema'), join(root, 'schema', 'storyboard.schema.json'),
    join(root, '.gitignore'), join(root, 'README.md'), storyboard];
  for (const path of paths) {
    const verdict = await judgeOutputPath(root, path);
    if (verdict.inside) continue;
    const where = verdict.realPath === undefined ? 'a symbolic link on its way loops or cannot be read' : `it is a symbolic link that leads outside the project, to ${verdict.realPath}`;
    return `refusing to write ${relative(root, path) || path}: ${where}`;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Writes a file unless it exists (the user's version is kept). */
async function writeNew(path: string, content: string | Uint8Array): Promise<string> {
  if (await exists(path)) return `${path} (kept)`;
  await writeFile(path, content, { flag: 'wx' });
  return `${path} (created)`;
}

/** Writes a file that belongs to the tool (the schema copy matches the CLI that wrote it). */
async function writeReplacing(path: string, content: string): Promise<string> {
  const had = await exists(path);
  await writeFile(path, content);
  return `${path} (${had ? 'updated' : 'created'})`;
}

/** Creates `.gitignore`, or appends the lines it lacks; the lock file is deliberately not ignored. */
async function ensureGitignore(path: string): Promise<string> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  const have = new Set((current ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l));
  if (current !== undefined && missing.length === 0) return `${path} (kept)`;
  const block = `# storyboard: clip cache and rendered films (storyboard.lock.json is meant to be committed)\n${missing.join('\n')}\n`;
  if (current === undefined) {
    await writeFile(path, block);
    return `${path} (created)`;
  }
  await appendFile(path, (current === '' || current.endsWith('\n') ? '' : '\n') + block);
  return `${path} (added ${missing.join(', ')})`;
}

/** A 640×360 RGB keyframe (no alpha): a dawn sky fading from deep blue to orange over a darker sea, with a rising sun. */
function dawnKeyframe(): Uint8Array {
  const width = 640;
  const height = 360;
  const horizon = 230;
  const mix = (a: readonly number[], b: readonly number[], t: number): number[] => a.map((v, i) => Math.round(v + ((b[i] ?? v) - v) * t));
  return encodePng(width, height, (x, y) => {
    const dx = x - 320;
    const dy = y - horizon;
    if (y < horizon && dx * dx + dy * dy < 45 * 45) return [255, 214, 140];
    if (y < horizon) return mix([27, 42, 74], [244, 162, 97], y / horizon);
    return mix([52, 86, 120], [20, 40, 66], (y - horizon) / (height - horizon));
  });
}
