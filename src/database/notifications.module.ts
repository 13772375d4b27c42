import { Module } from '@nestjs/common';
import { PostgresNotificationHub } from './postgres-notification-hub';

/** The process's one LISTEN connection, for the feeds of every module that imports it. */
@Module({ providers: [PostgresNotificationHub], exports: [PostgresNotificationHub] })
export class NotificationsModule {}
