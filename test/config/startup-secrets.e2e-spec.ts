import path from 'node:path';
import { childEnvironment, startChild } from '../support/child-processes';

const ROOT = path.join(__dirname, '..', '..');

/** Starts a built entry point with `env` and resolves with its exit code and what it printed. */
async function startUp(entry: string, env: Record<string, string>) {
  const started = startChild(process.execPath, [entry], { cwd: ROOT, env: childEnvironment(env) });
  const code = await started.exited;
  return { code, stderr: started.stderr(), output: started.output() };
}

describe('start-up errors never show a secret', () => {
  const secrets = {
    JWT_SECRET: 'short-secret-5f3a9c',
    RABBITMQ_URL: 'amqp//mailer:broker-pass-81d2@rabbit.internal',
    RESEND_BASE_URL: 'ftp://key:resend-pass-77aa@mail.internal',
    DB_PASSWORD: 'db-pass-02bc',
  };

  it.each(['dist/src/main.js', 'dist/src/worker.js'])(
    '%s names the bad variables and not their values',
    async (entry) => {
      const { code, stderr, output } = await startUp(entry, secrets);
      expect(code).toBe(1);
      expect(stderr).toMatch(/JWT_SECRET: expected at least 32 bytes/);
      expect(stderr).toMatch(/RABBITMQ_URL: expected a URL starting with amqp:\/\//);
      expect(stderr).toMatch(/RESEND_BASE_URL: /);
      for (const value of Object.values(secrets)) expect(output).not.toContain(value);
      for (const part of ['broker-pass', 'resend-pass', 'short-secret']) expect(output).not.toContain(part);
    },
  );

  // docker-compose.yml passes JWT_SECRET as ${JWT_SECRET:-}: an empty value when .env has none.
  it.each(['dist/src/main.js', 'dist/src/worker.js'])(
    '%s refuses to start in production without JWT_SECRET, an empty one included',
    async (entry) => {
      const { code, stderr } = await startUp(entry, {
        NODE_ENV: 'production',
        DB_HOST: '127.0.0.1',
        MAIL_FILE_SINK: 'true',
        RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
        JWT_SECRET: '',
      });
      expect(code).toBe(1);
      expect(stderr).toContain(
        'JWT_SECRET: required in production with an external database (at least 32 random characters: openssl rand -base64 48), it is not set',
      );
    },
  );

  it('refuses the placeholder JWT_SECRET of .env.example in production', async () => {
    const { code, stderr } = await startUp('dist/src/main.js', {
      NODE_ENV: 'production',
      JWT_SECRET: 'replace-me-with-a-long-random-secret-of-at-least-32-characters',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('JWT_SECRET: is the placeholder from .env.example');
    expect(stderr).not.toContain('replace-me-with');
  });
});
