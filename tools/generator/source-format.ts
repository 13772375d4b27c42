import path from 'node:path';
import { format, resolveConfig } from 'prettier';

/** `source` as the repository's Prettier configuration formats the file at `file` (relative to `root`). */
export async function formatSource(root: string, file: string, source: string): Promise<string> {
  const filepath = path.join(root, file);
  const config = await resolveConfig(filepath);
  return format(source, { ...config, filepath });
}
