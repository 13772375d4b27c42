// Writes openapi-typescript's types for an OpenAPI document: `node generate-api-schema.mjs <url> <file>`.
// A script of its own because openapi-typescript loads ES modules that Jest's CommonJS runtime cannot.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const [documentUrl, outFile] = process.argv.slice(2);
if (!documentUrl || !outFile)
  throw new Error('usage: node generate-api-schema.mjs <document URL> <out file>');
const types = astToString(await openapiTS(new URL(documentUrl)));
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, COMMENT_HEADER + types);
