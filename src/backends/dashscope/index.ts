export { createDashscopeBackend, DASHSCOPE_INTL_BASE_URL, TASK_QUERIES_PER_SECOND, type DashscopeBackendOptions } from './dashscope-backend.js';
export type { RequestInfo } from './dashscope-client.js';
export { DashscopeError, isRetryable } from './dashscope-error.js';
export { SDK_POLL_SCHEDULE } from './poll-schedule.js';
export { redact } from './redact.js';
export type { UploadMode } from './upload-input.js';
