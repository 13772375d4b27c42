import { existsSync } from 'node:fs';
import path from 'node:path';

export const DOTENV_FILE = '.env';

/**
 * Reads `.env` from the working directory into the process environment, once, as the API, the worker
 * and every CLI start. Variables already set in the environment win over the file. process.env is
 * filled (not a copy) because SDKs such as Resend's read their own variables from it.
 */
export function loadDotEnvFile(directory = process.cwd()): void {
  const file = path.join(directory, DOTENV_FILE);
  if (existsSync(file)) process.loadEnvFile(file);
}
