import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { startTestWorker, type TestWorker } from './support/mail-worker';
import { deleteMailTopology, TEST_RABBITMQ_URL, uniqueMailQueuePrefix } from './support/rabbitmq';
import { startTestApp, type TestApp } from './support/test-app';

/** Modules the libraries make global themselves: @nestjs/core, nestjs-cls, @nestjs/typeorm, @nestjs/throttler. */
const LIBRARY_GLOBAL_MODULES = [
  'InternalCoreModule',
  'ClsModule',
  'ClsRootModule',
  'ClsPluginsModule',
  'TypeOrmCoreModule',
  'ThrottlerModule',
];

function ownGlobalModules(app: INestApplication): string[] {
  return [...app.get(ModulesContainer).values()]
    .filter((module) => module.isGlobal && !LIBRARY_GLOBAL_MODULES.includes(module.name))
    .map((module) => module.name)
    .sort();
}

/** Every APP_GUARD that yields a guard, as `<module>: <guard class>`, in registration order. */
function globalGuards(app: INestApplication): string[] {
  return [...app.get(ModulesContainer).values()].flatMap((module) =>
    [...module.providers.entries()]
      .filter(
        ([token, wrapper]) => typeof token === 'string' && token.startsWith('APP_GUARD') && wrapper.instance,
      )
      .map(([, wrapper]) => `${module.name}: ${(wrapper.instance as object).constructor.name}`),
  );
}

describe('how the app is composed', () => {
  const prefix = uniqueMailQueuePrefix('composition');
  let api: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    const env = { RATE_LIMIT_ENABLED: 'true', RABBITMQ_URL: TEST_RABBITMQ_URL, MAIL_QUEUE_PREFIX: prefix };
    api = await startTestApp({ env });
    worker = await startTestWorker(api.databaseName, env);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await deleteMailTopology(prefix, api.config.mail.retryDelaysMs);
  });

  it('registers every global guard in AppModule, in the order they run', () => {
    expect(globalGuards(api.app)).toEqual([
      'AppModule: AuthenticationGuard',
      'AppModule: RateLimitGuard',
      'AppModule: AccessTokenGuard',
      'AppModule: ApiKeyScopeGuard',
      'AppModule: SecondFactorEnrolmentGuard',
      'AppModule: RolesGuard',
      'AppModule: VerifiedEmailGuard',
      'AppModule: FeatureGuard',
      // nestjs-cls registers a pass-through guard when its own guard is not mounted.
      'ClsRootModule: Object',
    ]);
  });

  it('makes only the configuration and tenancy global in the API; features import what they use', () => {
    expect(ownGlobalModules(api.app)).toEqual(['ConfigModule', 'TenancyModule']);
  });

  it('makes only the configuration global in the mail worker', () => {
    expect(ownGlobalModules(worker.app)).toEqual(['ConfigModule']);
  });
});
