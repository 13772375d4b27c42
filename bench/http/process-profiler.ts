import { writeFileSync } from 'node:fs';
import { type Profiler, Session } from 'node:inspector';

function post<T>(session: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** What `node --cpu-prof` records, for a window this process chooses (not its start-up). */
export class ProcessProfiler {
  private constructor(private readonly session: Session) {}

  static async start(): Promise<ProcessProfiler> {
    const session = new Session();
    session.connect();
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.start');
    return new ProcessProfiler(session);
  }

  async stopInto(file: string): Promise<void> {
    const { profile } = await post<{ profile: Profiler.Profile }>(this.session, 'Profiler.stop');
    this.session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
  }
}
