import 'reflect-metadata';
import { createHttpApp } from './http-app';
import { runServerProcess } from './server-process';

runServerProcess({
  create: (config, database, logger) => createHttpApp({ config, database, logger }),
  port: (config) => config.http.port,
  started: (url) => `API listening on ${url} (docs at /docs)`,
  finishing: 'in-flight requests',
});
