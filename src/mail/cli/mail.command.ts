import { parseArgs } from 'node:util';
import type { ProgressOutput } from '../../tenancy/cli/progress-reporter';
import type { DeadLetterStore } from './dead-letter-store';

export const MAIL_COMMAND_USAGE = `Usage: npm run mail -- <verb> [options]
  dead-letters                      list the parked mail jobs
  dead-letters --requeue <job id>   send one parked job again
  dead-letters --requeue --all      send every parked job again
`;

export interface MailCommandDeps {
  deadLetters: DeadLetterStore;
  output: Pick<ProgressOutput, 'write'>;
}

class UsageError extends Error {}

/** `npm run mail -- <verb>`; returns the exit code. */
export async function runMailCommand(argv: string[], deps: MailCommandDeps): Promise<number> {
  try {
    return await dispatch(argv, deps);
  } catch (error) {
    if (error instanceof UsageError) {
      deps.output.write(`${error.message}\n\n${MAIL_COMMAND_USAGE}`);
      return 2;
    }
    deps.output.write(`Failed: ${(error as Error).message}\n`);
    return 1;
  }
}

async function dispatch(argv: string[], { deadLetters, output }: MailCommandDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { requeue: { type: 'boolean' }, all: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  const [verb, jobId, ...extra] = positionals;
  if (verb !== 'dead-letters') throw new UsageError(verb ? `Unknown verb "${verb}"` : 'No verb given');
  if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);

  if (!values.requeue) {
    if (jobId !== undefined || values.all) throw new UsageError('A job id or --all goes with --requeue');
    const letters = await deadLetters.list();
    for (const letter of letters) {
      output.write(
        `${letter.jobId}  ${letter.deadAt ?? '-'}  attempts ${letter.attempts || '-'}  ${letter.reason}\n`,
      );
    }
    output.write(`${letters.length} dead-lettered mail job(s)\n`);
    return 0;
  }
  if ((jobId === undefined) === !values.all) throw new UsageError('--requeue needs a job id or --all');
  const requeued = await deadLetters.requeue(values.all ? 'all' : [jobId]);
  for (const id of requeued) output.write(`Requeued ${id}\n`);
  if (jobId !== undefined && requeued.length === 0) {
    output.write(`No dead-lettered mail job ${jobId}\n`);
    return 1;
  }
  output.write(`${requeued.length} mail job(s) requeued\n`);
  return 0;
}
