import { ConfigValidationError } from '../../config';

/**
 * The entry of a command-line tool: runs `main`, exits with the code it returns, and turns a thrown
 * error into one line on stderr (a configuration error as its own message) and exit code 1.
 */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof ConfigValidationError ? error.message : `${name} failed: ${(error as Error).message}`}\n`,
      );
      process.exit(1);
    },
  );
}
