import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

export interface CommandResult {
  code: number;
  /** stdout and stderr, for the failure message. */
  output: string;
}

export interface WorkingTreeCopy {
  dir: string;
  /** Runs a command in the copy; never rejects, answers its exit code and output. */
  run(command: string, args: string[]): Promise<CommandResult>;
  remove(): void;
}

/**
 * The working tree (tracked files, and untracked ones git does not ignore) copied to a new temporary
 * directory, with a symlink to this checkout's node_modules.
 */
export function copyWorkingTree(prefix: string): WorkingTreeCopy {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of listed.split('\0')) {
    if (!file || file === 'node_modules' || !existsSync(path.join(REPOSITORY_ROOT, file))) continue;
    cpSync(path.join(REPOSITORY_ROOT, file), path.join(dir, file), { recursive: true });
  }
  symlinkSync(realpathSync(path.join(REPOSITORY_ROOT, 'node_modules')), path.join(dir, 'node_modules'));
  return {
    dir,
    run: (command, args) =>
      new Promise((resolve) => {
        execFile(command, args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, output: `$ ${command} ${args.join(' ')}\n${stdout}${stderr}` });
        });
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
