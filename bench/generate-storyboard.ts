// Generated storyboards for the benches and the long-chain tests: many shots in chained scenes, one long chain.
/** A storyboard with `shots` shots over scenes of 5 shots (3 s each) on wan2.7-t2v, with templates and a chain every 4 scenes. */
export function generateStoryboard(shots: number): string {
  const lines = [
    '# yaml-language-server: $schema=../schemas/storyboard.schema.json',
    'version: 1', 'title: Bench', 'defaults:', '  model: wan2.7-t2v', '  resolution: 720P', '  ratio: "16:9"', '  prompt_extend: false',
    'vars:', '  city: Lisbon', 'characters:', '  hero: a courier in a green jacket on a red bicycle', 'styles:', '  look: Warm afternoon light, 35mm film grain.', 'scenes:',
  ];
  for (let s = 0; s * 5 < shots; s++) {
    const chained = s % 4 !== 0;
    lines.push(`  - id: scene-${s}`);
    if (chained) lines.push('    model: wan2.7-i2v', `    continues: scene-${s - 1}`);
    lines.push('    style: look', `    prompt: "{{characters.hero}} rides through {{city}}, part ${s}."`, '    shots:');
    for (let k = 0; k < 5 && s * 5 + k < shots; k++) {
      lines.push(`      - id: shot-${k}`, '        duration: 3', '        camera: Tracking shot', `        prompt: "the courier passes landmark number ${s * 5 + k} of {{city}}"`, `        dialogue: "Line ${s * 5 + k}"`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * A storyboard whose `clips` clips form one continuity chain: scenes that each continue the one before, each
 * made of `clipsPerScene` 15-second clips (a longer scene is split into chained clips; at most 240, an hour),
 * one flow-style line per scene. `reverse` lists the scenes against the chain: the film's first scene continues
 * the second, and so on, the worst case for walks that follow `continues`. 100,000 clips fit in the 4 MiB limit
 * of a storyboard with `clipsPerScene: 240`.
 */
export function generateChain(clips: number, options: { reverse?: boolean; clipsPerScene?: number } = {}): string {
  const per = options.clipsPerScene ?? 1;
  const scenes = Math.ceil(clips / per);
  const lines = ['version: 1', 'title: Chain', 'scenes:'];
  for (let i = 0; i < scenes; i++) {
    const k = options.reverse ? scenes - 1 - i : i;
    const head = k === 0 ? 'model: wan2.7-t2v' : `continues: c${k - 1}`;
    const seconds = 15 * Math.min(per, clips - k * per);
    lines.push(`  - { id: c${k}, ${head}, duration: ${seconds}, prompt: "part ${k} of the chain" }`);
  }
  return lines.join('\n') + '\n';
}
