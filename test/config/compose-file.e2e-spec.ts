import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The file without its comment lines, which Compose does not interpolate. */
const compose = readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8')
  .split('\n')
  .filter((line) => !/^\s*#/.test(line))
  .join('\n');

describe('docker-compose.yml', () => {
  // Compose interpolates the whole file, x- fields included, before it looks at the services named:
  // one ${VAR:?} anywhere stops `docker compose up -d postgres redis rabbitmq` on a machine without .env.
  it('requires no variable, so the services start without a .env', () => {
    const required = [...compose.matchAll(/\$\{([A-Za-z0-9_]+):?\?[^}]*\}/g)].map(
      ([expression]) => expression,
    );

    expect(required).toEqual([]);
  });

  it('hands JWT_SECRET to the API and the worker, which refuse to start in production without one', () => {
    expect(compose).toMatch(/^ {2}JWT_SECRET: \$\{JWT_SECRET:-\}$/m);
    expect(compose).toMatch(/^ {2}NODE_ENV: production$/m);
    expect(compose).toMatch(/^ {2}DB_HOST: postgres$/m);
  });
});
