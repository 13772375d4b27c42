import bcrypt from 'bcryptjs';

export type PasswordHashTask =
  | { operation: 'hash'; password: string; cost: number }
  | { operation: 'compare'; password: string; hash: string };

/** Runs in a worker thread of PasswordHashPool: synchronous bcryptjs, the thread has nothing else to do. */
export default function runPasswordHashTask(task: PasswordHashTask): string | boolean {
  return task.operation === 'hash'
    ? bcrypt.hashSync(task.password, task.cost)
    : bcrypt.compareSync(task.password, task.hash);
}
