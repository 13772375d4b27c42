import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config';
import { RABBITMQ_CONNECTION_STATE } from '../health/rabbitmq-connection-state';
import { TenantBrandingController } from './branding/tenant-branding.controller';
import { TenantBrandingRepository } from './branding/tenant-branding.repository';
import { TenantBrandingService } from './branding/tenant-branding.service';
import { MailPreviewController } from './dev/mail-preview.controller';
import { MailPreviewService } from './dev/mail-preview.service';
import { MailRenderer } from './mail-renderer';
import { MAIL_JOB_QUEUE, type MailJobQueue } from './queue/mail-job-queue';
import { createMailJobQueue, createMailWorker } from './worker/mail-worker.factory';
import { MAIL_WORKER, MailWorkerLifecycle } from './worker/mail-worker.lifecycle';

function workerProviders(config: AppConfig, role: string): Provider[] {
  return [
    { provide: MAIL_JOB_QUEUE, useFactory: () => createMailJobQueue(config, role) },
    {
      provide: MAIL_WORKER,
      inject: [DataSource, MAIL_JOB_QUEUE, MailRenderer, TenantBrandingRepository],
      useFactory: (
        dataSource: DataSource,
        queue: MailJobQueue,
        renderer: MailRenderer,
        brandings: TenantBrandingRepository,
      ) => createMailWorker({ config, dataSource, queue, renderer, brandings }),
    },
    MailWorkerLifecycle,
  ];
}

const rendererProvider: Provider = {
  provide: MailRenderer,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new MailRenderer({ publicUrl: config.http.publicUrl }),
};

/**
 * Tenant-branded mail. Features queue mail through `MailOutboxModule`. `forApi`: the branding routes,
 * the preview outside production, and the whole pipeline in-process when RABBITMQ_URL is unset.
 * `forWorker`: the relay and consumer of `npm run start:worker`, and its connection's state for /health.
 */
@Module({})
export class MailModule {
  static forApi(config: AppConfig): DynamicModule {
    const controllers: Type[] = [TenantBrandingController];
    const providers: Provider[] = [rendererProvider, TenantBrandingRepository, TenantBrandingService];
    if (config.env !== 'production') {
      controllers.push(MailPreviewController);
      providers.push(MailPreviewService);
    }
    if (!config.rabbitmq) providers.push(...workerProviders(config, 'api'));
    return {
      module: MailModule,
      controllers,
      providers,
    };
  }

  static forWorker(config: AppConfig): DynamicModule {
    return {
      module: MailModule,
      providers: [
        rendererProvider,
        TenantBrandingRepository,
        ...workerProviders(config, 'worker'),
        { provide: RABBITMQ_CONNECTION_STATE, useExisting: MAIL_JOB_QUEUE },
      ],
      exports: [RABBITMQ_CONNECTION_STATE],
    };
  }
}
