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
 * A storyboard whose `clips` scenes form one continuity chain (each scene one 5 s clip continuing the one
 * before), one flow-style line per scene. `reverse` lists the chain against film order: the first scene of
 * the film continues the second, and so on, the worst case for walks that follow `continues`.
 */
export function generateChain(clips: number, options: { reverse?: boolean } = {}): string {
  const lines = ['version: 1', 'title: Chain', 'scenes:'];
  for (let i = 0; i < clips; i++) {
    const k = options.reverse ? clips - 1 - i : i;
    const head = k === 0 ? 'model: wan2.7-t2v' : `continues: c${k - 1}`;
    lines.push(`  - { id: c${k}, ${head}, duration: 5, prompt: "part ${k} of the chain" }`);
  }
  return lines.join('\n') + '\n';
}
