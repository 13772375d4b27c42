import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../common/cli/run-command';
import { loadAppConfig } from '../../config';
import { buildStandaloneOpenApiDocument } from '../standalone-document';

const REDOCLY_CLI = require.resolve('@redocly/cli/bin/cli.js');
const REDOCLY_CONFIG = path.join(__dirname, '..', '..', '..', 'redocly.yaml');

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    spawn(command, args, { stdio: 'inherit' })
      .on('error', reject)
      .on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * `npm run lint:openapi`: Redocly's recommended rules (and redocly.yaml's stricter example checks)
 * over the document the API serves; exits non-zero on any error.
 */
runCommand('lint:openapi', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'openapi-lint-'));
  try {
    const file = path.join(directory, 'openapi.json');
    writeFileSync(file, JSON.stringify(await buildStandaloneOpenApiDocument(loadAppConfig()), null, 2));
    return await run(process.execPath, [
      REDOCLY_CLI,
      'lint',
      '--extends',
      'recommended',
      '--config',
      REDOCLY_CONFIG,
      file,
    ]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
