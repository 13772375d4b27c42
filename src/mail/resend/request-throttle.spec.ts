import { RequestThrottle } from './request-throttle';

describe('RequestThrottle', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  /** Starts `count` acquisitions at once and records when each is granted. */
  function grantTimes(throttle: RequestThrottle, count: number): number[] {
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) void throttle.acquire().then(() => times.push(Date.now()));
    return times;
  }

  it('grants the first request at once and spaces the next ones evenly', async () => {
    const times = grantTimes(new RequestThrottle({ requestsPerSecond: 2 }), 4);

    await jest.advanceTimersByTimeAsync(2000);

    expect(times).toEqual([0, 500, 1000, 1500]);
  });

  it('defaults to two requests per second', async () => {
    const times = grantTimes(new RequestThrottle(), 3);

    await jest.advanceTimersByTimeAsync(2000);

    expect(times).toEqual([0, 500, 1000]);
  });

  it('does not hold a request back once the interval since the last one has passed', async () => {
    const throttle = new RequestThrottle({ requestsPerSecond: 2 });
    await throttle.acquire();
    await jest.advanceTimersByTimeAsync(3000);

    const times = grantTimes(throttle, 1);
    await jest.advanceTimersByTimeAsync(0);

    expect(times).toEqual([3000]);
  });

  it('holds back waiting and later callers during a pause', async () => {
    const throttle = new RequestThrottle({ requestsPerSecond: 10 });
    const times = grantTimes(throttle, 2);
    await jest.advanceTimersByTimeAsync(50);

    throttle.pauseFor(1000);
    const later = grantTimes(throttle, 1);
    await jest.advanceTimersByTimeAsync(2000);

    expect(times).toEqual([0, 1050]);
    expect(later).toEqual([1150]);
  });

  it('extends, never shortens, a pause', async () => {
    const throttle = new RequestThrottle({ requestsPerSecond: 10 });
    throttle.pauseFor(2000);
    throttle.pauseFor(500);
    const times = grantTimes(throttle, 1);

    await jest.advanceTimersByTimeAsync(3000);

    expect(times).toEqual([2000]);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => new RequestThrottle({ requestsPerSecond: 0 })).toThrow(RangeError);
  });

  describe('with bursts allowed', () => {
    it('grants up to the rate at once, then waits for the rolling second and a margin', async () => {
      const times = grantTimes(new RequestThrottle({ requestsPerSecond: 2, allowBursts: true }), 5);

      await jest.advanceTimersByTimeAsync(3000);

      expect(times).toEqual([0, 0, 1050, 1050, 2100]);
    });

    it('never lets a rolling second hold more than the rate', async () => {
      const throttle = new RequestThrottle({ requestsPerSecond: 2, allowBursts: true });
      const times: number[] = [];
      for (const at of [0, 300, 600, 900, 1200, 1500]) {
        setTimeout(() => void throttle.acquire().then(() => times.push(Date.now())), at);
      }

      await jest.advanceTimersByTimeAsync(5000);

      expect(times).toEqual([0, 300, 1050, 1350, 2100, 2400]);
      for (let i = 2; i < times.length; i += 1) expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(1000);
    });

    it('spreads a fractional rate over a longer window', async () => {
      const times = grantTimes(new RequestThrottle({ requestsPerSecond: 0.5, allowBursts: true }), 2);

      await jest.advanceTimersByTimeAsync(3000);

      expect(times).toEqual([0, 2050]);
    });
  });

  describe('untilReady', () => {
    /** Resolves `untilReady` and records when. */
    function readyTime(throttle: RequestThrottle): number[] {
      const times: number[] = [];
      void throttle.untilReady().then(() => times.push(Date.now()));
      return times;
    }

    it('is ready at once when nothing was granted yet', async () => {
      const times = readyTime(new RequestThrottle({ requestsPerSecond: 2 }));

      await jest.advanceTimersByTimeAsync(0);

      expect(times).toEqual([0]);
    });

    it('waits for the interval after the last grant, and grants nothing itself', async () => {
      const throttle = new RequestThrottle({ requestsPerSecond: 2 });
      await throttle.acquire();
      const times = readyTime(throttle);

      await jest.advanceTimersByTimeAsync(1000);
      const granted = grantTimes(throttle, 1);
      await jest.advanceTimersByTimeAsync(0);

      expect(times).toEqual([500]);
      expect(granted).toEqual([1000]);
    });

    it('waits until queued requests are granted and for a pause', async () => {
      const throttle = new RequestThrottle({ requestsPerSecond: 2 });
      grantTimes(throttle, 2);
      throttle.pauseFor(2000);
      const times = readyTime(throttle);

      await jest.advanceTimersByTimeAsync(5000);

      expect(times).toEqual([2500]);
    });
  });
});
