import { mkdirSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import path from 'node:path';
import { RESULTS_DIR } from '../support/report';
import { round } from '../support/stats';

/** Where the API's main thread spent its samples: what `node --cpu-prof` records, for one window only. */
export interface MainThreadProfile {
  /** Samples of the thread at work (idle ones left out). */
  busySamples: number;
  /** Of them, samples in bcryptjs code (`_encipher`, `_crypt`, …). */
  bcryptShare: number;
  /** The function with the most self samples, and its share. */
  topFunction: string;
  topShare: number;
  /** The .cpuprofile, for Chrome DevTools or speedscope. */
  file: string;
}

function post<T>(session: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

function summarize(profile: Profiler.Profile, file: string): MainThreadProfile {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  let busy = 0;
  let bcrypt = 0;
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    const { functionName, url } = node.callFrame;
    if (count === 0 || functionName === '(idle)') continue;
    busy += count;
    if (url.includes('/bcryptjs/')) bcrypt += count;
    const name = `${functionName || '(anonymous)'} ${path.basename(url)}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  }
  const [topFunction, topCount] = [...byFunction].reduce(
    (most, entry) => (entry[1] > most[1] ? entry : most),
    ['-', 0],
  );
  return {
    busySamples: busy,
    bcryptShare: busy === 0 ? 0 : round(bcrypt / busy, 3),
    topFunction,
    topShare: busy === 0 ? 0 : round(topCount / busy, 3),
    file: path.relative(process.cwd(), file),
  };
}

/** Profiles this process's main thread (the API's event loop) from `start` to `stop`. */
export class MainThreadProfiler {
  private readonly session = new Session();

  async start(): Promise<void> {
    this.session.connect();
    await post(this.session, 'Profiler.enable');
    await post(this.session, 'Profiler.start');
  }

  async stop(name: string): Promise<MainThreadProfile> {
    const { profile } = await post<{ profile: Profiler.Profile }>(this.session, 'Profiler.stop');
    this.session.disconnect();
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return summarize(profile, file);
  }
}
