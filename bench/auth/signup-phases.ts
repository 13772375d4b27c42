import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { PasswordHasher } from '../../src/auth/passwords/password-hasher';
import type { TenantSchemaMigrator } from '../../src/tenancy/migrations/tenant-schema-migrator';
import {
  TENANT_SCHEMA_MIGRATOR,
  TenantProvisioningService,
} from '../../src/tenancy/tenant-provisioning.service';

/** Wall time of each call, in the order the calls ended. */
export interface SignupPhaseTimes {
  /** `PasswordHasher.hash`: bcryptjs, before the transaction. */
  hashMs: number[];
  /** `TenantProvisioningService.provision`: the whole transaction (tenant row, schema, owner, commit). */
  provisionMs: number[];
  /** Inside it, `TenantSchemaMigrator.migrate`: the tenant migrations. */
  migrateMs: number[];
}

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

/** Replaces one method of a singleton with a timed call-through; returns the undo. */
function timeMethod<T extends object>(
  target: T,
  key: keyof T & string,
  onTimed: (ms: number) => void,
): () => void {
  const original = target[key] as unknown as AsyncMethod;
  const timed: AsyncMethod = function (this: unknown, ...args: unknown[]) {
    const startedAt = performance.now();
    return original.apply(this, args).finally(() => onTimed(performance.now() - startedAt));
  };
  Object.assign(target, { [key]: timed });
  return () => Object.assign(target, { [key]: original });
}

const noTimes = (): SignupPhaseTimes => ({ hashMs: [], provisionMs: [], migrateMs: [] });

/**
 * Times the phases of every signup the API serves, by wrapping the singletons SignupService calls
 * (nothing in the app changes). With one signup at a time, the n-th entry of each list is the n-th
 * signup. Only signups hash passwords and provision tenants while it is on.
 */
export function watchSignupPhases(app: INestApplication): {
  take: () => SignupPhaseTimes;
  stop: () => void;
} {
  let times = noTimes();
  const undo = [
    timeMethod(app.get(PasswordHasher), 'hash', (ms) => times.hashMs.push(ms)),
    timeMethod(app.get(TenantProvisioningService), 'provision', (ms) => times.provisionMs.push(ms)),
    timeMethod(app.get<TenantSchemaMigrator>(TENANT_SCHEMA_MIGRATOR), 'migrate', (ms) =>
      times.migrateMs.push(ms),
    ),
  ];
  return {
    take: () => {
      const taken = times;
      times = noTimes();
      return taken;
    },
    stop: () => undo.forEach((restore) => restore()),
  };
}
