import type { DeadLetter, DeadLetterStore } from './dead-letter-store';
import { runMailCommand } from './mail.command';

class FakeDeadLetters implements DeadLetterStore {
  requeued: Array<readonly string[] | 'all'> = [];

  constructor(private readonly letters: DeadLetter[]) {}

  list(): Promise<DeadLetter[]> {
    return Promise.resolve(this.letters);
  }

  requeue(jobIds: readonly string[] | 'all'): Promise<string[]> {
    this.requeued.push(jobIds);
    const ids = this.letters.map((letter) => letter.jobId);
    return Promise.resolve(jobIds === 'all' ? ids : ids.filter((id) => jobIds.includes(id)));
  }
}

const letter: DeadLetter = {
  jobId: '0b6d3f6e-8f1c-4f7e-9a53-3c2b1d1e9f00',
  attempts: 8,
  reason: 'Gave up after 8 attempts: Resend answered 500',
  deadAt: '2030-01-01T00:00:00.000Z',
};

async function run(argv: string[], store = new FakeDeadLetters([letter])) {
  const chunks: string[] = [];
  const code = await runMailCommand(argv, {
    deadLetters: store,
    output: { write: (text) => chunks.push(text) },
  });
  return { code, text: chunks.join(''), store };
}

describe('npm run mail', () => {
  it('lists the dead letters', async () => {
    const { code, text } = await run(['dead-letters']);

    expect(code).toBe(0);
    expect(text).toBe(
      `${letter.jobId}  2030-01-01T00:00:00.000Z  attempts 8  ${letter.reason}\n1 dead-lettered mail job(s)\n`,
    );
  });

  it('requeues one job by id, or all of them', async () => {
    const one = await run(['dead-letters', '--requeue', letter.jobId]);
    expect(one.code).toBe(0);
    expect(one.store.requeued).toEqual([[letter.jobId]]);
    expect(one.text).toContain(`Requeued ${letter.jobId}`);

    const all = await run(['dead-letters', '--requeue', '--all']);
    expect(all.store.requeued).toEqual(['all']);
    expect(all.text).toContain('1 mail job(s) requeued');
  });

  it('fails when the job to requeue is not dead-lettered', async () => {
    const { code, text } = await run(['dead-letters', '--requeue', 'e7c1c1b2-0000-4000-8000-000000000000']);

    expect(code).toBe(1);
    expect(text).toContain('No dead-lettered mail job e7c1c1b2-0000-4000-8000-000000000000');
  });

  it.each([
    [[]],
    [['letters']],
    [['dead-letters', '--requeue']],
    [['dead-letters', '--requeue', 'a', '--all']],
    [['dead-letters', 'a']],
    [['dead-letters', '--force']],
  ])('answers %j with the usage and exit code 2', async (argv) => {
    const { code, text } = await run(argv);

    expect(code).toBe(2);
    expect(text).toContain('Usage: npm run mail -- <verb>');
  });
});
