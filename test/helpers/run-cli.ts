import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out: Output = { out: (t) => void (stdout += t.endsWith('\n') ? t : t + '\n'), err: (t) => void (stderr += t.endsWith('\n') ? t : t + '\n'), isTTY: false };
  const saved = process.exitCode;
  const code = await main(args, out);
  process.exitCode = saved;
  return { code, stdout, stderr };
}
