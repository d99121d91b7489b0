import { mkdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The one private folder (mode 0700) where decrypted or unchecked media may touch the disk: each
 * job works in a folder of its own, named after its process, removed when the job ends, whatever
 * the outcome. Folders of processes that no longer exist (a worker killed mid-job) are removed
 * when a process starts and after every job; live processes' folders are left alone, so several
 * workers can share a host.
 */
export class WorkFolder {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  /** Runs `fn` in a fresh private folder, always removed afterwards (and then any orphans). */
  async use<T>(kind: string, fn: (dir: string) => Promise<T>): Promise<T> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(join(this.root, `${process.pid}-${kind}-`));
    try {
      return await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await this.removeOrphans().catch(() => 0);
    }
  }

  /** A folder for work that outlives one call (the caller removes it). */
  async create(kind: string): Promise<string> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    return mkdtemp(join(this.root, `${process.pid}-${kind}-`));
  }

  /** Removes every folder whose process is gone; returns how many. */
  async removeOrphans(): Promise<number> {
    const entries = await readdir(this.root).catch(() => [] as string[]);
    let removed = 0;
    for (const name of entries) {
      const pid = Number(name.split('-')[0]);
      if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid))) continue;
      await rm(join(this.root, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** What is in the folder now (tests, health). */
  async entries(): Promise<string[]> {
    return readdir(this.root).catch(() => [] as string[]);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
