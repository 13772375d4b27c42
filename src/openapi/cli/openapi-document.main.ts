import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { runCommand } from '../../common/cli/run-command';
import { loadAppConfig } from '../../config';
import { buildStandaloneOpenApiDocument } from '../standalone-document';

/** `npm run docs:openapi [-- --out <file>]`: the OpenAPI document, to the file or to stdout. */
runCommand('docs:openapi', async () => {
  const [flag, file] = process.argv.slice(2);
  if (flag !== undefined && (flag !== '--out' || !file))
    throw new Error('usage: docs:openapi [--out <file>]');
  const json = `${JSON.stringify(await buildStandaloneOpenApiDocument(loadAppConfig()), null, 2)}\n`;
  if (file) writeFileSync(file, json);
  else process.stdout.write(json);
  return 0;
});
