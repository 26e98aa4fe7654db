// Which clip each DashScope task belongs to, as far as one backend instance has established it (it created the
// task, or found it to be that clip's), so one clip never takes another's task from the journal or the task list.

/** Task id → clip key, for the tasks this backend created or verified. */
export class TaskClaims {
  private readonly owners = new Map<string, string>();

  /** `taskId` is known to be the task of clip `key`. */
  claim(taskId: string, key: string): void {
    this.owners.set(taskId, key);
  }

  /** The clip key `taskId` is known to belong to, if it is known to belong to one other than `key`. */
  otherOwner(taskId: string, key: string): string | undefined {
    const owner = this.owners.get(taskId);
    return owner !== undefined && owner !== key ? owner : undefined;
  }
}
