import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config';
import { CurrentPlan } from './current-plan';
import { PlanCatalogue } from './plan-catalogue';
import { PlansController } from './plans.controller';

@Module({
  controllers: [PlansController],
  providers: [
    {
      provide: PlanCatalogue,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        PlanCatalogue.load(config.billing.plansFile, config.billing.defaultPlan),
    },
    CurrentPlan,
  ],
  exports: [PlanCatalogue, CurrentPlan],
})
export class PlansModule {}
