// The plan's clip graph as Mermaid or Graphviz DOT (`storyboard graph`).
import type { ClipJob, Plan } from './types.js';

const safeId = (id: string): string => 'c_' + id.replace(/[^A-Za-z0-9_]/g, '_');
const label = (s: string): string => s.replace(/"/g, '\'');
/** How a clip continues the one it depends on: by its last frame, or by its last seconds (clip continuation). */
const edge = (j: ClipJob, from: string): string => (j.carry?.from === from ? `last ${j.carry.seconds} s` : 'last frame');
/** A clip's length: its new seconds, and the seconds it carries in. */
const seconds = (j: ClipJob): string => (j.carry ? `${j.expected.duration - j.carry.seconds} s + ${j.carry.seconds} carried` : `${j.expected.duration} s`);

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

/** The clip graph as Mermaid: one subgraph per scene, continuity edges as arrows labelled "last frame" (or "last 3 s"). */
export function planMermaid(plan: Plan): string {
  const lines = ['flowchart LR'];
  for (const [scene, jobs] of byScene(plan)) {
    lines.push(`  subgraph ${safeId('scene_' + scene)}["${label(scene)}"]`);
    for (const j of jobs) lines.push(`    ${safeId(j.id)}["${label(j.id)}<br/>${j.model} · ${seconds(j)}"]`);
    lines.push('  end');
  }
  for (const j of plan.jobs) for (const d of j.dependsOn) lines.push(`  ${safeId(d)} -- ${edge(j, d)} --> ${safeId(j.id)}`);
  return lines.join('\n') + '\n';
}

/** The clip graph as Graphviz DOT. */
export function planDot(plan: Plan): string {
  const lines = ['digraph plan {', '  rankdir=LR;', '  node [shape=box];'];
  for (const [scene, jobs] of byScene(plan)) {
    lines.push(`  subgraph "cluster_${label(scene)}" {`, `    label="${label(scene)}";`);
    for (const j of jobs) lines.push(`    "${label(j.id)}" [label="${label(j.id)}\\n${j.model} · ${seconds(j)}"];`);
    lines.push('  }');
  }
  for (const j of plan.jobs) for (const d of j.dependsOn) lines.push(`  "${label(d)}" -> "${label(j.id)}" [label="${edge(j, d)}"];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
