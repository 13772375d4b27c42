import type { MailJobDelivery } from '../queue/mail-job-queue';
import { RequestThrottle } from '../resend/request-throttle';
import { MailDispatcher } from './mail-dispatcher';
import type { MailJobProcessor } from './mail-job-processor';

function delivery(jobId: string): MailJobDelivery {
  return {
    jobId,
    attempt: 1,
    complete: () => Promise.resolve(),
    retryLater: () => Promise.resolve(),
    deadLetter: () => Promise.resolve(),
  };
}

/** A processor that records its rounds and, like the real one, takes a throttle slot per round. */
function recordingProcessor(throttle: RequestThrottle) {
  const rounds: Array<{ at: number; jobIds: string[] }> = [];
  const processor = {
    start: (deliveries: MailJobDelivery[]) => {
      rounds.push({ at: Date.now(), jobIds: deliveries.map((d) => d.jobId) });
      return Promise.resolve({ settled: throttle.acquire() });
    },
  } as unknown as MailJobProcessor;
  return { processor, rounds };
}

describe('MailDispatcher', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('sends a lone delivery at once', async () => {
    const throttle = new RequestThrottle({ requestsPerSecond: 2 });
    const { processor, rounds } = recordingProcessor(throttle);
    const dispatcher = new MailDispatcher(processor, throttle);
    dispatcher.start();

    dispatcher.accept(delivery('a'));
    await jest.advanceTimersByTimeAsync(0);

    expect(rounds).toEqual([{ at: 0, jobIds: ['a'] }]);
    await dispatcher.stop();
  });

  it('gathers what arrives while the throttle is busy into the next round, up to 100', async () => {
    const throttle = new RequestThrottle({ requestsPerSecond: 2 });
    const { processor, rounds } = recordingProcessor(throttle);
    const dispatcher = new MailDispatcher(processor, throttle);
    dispatcher.start();

    dispatcher.accept(delivery('first'));
    await jest.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 150; i += 1) dispatcher.accept(delivery(`job-${i}`));
    await jest.advanceTimersByTimeAsync(1000);

    expect(rounds.map((round) => [round.at, round.jobIds.length])).toEqual([
      [0, 1],
      [500, 100],
      [1000, 50],
    ]);
    await dispatcher.stop();
  });

  it('starts no round after stop and leaves the waiting deliveries unsettled', async () => {
    const throttle = new RequestThrottle({ requestsPerSecond: 2 });
    const { processor, rounds } = recordingProcessor(throttle);
    const dispatcher = new MailDispatcher(processor, throttle);
    dispatcher.start();
    dispatcher.accept(delivery('first'));
    await jest.advanceTimersByTimeAsync(0);
    dispatcher.accept(delivery('second'));

    const stopped = dispatcher.stop();
    await jest.advanceTimersByTimeAsync(1000);
    await stopped;

    expect(rounds.map((round) => round.jobIds)).toEqual([['first']]);
  });
});
