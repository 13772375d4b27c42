/** What a bench hands back to `bench/run.ts`, which prints it and writes `bench/results/<name>.json`. */
export interface Bench {
  run(context: BenchContext): Promise<BenchOutcome>;
}

export interface BenchContext {
  /** The arguments after the bench name, e.g. `--quick`. */
  args: string[];
  /** Progress for the person watching; not part of the results. */
  progress: (line: string) => void;
}

export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/**
 * A target and what was measured against it. `ratio` targets compare with a baseline measured in the
 * same run (machines are noisy); `absolute` ones are the fixed limits.
 */
export interface Verdict {
  target: string;
  kind: 'ratio' | 'absolute';
  measured: number;
  limit: number;
  comparison: '>=' | '<=';
  unit: string;
  pass: boolean;
  note?: string;
}

export interface BenchOutcome {
  /** Written to a separate `<name>.quick.json`, so a smoke run never replaces the real results. */
  quick: boolean;
  parameters: Record<string, unknown>;
  tables: Table[];
  verdicts: Verdict[];
  results: Record<string, unknown>;
  notes: string[];
}

export function verdict(fields: Omit<Verdict, 'pass'>): Verdict {
  const pass = fields.comparison === '>=' ? fields.measured >= fields.limit : fields.measured <= fields.limit;
  return { ...fields, pass };
}
