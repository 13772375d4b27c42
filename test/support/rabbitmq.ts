import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { MailTopology } from '../../src/mail/queue/mail-topology';

const run = promisify(execFile);

/** The machine's RabbitMQ that e2e tests run against. */
export const TEST_RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A queue prefix no other test file uses; the app also names its connections after it. */
export function uniqueMailQueuePrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Removes the exchanges and queues of a test's topology, messages and all. */
export async function deleteMailTopology(prefix: string, retryDelaysMs: readonly number[]): Promise<void> {
  const topology = new MailTopology(prefix, retryDelaysMs);
  const connection = await connect(TEST_RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    for (const queue of topology.queues) await channel.deleteQueue(queue);
    for (const exchange of topology.exchanges) await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

export async function queueDepth(queue: string): Promise<number> {
  const connection = await connect(TEST_RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}

/**
 * Closes, from the broker's side, the connections whose client-provided name starts with `prefix`,
 * leaving other test files' connections alone. Returns how many it closed.
 */
export async function closeConnectionsNamed(prefix: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', [
    '-q',
    'list_connections',
    '--no-table-headers',
    'pid',
    'client_properties',
  ]);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${prefix}`))
    .map((line) => line.split('\t')[0]);
  for (const pid of pids) {
    await run('rabbitmqctl', ['-q', 'close_connection', pid, 'closed by a test']);
  }
  return pids.length;
}
