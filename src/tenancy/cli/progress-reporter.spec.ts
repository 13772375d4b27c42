import { MigrationProgressReporter } from './progress-reporter';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    reporter: new MigrationProgressReporter({ isTTY, write: (text: string) => chunks.push(text) }),
    chunks,
  };
}

describe('MigrationProgressReporter', () => {
  it('redraws one bar with done/total, failures and an ETA on a terminal', () => {
    const { reporter, chunks } = capture(true);
    reporter.update({ done: 1, total: 4, failed: 0, slug: 'acme', applied: ['AddWidgets1'] });
    reporter.update({ done: 2, total: 4, failed: 1, slug: 'globex', applied: [], error: 'boom' });
    expect(chunks[0]).toMatch(/^\r\[#{8}-{22}\] 1\/4 failed 0 ETA \d+s$/);
    expect(chunks[1]).toMatch(/^\r\[#{15}-{15}\] 2\/4 failed 1 ETA/);
    expect(chunks[2]).toBe('\n  globex: FAILED boom\n');
  });

  it('writes one plain line per tenant elsewhere', () => {
    const { reporter, chunks } = capture(false);
    reporter.update({ done: 1, total: 2, failed: 0, slug: 'acme', applied: ['AddWidgets1'] });
    reporter.update({ done: 2, total: 2, failed: 1, slug: 'globex', applied: [], error: 'boom' });
    expect(chunks).toEqual(['[1/2] acme: applied AddWidgets1\n', '[2/2] globex: FAILED boom\n']);
  });

  it('ends with a summary naming every failed tenant', () => {
    const { reporter, chunks } = capture(false);
    reporter.summary({
      total: 3,
      migrated: 2,
      failures: [{ slug: 'globex', error: 'boom' }],
      skippedCurrent: 7,
      durationMs: 61_000,
    });
    expect(chunks.join('')).toBe(
      'Tenant schemas: 2 migrated, 1 failed, 7 already current (1m01s)\n  failed: globex: boom\n',
    );
  });
});
