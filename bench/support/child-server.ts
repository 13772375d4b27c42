import { BenchChild, serveParent } from './bench-child';
import type { ArmServer } from './interleaved-runner';

/** What the parent sends a child server: start with these settings (answered with its URL), then stop. */
export type ChildServerCommand<Settings> = { start: Settings } | 'stop';

/** A server the child runs: where it listens, and how it closes. */
export interface ListeningServer {
  url: string;
  close(): Promise<void>;
}

const STOP_TIMEOUT_MS = 30_000;

/**
 * An HTTP server in a child process: its event loop, CPU and connections are its own, so servers a
 * bench compares compete for the cores on the same terms.
 */
export class ChildServer implements ArmServer {
  private constructor(
    private readonly child: BenchChild<{ result: string }>,
    readonly url: string,
    readonly pid: number,
  ) {}

  /** `file` is a TypeScript module that calls `serveAsChildServer`. */
  static async start<Settings>(file: string, name: string, settings: Settings): Promise<ChildServer> {
    const child = BenchChild.fork<{ result: string }>(file, name);
    try {
      const url = await ask(child, { start: settings });
      return new ChildServer(child, url, child.pid!);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  /** Graceful (in-flight requests finish, pools close); killed if it takes too long. */
  async close(): Promise<void> {
    if (!this.child.connected) return;
    const timer = setTimeout(() => this.child.kill(), STOP_TIMEOUT_MS);
    try {
      await ask(this.child, 'stop');
    } finally {
      clearTimeout(timer);
      this.child.close();
    }
  }
}

function ask<Settings>(
  child: BenchChild<{ result: string }>,
  command: ChildServerCommand<Settings>,
): Promise<string> {
  return child.ask(command, (message) => message.result);
}

/** The child's side: starts the server `start` builds, answers its URL, closes it when told to stop. */
export function serveAsChildServer<Settings>(start: (settings: Settings) => Promise<ListeningServer>): void {
  let server: ListeningServer | undefined;
  serveParent(async (command: ChildServerCommand<Settings>) => {
    if (command !== 'stop') {
      server = await start(command.start);
      return server.url;
    }
    await server?.close();
    return '';
  });
}
