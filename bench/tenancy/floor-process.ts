import path from 'node:path';
import { ChildServer } from '../support/child-server';
import type { FloorSettings } from './floor-server';

/** The floor server in a child process, as the API runs in one (see ChildServer). */
export function startFloorProcess(settings: FloorSettings): Promise<ChildServer> {
  return ChildServer.start(path.join(__dirname, 'floor.child.ts'), 'floor server', settings);
}
