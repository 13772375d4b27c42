import { StoreOutageLog } from './store-outage-log';

describe('StoreOutageLog', () => {
  let now: number;
  let warnings: string[];
  let recoveries: string[];
  let log: StoreOutageLog;

  beforeEach(() => {
    now = 1_000_000;
    warnings = [];
    recoveries = [];
    log = new StoreOutageLog(
      { warn: (message) => warnings.push(message), log: (message) => recoveries.push(message) },
      'serving without limits',
      30_000,
      () => now,
    );
  });

  const fail = () => log.failed(new Error('rate-limit store unavailable: connection refused'));

  it('warns at the first failure, then once per interval with the number of requests affected', () => {
    fail();
    expect(warnings).toEqual([
      'rate-limit store unavailable: connection refused; serving without limits (1 request since the last report)',
    ]);
    for (let i = 0; i < 500; i++) {
      now += 50;
      fail();
    }
    expect(warnings).toHaveLength(1);
    now += 5_001;
    fail();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/\(501 requests since the last report\)$/);
  });

  it('says once that the store is back, and warns at once when the next outage starts', () => {
    log.succeeded();
    expect(recoveries).toEqual([]);
    fail();
    now += 12_000;
    fail();
    log.succeeded();
    log.succeeded();
    expect(recoveries).toEqual(['rate-limit store reachable again after about 12 s']);
    now += 1_000;
    fail();
    expect(warnings).toHaveLength(2);
  });
});
