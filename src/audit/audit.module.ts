import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from '../billing/billing.module';
import { AuditEntry } from './audit-entry.entity';
import { AuditLog } from './audit-log';
import { AuditQueries } from './audit-queries';
import { AuditController } from './audit.controller';

@Module({
  imports: [BillingModule, TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [AuditLog, AuditQueries],
  exports: [AuditLog],
})
export class AuditModule {}
