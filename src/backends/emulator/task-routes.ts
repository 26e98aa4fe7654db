// GET /tasks/{id}, POST /tasks/{id}/cancel and GET /tasks. Unknown and expired ids answer 200 with
// task_status UNKNOWN (reference §3.3); cancel works only while PENDING (§3.4).
import { parseCompactTime } from './clock.js';
import type { EmulatorContext } from './context.js';
import { sendError, sendJson, type Exchange } from './http-io.js';
import type { Task, TaskStatus } from './task-store.js';
import { taskListItem, taskResponse } from './task-view.js';

const STATUSES: readonly TaskStatus[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED'];
const MAX_PAGE_SIZE = 100;

/** `GET /tasks/{id}`. */
export function handleQuery(ctx: EmulatorContext, ex: Exchange, id: string): void {
  const task = ctx.store.get(id);
  if (!task) return sendJson(ex, 200, { output: { task_id: id, task_status: 'UNKNOWN' } });
  sendJson(ex, 200, taskResponse(task));
}

/** `POST /tasks/{id}/cancel`: success body is `{request_id}` (undocumented upstream; the emulator's choice). */
export function handleCancel(ctx: EmulatorContext, ex: Exchange, id: string): void {
  if (ctx.store.cancel(id)) return sendJson(ex, 200, {});
  sendError(ex, 400, 'UnsupportedOperation', 'please confirm if the task is in PENDING status');
}

/**
 * `GET /tasks?page_no&page_size&status&model_name&start_time&end_time`. The real response shape is
 * undocumented; the emulator answers `{request_id, data: [output fields + model_name (+ usage)], total,
 * page_no, page_size}`, newest first.
 */
export function handleList(ctx: EmulatorContext, ex: Exchange): void {
  const q = ex.url.searchParams;
  const pageNo = intParam(q.get('page_no'), 1);
  const pageSize = intParam(q.get('page_size'), 10);
  if (pageNo === undefined || pageSize === undefined || pageSize > MAX_PAGE_SIZE) {
    return sendError(ex, 400, 'InvalidParameter', `page_no must be ≥ 1 and page_size from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const filter = listFilter(q);
  if (typeof filter === 'string') return sendError(ex, 400, 'InvalidParameter', filter);
  const matching = ctx.store.all().filter(filter);
  const data = matching.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(taskListItem);
  sendJson(ex, 200, { data, total: matching.length, page_no: pageNo, page_size: pageSize });
}

function intParam(text: string | null, fallback: number): number | undefined {
  if (text === null || text === '') return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** The task predicate of the list filters, or a message saying which filter is malformed. */
function listFilter(q: URLSearchParams): ((t: Task) => boolean) | string {
  const status = q.get('status');
  if (status && !STATUSES.includes(status as TaskStatus)) return `status must be one of ${STATUSES.join(', ')}.`;
  const model = q.get('model_name');
  const bounds = (['start_time', 'end_time'] as const).map((k) => {
    const v = q.get(k);
    return v ? parseCompactTime(v) ?? Number.NaN : undefined;
  });
  if (bounds.some((b) => Number.isNaN(b))) return 'start_time and end_time must be formatted YYYYMMDDhhmmss.';
  const [from, to] = bounds;
  return (t) =>
    (!status || t.status === status) && (!model || t.model.id === model) &&
    (from === undefined || t.submitMs >= from) && (to === undefined || t.submitMs <= to);
}
