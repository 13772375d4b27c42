import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config';
import { CurrentPlan } from './current-plan';
import { PlanCatalogue } from './plan-catalogue';
import { registeredPlanLimits } from './plan-limit-registry';
import { PlansController } from './plans.controller';

@Module({
  controllers: [PlansController],
  providers: [
    {
      provide: PlanCatalogue,
      inject: [APP_CONFIG],
      // Feature modules have registered their limits by now: each did so when the app module imported it.
      useFactory: (config: AppConfig) =>
        PlanCatalogue.load(config.billing.plansFile, config.billing.defaultPlan, registeredPlanLimits()),
    },
    CurrentPlan,
  ],
  exports: [PlanCatalogue, CurrentPlan],
})
export class PlansModule {}
