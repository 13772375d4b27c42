import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { MailWorker } from './mail-worker';

export const MAIL_WORKER = Symbol('MAIL_WORKER');

/** Starts the process's mail worker with the app and stops it, gracefully, before the pools close. */
@Injectable()
export class MailWorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(MAIL_WORKER) private readonly worker: MailWorker) {}

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
