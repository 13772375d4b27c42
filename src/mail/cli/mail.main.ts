import 'reflect-metadata';
import { runCommand } from '../../common/cli/run-command';
import { loadAppConfig } from '../../config';
import { openCliDataSource } from '../../tenancy/cli/cli-data-source';
import { MailTopology } from '../queue/mail-topology';
import { type DeadLetterStore, OutboxDeadLetterStore, RabbitMqDeadLetterStore } from './dead-letter-store';
import { runMailCommand } from './mail.command';

async function main(): Promise<number> {
  const config = loadAppConfig();
  const cli = await openCliDataSource(config, 2);
  const deadLetters: DeadLetterStore = config.rabbitmq
    ? new RabbitMqDeadLetterStore(
        config.rabbitmq.url,
        new MailTopology(config.mail.queuePrefix, config.mail.retryDelaysMs),
        cli.dataSource,
      )
    : new OutboxDeadLetterStore(cli.dataSource);
  try {
    return await runMailCommand(process.argv.slice(2), { deadLetters, output: process.stdout });
  } finally {
    await cli.close();
  }
}

runCommand('mail command', main);
