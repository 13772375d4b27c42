import path from 'node:path';
import { ChildServer } from '../support/child-server';
import type { HttpAdapterSettings } from './http-adapter.child';

/** The API on one HTTP adapter, in a child process of its own (see ChildServer). */
export function startHttpAdapterProcess(settings: HttpAdapterSettings): Promise<ChildServer> {
  return ChildServer.start(
    path.join(__dirname, 'http-adapter.child.ts'),
    `API on ${settings.adapter}`,
    settings,
  );
}
