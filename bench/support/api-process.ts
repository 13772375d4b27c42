import path from 'node:path';
import type { ApiSettings } from './api.child';
import { ChildServer } from './child-server';

/** The real API in a child process, as `npm start` runs it (see ChildServer). */
export function startApiProcess(settings: ApiSettings): Promise<ChildServer> {
  return ChildServer.start(path.join(__dirname, 'api.child.ts'), 'API process', settings);
}
