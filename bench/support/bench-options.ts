import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOption = NonNullable<ParseArgsConfig['options']>[string];

/** One option of a bench: its flag, and how it reads what was given (or falls back to a default). */
export interface BenchOption<Value> {
  flag: string;
  /** The full run's default as typed on the command line, for the usage line. */
  example: string;
  multiple?: boolean;
  /** A switch: given or not, no value. */
  switch?: boolean;
  /** Throws a message (without the flag) when the given value will not do. */
  read(given: string[], quick: boolean): Value;
}

/** One default for every run, or one for full runs and a smaller one for `--quick`. */
type Defaults<Value> = Value | { full: Value; quick: Value };

const isSplit = <Value>(defaults: Defaults<Value>): defaults is { full: Value; quick: Value } =>
  typeof defaults === 'object' && defaults !== null && 'full' in defaults;
const defaultOf = <Value>(defaults: Defaults<Value>, quick: boolean): Value =>
  isSplit(defaults) ? defaults[quick ? 'quick' : 'full'] : defaults;

function numeric(flag: string, defaults: Defaults<number>, scale: (value: number) => number) {
  const option: BenchOption<number> = {
    flag,
    example: String(defaultOf(defaults, false)),
    read: ([given], quick) => {
      const value = given === undefined ? defaultOf(defaults, quick) : Number(given);
      if (!(value > 0)) throw new Error('expects a positive number');
      return scale(value);
    },
  };
  return option;
}

/** A positive number, e.g. a rate per second. */
export const amount = (flag: string, defaults: Defaults<number>) => numeric(flag, defaults, (value) => value);
/** A positive number, rounded to a whole one: samples, connections, slices. */
export const count = (flag: string, defaults: Defaults<number>) => numeric(flag, defaults, Math.round);
/** Given in seconds, read in milliseconds. */
export const seconds = (flag: string, defaults: Defaults<number>) =>
  numeric(flag, defaults, (value) => value * 1000);

/** Whole numbers of at least 1, comma-separated: `1,8`. */
export function counts(flag: string, defaults: Defaults<number[]>): BenchOption<number[]> {
  const example = defaultOf(defaults, false).join(',');
  return {
    flag,
    example,
    read: ([given], quick) => {
      const values = given === undefined ? defaultOf(defaults, quick) : given.split(',').map(Number);
      if (values.some((value) => !Number.isInteger(value) || value < 1)) {
        throw new Error(`expects counts, e.g. ${example}`);
      }
      return values;
    },
  };
}

/** A switch, off unless given: `--headline-only`. */
export function switchOption(flag: string): BenchOption<boolean> {
  return { flag, example: '', switch: true, read: (given) => given.length > 0 };
}

/** `NAME=value`, repeatable: environment for the app on top of the bench's own, for what-if runs. */
export function environment(flag: string): BenchOption<Record<string, string>> {
  return {
    flag,
    example: 'NAME=value',
    multiple: true,
    read: (given) =>
      Object.fromEntries(
        given.map((entry) => {
          const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(entry);
          if (!match) throw new Error(`expects NAME=value, got "${entry}"`);
          return [match[1], match[2]];
        }),
      ),
  };
}

/** The options of every bench of interleaved runs (InterleavedRunner); `slices`: per arm in its main comparison. */
export const interleavedOptions = (slices: { full: number; quick: number }) => ({
  /** Connections of the load runs. */
  concurrency: count('concurrency', 32),
  /** Load on each arm before it is measured. */
  warmupMs: seconds('warmup', { full: 3, quick: 1 }),
  /** One slice of one arm; the arms of a comparison take turns slice by slice. */
  sliceMs: seconds('slice', 0.5),
  slices: count('slices', slices),
});

/** The interleaved options as a bench's JSON records them. */
export function interleavedParameters(options: {
  concurrency: number;
  warmupMs: number;
  sliceMs: number;
  slices: number;
}): Record<string, number> {
  return {
    concurrency: options.concurrency,
    warmupSeconds: options.warmupMs / 1000,
    sliceMs: options.sliceMs,
    slices: options.slices,
  };
}

type OptionSpec = Record<string, BenchOption<unknown>>;

/** Every bench takes `--quick` (a smoke run with smaller defaults) and `--keep-db` (leave its database). */
export type BenchOptions<Spec extends OptionSpec> = { quick: boolean; keepDatabase: boolean } & {
  [Key in keyof Spec]: Spec[Key] extends BenchOption<infer Value> ? Value : never;
};

function usageOf(bench: string, spec: OptionSpec): string {
  const flags = Object.values(spec).map(({ flag, example, multiple, switch: isSwitch }) =>
    isSwitch ? `[--${flag}]` : `[--${flag} ${example}]${multiple ? '…' : ''}`,
  );
  const lines = [`npm run bench -- ${bench} [--quick]`];
  for (const word of [...flags, '[--keep-db]']) {
    if (lines[lines.length - 1].length + word.length >= 100) lines.push(' ');
    lines[lines.length - 1] += ` ${word}`;
  }
  return lines.join('\n');
}

/**
 * Reads a bench's arguments against its options; `check` adds the rules between options. An error
 * names the option and ends with the usage line.
 */
export function parseBenchOptions<Spec extends OptionSpec>(
  bench: string,
  spec: Spec,
  args: string[],
  check: (options: BenchOptions<Spec>) => string | undefined = () => undefined,
): BenchOptions<Spec> {
  const fail = (message: string): never => {
    throw new Error(`${message}\n${usageOf(bench, spec)}`);
  };
  const { values }: { values: Record<string, string | boolean | (string | boolean)[] | undefined> } =
    parseArgs({
      args,
      strict: true,
      options: {
        quick: { type: 'boolean', default: false },
        'keep-db': { type: 'boolean', default: false },
        ...Object.fromEntries(
          Object.values(spec).map(({ flag, multiple, switch: isSwitch }): [string, ParseArgsOption] => [
            flag,
            isSwitch ? { type: 'boolean' } : { type: 'string', multiple: multiple ?? false },
          ]),
        ),
      },
    });
  const quick = values.quick === true;
  const options: Record<string, unknown> = { quick, keepDatabase: values['keep-db'] === true };
  for (const [key, option] of Object.entries(spec)) {
    const given = [values[option.flag] ?? []].flat().map(String);
    try {
      options[key] = option.read(given, quick);
    } catch (error) {
      fail(`--${option.flag} ${(error as Error).message}`);
    }
  }
  const problem = check(options as BenchOptions<Spec>);
  return problem === undefined ? (options as BenchOptions<Spec>) : fail(problem);
}
