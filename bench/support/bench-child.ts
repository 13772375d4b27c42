import { fork, type ChildProcess, type Serializable } from 'node:child_process';

/** What a child answers when the work it was asked for failed. */
interface ChildFailure {
  error: string;
}

/**
 * A module of the bench run in a process of its own, so that its CPU, memory and event loop are
 * apart from the API's (this process), spoken to over IPC one request at a time.
 */
export class BenchChild<Reply extends object> {
  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {}

  /** `file` is a TypeScript module that calls `serveParent`. */
  static fork<Reply extends object>(file: string, name: string): BenchChild<Reply> {
    const child = fork(file, [], {
      execArgv: ['--require', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new BenchChild<Reply>(child, name);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get connected(): boolean {
    return this.child.connected;
  }

  /**
   * Sends `message` and resolves with the first reply that `answer` turns into a value; replies it
   * returns undefined for (progress on the way) are passed over. An `{ error }` reply, an `answer`
   * that throws, or the child's exit rejects.
   */
  ask<T>(message: Serializable, answer: (reply: Reply) => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void) => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        outcome();
      };
      const onExit = (code: number | null) =>
        settle(() => reject(new Error(`${this.name} exited with ${code}`)));
      const onMessage = (reply: Reply | ChildFailure) => {
        if ('error' in reply) {
          settle(() => reject(new Error(`${this.name}: ${reply.error}`)));
          return;
        }
        try {
          const value = answer(reply);
          if (value !== undefined) settle(() => resolve(value));
        } catch (error) {
          settle(() => reject(error instanceof Error ? error : new Error(String(error))));
        }
      };
      this.child.on('exit', onExit);
      this.child.on('message', onMessage);
      this.child.send(message);
    });
  }

  /** Lets the child go: `serveParent` exits when its parent disconnects. */
  close(): void {
    if (this.child.connected) this.child.disconnect();
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/**
 * The child's side: answers each request from the parent with `{ result }`, or `{ error }` when
 * `handle` fails, and exits once the parent lets go.
 */
export function serveParent<Request>(handle: (request: Request) => Promise<unknown>): void {
  process.on('message', (request: Request) => {
    handle(request).then(
      (result) => process.send?.({ result }),
      (error: Error) => process.send?.({ error: error.stack ?? error.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
