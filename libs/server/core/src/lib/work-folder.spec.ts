import { spawn } from 'node:child_process';
import { mkdtemp, readdir, stat, writeFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkFolder } from './work-folder';

describe('the private work folder', () => {
  let root: string;
  beforeEach(async () => {
    root = join(await mkdtemp(join(tmpdir(), 'rehearse-work-spec-')), 'work');
  });
  afterEach(() => rm(join(root, '..'), { recursive: true, force: true }));

  it('is private (0700), and a job folder is removed whatever the outcome', async () => {
    const work = new WorkFolder(root);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    let seen = '';
    await work.use('media', async (dir) => {
      seen = dir;
      await writeFile(join(dir, 'audio.wav'), 'decrypted');
      expect(await readdir(root)).toEqual([dir.split('/').pop()]);
    });
    await expect(work.use('media', async () => Promise.reject(new Error('engine failed')))).rejects.toThrow(
      'engine failed',
    );
    expect(seen.startsWith(join(root, `${process.pid}-media-`))).toBe(true);
    expect(await readdir(root)).toEqual([]);
  });

  it('removes the folders of processes that are gone, and leaves those of live ones', async () => {
    const work = new WorkFolder(root);
    const gone = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0']);
      child.once('exit', () => resolve(child.pid as number));
    });
    await mkdir(join(root, `${gone}-media-abc`));
    await writeFile(join(root, `${gone}-media-abc`, 'audio.wav'), 'left behind by a killed worker');
    await mkdir(join(root, 'not-a-pid'));
    const live = await work.create('media');
    expect(await work.removeOrphans()).toBe(2);
    expect(await readdir(root)).toEqual([live.split('/').pop()]);
  });
});
