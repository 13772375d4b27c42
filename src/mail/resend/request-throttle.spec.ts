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
});
