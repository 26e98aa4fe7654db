// The plan's clip graph as Mermaid or Graphviz DOT (`storyboard graph`).
import type { ClipJob, Plan } from './types.js';

const safeId = (id: string): string => 'c_' + id.replace(/[^A-Za-z0-9_]/g, '_');
const label = (s: string): string => s.replace(/"/g, '\'');

/** The jobs of each scene, scenes in order of first appearance (one pass: a plan may hold 100,000 scenes). */
function byScene(plan: Plan): Map<string, ClipJob[]> {
  const scenes = new Map<string, ClipJob[]>();
  for (const j of plan.jobs) {
    const list = scenes.get(j.scene);
    if (list) list.push(j);
    else scenes.set(j.scene, [j]);
  }
  return scenes;
}

/** The clip graph as Mermaid: one subgraph per scene, continuity edges as arrows labelled "last frame". */
export function planMermaid(plan: Plan): string {
  const lines = ['flowchart LR'];
  for (const [scene, jobs] of byScene(plan)) {
    lines.push(`  subgraph ${safeId('scene_' + scene)}["${label(scene)}"]`);
    for (const j of jobs) lines.push(`    ${safeId(j.id)}["${label(j.id)}<br/>${j.model} · ${j.expected.duration} s"]`);
    lines.push('  end');
  }
  for (const j of plan.jobs) for (const d of j.dependsOn) lines.push(`  ${safeId(d)} -- last frame --> ${safeId(j.id)}`);
  return lines.join('\n') + '\n';
}

/** The clip graph as Graphviz DOT. */
export function planDot(plan: Plan): string {
  const lines = ['digraph plan {', '  rankdir=LR;', '  node [shape=box];'];
  for (const [scene, jobs] of byScene(plan)) {
    lines.push(`  subgraph "cluster_${label(scene)}" {`, `    label="${label(scene)}";`);
    for (const j of jobs) lines.push(`    "${label(j.id)}" [label="${label(j.id)}\\n${j.model} · ${j.expected.duration} s"];`);
    lines.push('  }');
  }
  for (const j of plan.jobs) for (const d of j.dependsOn) lines.push(`  "${label(d)}" -> "${label(j.id)}" [label="last frame"];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
