// The library entry point: an explicit list of what the package offers besides its command line.
//
// Rendering a storyboard from a program is one call (load → plan → run → assemble → verify → lock → report):
//
//   import { createPreviewBackend, renderStoryboard } from 'storyboard-compiler';
//   const outcome = await renderStoryboard('storyboards/lighthouse.yaml', {
//     backend: createPreviewBackend(),
//     onEvent: (e) => { if (e.type === 'rendered') console.log(`made ${e.clip}`); },
//   });
//   if (outcome.status === 'rendered' && outcome.verification?.ok) console.log(`film: ${outcome.film?.file}`);
//   else if (outcome.status === 'invalid') console.error(outcome.diagnostics);

// render (the whole pipeline as one stage)
export { renderStoryboard } from './render/render-storyboard.js';
export type { RenderStoryboardOptions, RenderStoryboardOutcome, RenderedStoryboard, PaidSpend } from './render/render-storyboard.js';
export { planRender } from './render/plan-render.js';
export type { PlanReport, PlannedClip, PlanRenderOptions } from './render/plan-render.js';
export { loadStoryboard } from './render/load-storyboard.js';
export type { LoadedStoryboard } from './render/load-storyboard.js';

// compile (pure)
export { validateStoryboard, prepareStoryboard, completeValidation } from './compiler/validate-storyboard.js';
export type { ValidStoryboard, PreparedStoryboard, ValidateStoryboardOptions } from './compiler/validate-storyboard.js';
export { planStoryboard } from './compiler/plan-storyboard.js';
export { planJson, requestsJson, promptsText, canonicalJson } from './compiler/plan/plan-json.js';
export { planMermaid, planDot } from './compiler/plan/plan-graph.js';
export { diffPlans } from './compiler/plan/diff-plans.js';
export { checkRequest } from './compiler/models/check-request.js';
export { MODELS, findModel } from './compiler/models/registry.js';
export { IMAGE_MODELS, findImageModel } from './compiler/models/image-registry.js';
export type { ModelSpec, Resolution, Ratio } from './compiler/models/types.js';
export type { Plan, ClipJob, StitchJob, Join, Cue, ClipId } from './compiler/plan/types.js';
export type { Storyboard, Scene, Shot } from './compiler/storyboard.js';
export type { SourceFile } from './compiler/source.js';

// diagnostics
export type { Diagnostic, Span, Severity, Result } from './diagnostics/diagnostic.js';
export { formatDiagnostics, diagnosticsToJson } from './diagnostics/format.js';
export { CODES } from './diagnostics/codes.js';

// run and assemble
export { runPlan, ClipRenderError } from './runner/run-plan.js';
export type { RunPlanOptions, RunResult, ClipResult } from './runner/run-plan.js';
export type { RunEvent } from './runner/events.js';
export { ClipCache } from './runner/clip-cache.js';
export { FileTaskJournal } from './runner/task-journal.js';
export { readLock, writeLock, lockPathFor } from './runner/lock-file.js';
export { stitchFilm, stitchKey } from './assembly/stitch-film.js';
export { resolveFfmpeg, FfmpegNotFoundError } from './media/ffmpeg-binaries.js';
export { verifyFilm } from './assembly/verify-film.js';
export type { FilmVerification, SeamMeasure, VerifyProblem, VerifyFilmOptions } from './assembly/verify-film.js';
export { readManifest, manifestPath } from './assembly/film-manifest.js';
export type { FilmManifest, ManifestClip, ManifestJoin } from './assembly/film-manifest.js';
export type { FfmpegTools } from './media/ffmpeg-binaries.js';

// backends
export type { Backend, BackendNotice, BackendTiming, JournalEntry, RenderRequest, RenderOutcome, TaskJournal } from './backends/backend.js';
export { BackendError } from './backends/backend.js';
export { createPreviewBackend } from './backends/preview/preview-backend.js';
export { createDashscopeBackend } from './backends/dashscope/dashscope-backend.js';
export type { DashscopeBackendOptions } from './backends/dashscope/dashscope-backend.js';
export { startEmulator } from './backends/emulator/emulator-server.js';
export { previewRender } from './backends/emulator/preview-render.js';

// the command line
export { main } from './cli/main.js';
