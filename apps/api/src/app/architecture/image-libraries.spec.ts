import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { appMediaPrograms } from '@rehearse/server/testing';
import { testSpeechEnv } from '../../test/speech-engine';

const ROOT = join(__dirname, '../../../../..');

/** The Dockerfile reader tools/image-check.ts builds the images with (tools/lib/dockerfile.ts). */
type Dockerfile = { stages: { name: string; from: string; instructions: { op: string; args: string }[] }[] };
const { parseDockerfile, stageChain } = require(join(ROOT, 'tools/lib/dockerfile')) as {
  parseDockerfile(text: string): Dockerfile;
  stageChain(file: Dockerfile, name: string): Dockerfile['stages'];
};

/**
 * The packages an image's stage installs with apt-get, with those of the stages it is built on
 * (`FROM <stage> AS …` in the same Dockerfile).
 */
function stagePackages(dockerfile: string, stage: string): string[] {
  return stageChain(parseDockerfile(dockerfile), stage)
    .flatMap((s) => s.instructions.filter((i) => i.op === 'RUN'))
    .flatMap(({ args }) =>
      [...args.matchAll(/apt-get install((?:\s+[^\s&;]+)+)/g)].flatMap((m) =>
        m[1]
          .trim()
          .split(/\s+/)
          .filter((p) => !p.startsWith('-')),
      ),
    );
}

/** Whether a stage's environment turns the daily backup off (ENV BACKUP_ENABLED=false). */
function backupsOff(dockerfile: string, stage: string): boolean {
  return stageChain(parseDockerfile(dockerfile), stage).some((s) =>
    s.instructions.some((i) => i.op === 'ENV' && /\bBACKUP_ENABLED=false\b/.test(i.args)),
  );
}

/** The shared libraries a program names itself (ELF NEEDED), each with the Debian package holding it. */
function neededPackages(program: string): { library: string; pkg: string }[] {
  const needed = [
    ...execFileSync('readelf', ['-d', program], { encoding: 'utf8' }).matchAll(/\(NEEDED\).*\[(.+)\]/g),
  ].map((m) => m[1]);
  const resolved = new Map(
    [...execFileSync('ldd', [program], { encoding: 'utf8' }).matchAll(/^\s*(\S+) => (\/\S+)/gm)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  return needed.map((library) => {
    const path = resolved.get(library);
    if (!path) return { library, pkg: 'not found on this machine' };
    // dpkg knows a file by the path its package installed: /lib/… or /usr/lib/…, the link or its target
    const real = realpathSync(path);
    const paths = [path, real].flatMap((p) => [p, p.startsWith('/usr/') ? p.slice(4) : `/usr${p}`]);
    for (const p of paths) {
      try {
        return {
          library,
          pkg: execFileSync('dpkg', ['-S', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0],
        };
      } catch {
        // not registered under this spelling
      }
    }
    return { library, pkg: `no package holds ${real}` };
  });
}

/**
 * What the images' Node.js itself needs, so every image based on node:<major>-bookworm-slim has it:
 * the C library, GCC's runtime and the C++ library.
 */
const NODE_IMAGE = ['libc6', 'libgcc-s1', 'libstdc++6'];

describe("the images' programs find their shared libraries (no Docker engine here: read from the Dockerfiles)", () => {
  const node = readFileSync(join(ROOT, 'docker/node.Dockerfile'), 'utf8');

  it('reads the packages of a stage and of the stages it is built on', () => {
    const file = [
      'FROM debian AS base',
      'RUN apt-get update && apt-get install -y --no-install-recommends a b \\',
      '    c && rm -rf /var/lib/apt/lists/*',
      'FROM base AS app',
      'RUN apt-get install -y d',
      'FROM debian AS other',
      'RUN apt-get install -y e',
    ].join('\n');
    expect(stagePackages(file, 'app')).toEqual(['a', 'b', 'c', 'd']);
    expect(stagePackages(file, 'other')).toEqual(['e']);
    expect(stagePackages(node, 'worker')).toEqual(expect.arrayContaining(['pocketsphinx', 'libopenblas0-pthread']));
  });

  // whisper.cpp's program is built here as in the worker image's whisper stage (the same script;
  // the image's without -march=native): a library it names that the worker stage does not install
  // stops it at start in the image. libgomp1 (OpenMP's threads) was missing until 2026-12-06: the
  // image's worker could not run whisper-cli (found building the stages in a Debian root:
  // README, "The images without Docker")
  it("whisper-cli: every library it names is installed in the worker image's stage", () => {
    const installed = new Set([...NODE_IMAGE, ...stagePackages(node, 'worker')]);
    const missing = neededPackages(testSpeechEnv()['WHISPER_CLI']).filter((l) => !installed.has(l.pkg));
    expect(missing).toEqual([]);
  });

  // the daily backup runs pg_dump in whichever worker takes its lock: a worker image without it
  // failed the backup each time it won the lock (the GPU image until 2026-12-06)
  it('every worker image either has pg_dump (postgresql-client) or leaves the daily backup to the others', () => {
    const gpu = readFileSync(join(ROOT, 'docker/worker-gpu.Dockerfile'), 'utf8');
    const workers: [string, string, string][] = [
      ['node.Dockerfile', node, 'worker'],
      ['worker-gpu.Dockerfile', gpu, 'worker-gpu'],
    ];
    const lacking = workers.filter(
      ([, file, stage]) => !backupsOff(file, stage) && !stagePackages(file, stage).includes('postgresql-client'),
    );
    expect(lacking.map(([name]) => name)).toEqual([]);
    // the CPU image is the one that takes them
    expect(backupsOff(node, 'worker')).toBe(false);
    expect(backupsOff(gpu, 'worker-gpu')).toBe(true);
  });

  it('ffmpeg and ffprobe (built as the images build them): nothing but what every image has', () => {
    const { FFMPEG_PATH, FFPROBE_PATH } = appMediaPrograms(true);
    for (const program of [FFMPEG_PATH, FFPROBE_PATH]) {
      const needed = neededPackages(program);
      expect(needed.map((l) => l.library)).toContain('libc.so.6');
      for (const stage of ['api', 'worker']) {
        const installed = new Set([...NODE_IMAGE, ...stagePackages(node, stage)]);
        expect(needed.filter((l) => !installed.has(l.pkg))).toEqual([]);
      }
    }
  });
});
