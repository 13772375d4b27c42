import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { PasswordHashPool } from '../../auth/passwords/password-hash-pool';
import { PasswordHasher } from '../../auth/passwords/password-hasher';
import { PasswordResetTokens } from '../../auth/passwords/password-reset-tokens';
import { type EnrolledOwner, TenantOwnerSetup } from '../../auth/signup/tenant-owner-setup';
import { AppException } from '../../common/errors/app.exception';
import type { AppConfig } from '../../config';
import { IdentitiesService } from '../../identities/identities.service';
import { MembershipDirectory } from '../../identities/membership-directory';
import { MailOutbox } from '../../mail/outbox/mail-outbox';
import { MembershipEnrolment } from '../../members/membership-enrolment';
import type { TenantSchemaMigrator } from '../migrations/tenant-schema-migrator';
import { TenantCatalogue } from '../tenant-catalogue';
import { TenantLifecycleService } from '../tenant-lifecycle.service';
import { TenantProvisioningService } from '../tenant-provisioning.service';
import { runMigrationCommand } from './migration-run.command';
import type { ProgressOutput } from './progress-reporter';

export const TENANT_COMMAND_USAGE = `Usage: npm run tenant -- <verb> [options]
  create --slug <slug> --name <name> [--plan <plan>] [--owner-email <email> [--owner-name <name>]]
  list
  suspend <slug>
  resume <slug>
  delete <slug> --confirm <slug>
  migrate [<slug>] [--concurrency N]
`;

export interface TenantCommandDeps {
  dataSource: DataSource;
  migrator: TenantSchemaMigrator;
  config: AppConfig;
  output: ProgressOutput;
}

class UsageError extends Error {}

function tenantOwnerSetup(
  dataSource: DataSource,
  config: AppConfig,
  pool: PasswordHashPool,
): TenantOwnerSetup {
  return new TenantOwnerSetup(
    new IdentitiesService(dataSource),
    new PasswordHasher(config, pool),
    new MembershipEnrolment(new MembershipDirectory(dataSource)),
    new PasswordResetTokens(),
    new MailOutbox(),
    config,
  );
}

function ownerLine({ member, newIdentity }: EnrolledOwner): string {
  return newIdentity
    ? `${member.email} (a new identity) owns it; a set-password mail is queued\n`
    : `${member.email} (an existing identity) owns it; a welcome mail is queued\n`;
}

function describeError(error: unknown): string {
  if (error instanceof AppException) {
    const details = Array.isArray(error.details) ? error.details.map((d) => `: ${d.message}`).join('') : '';
    return `${error.code}${details || `: ${error.message}`}`;
  }
  return (error as Error).message;
}

/** `npm run tenant -- <verb>`; returns the exit code. */
export async function runTenantCommand(argv: string[], deps: TenantCommandDeps): Promise<number> {
  const { output } = deps;
  try {
    return await dispatch(argv, deps);
  } catch (error) {
    if (error instanceof UsageError) {
      output.write(`${error.message}\n\n${TENANT_COMMAND_USAGE}`);
      return 2;
    }
    output.write(`Failed: ${describeError(error)}\n`);
    return 1;
  }
}

async function dispatch(
  argv: string[],
  { dataSource, migrator, config, output }: TenantCommandDeps,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      plan: { type: 'string' },
      'owner-email': { type: 'string' },
      'owner-name': { type: 'string' },
      confirm: { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const [verb, slugArgument] = positionals;
  const catalogue = new TenantCatalogue(dataSource, config);
  const lifecycle = new TenantLifecycleService(dataSource, catalogue);
  const requireSlug = () => {
    if (!slugArgument) throw new UsageError(`${verb} needs a tenant slug`);
    return slugArgument;
  };

  switch (verb) {
    case 'create': {
      if (!values.slug || !values.name) throw new UsageError('create needs --slug and --name');
      const ownerEmail = values['owner-email'];
      if (values['owner-name'] !== undefined && ownerEmail === undefined) {
        throw new UsageError('--owner-name needs --owner-email');
      }
      // Only the owner's unusable password is hashed; the pool's threads end with the command.
      const passwords = ownerEmail === undefined ? undefined : new PasswordHashPool(config);
      try {
        const owners = passwords && tenantOwnerSetup(dataSource, config, passwords);
        const owner = await owners?.claim({ email: ownerEmail, name: values['owner-name'] });
        const provisioning = new TenantProvisioningService(dataSource, catalogue, migrator, config);
        const { tenant, result: enrolled } = await provisioning.provision(
          { slug: values.slug, name: values.name, plan: values.plan },
          async (manager, created) => (owner ? owners?.enrol(manager, created, owner) : undefined),
        );
        output.write(`Created tenant ${tenant.slug} (${tenant.id}) in schema ${tenant.schemaName}\n`);
        if (enrolled) output.write(ownerLine(enrolled));
      } finally {
        await passwords?.close();
      }
      return 0;
    }
    case 'list': {
      const tenants = await catalogue.list();
      for (const t of tenants) {
        output.write(
          `${t.slug.padEnd(30)} ${t.status.padEnd(10)} ${t.plan.padEnd(10)} ${t.id} ${t.schemaName}\n`,
        );
      }
      output.write(`${tenants.length} tenant(s)\n`);
      return 0;
    }
    case 'suspend':
      await lifecycle.suspend(requireSlug());
      output.write(`Suspended ${slugArgument}\n`);
      return 0;
    case 'resume':
      await lifecycle.resume(requireSlug());
      output.write(`Resumed ${slugArgument}\n`);
      return 0;
    case 'delete':
      await lifecycle.delete(requireSlug(), values.confirm ?? '');
      output.write(`Deleted ${slugArgument}: its schema and catalogue row are gone\n`);
      return 0;
    case 'migrate': {
      const concurrency = Number(values.concurrency ?? config.tenancy.migrationConcurrency);
      return runMigrationCommand(dataSource, migrator, { concurrency, tenant: slugArgument }, output);
    }
    default:
      throw new UsageError(verb ? `Unknown verb "${verb}"` : 'No verb given');
  }
}
