import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

/** Official ggml Whisper models (MIT), with the hashes a provisioned file must match. */
export interface ModelEntry {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
  url: string;
}

const HF = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';
export const MODEL_MANIFEST: ModelEntry[] = [
  { name: 'tiny.en', file: 'ggml-tiny.en.bin', bytes: 77_704_715, sha256: '921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f', url: `${HF}/ggml-tiny.en.bin` },
  { name: 'tiny', file: 'ggml-tiny.bin', bytes: 77_691_713, sha256: 'be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21', url: `${HF}/ggml-tiny.bin` },
  { name: 'base.en', file: 'ggml-base.en.bin', bytes: 147_964_211, sha256: 'a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002', url: `${HF}/ggml-base.en.bin` },
  { name: 'tiny.en-q8_0', file: 'ggml-tiny.en-q8_0.bin', bytes: 43_550_795, sha256: '5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94', url: `${HF}/ggml-tiny.en-q8_0.bin` },
];

export class ModelError extends Error {}

export function manifestEntry(name: string, manifest = MODEL_MANIFEST): ModelEntry {
  const entry = manifest.find((m) => m.name === name);
  if (!entry) throw new ModelError(`unknown model "${name}"; known: ${manifest.map((m) => m.name).join(', ')}`);
  return entry;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Checks an installed model against the manifest: present, right size, right hash. */
export async function verifyModel(dir: string, entry: ModelEntry): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
  const path = join(dir, entry.file);
  try {
    const s = await stat(path);
    if (s.size !== entry.bytes) return { ok: false, reason: `${entry.file} is ${s.size} bytes, expected ${entry.bytes}` };
  } catch {
    return { ok: false, reason: `${entry.file} is not installed in ${dir}` };
  }
  const digest = await sha256File(path);
  return digest === entry.sha256 ? { ok: true, path } : { ok: false, reason: `${entry.file} has sha256 ${digest}, expected ${entry.sha256}` };
}

/** Copies a file brought in by hand into the models folder, after checking it. */
export async function importModel(source: string, dir: string, entry: ModelEntry): Promise<string> {
  const s = await stat(source).catch(() => null);
  if (!s) throw new ModelError(`${source} does not exist`);
  if (s.size !== entry.bytes) throw new ModelError(`${source} is ${s.size} bytes; ${entry.name} is ${entry.bytes} bytes. Wrong file?`);
  const digest = await sha256File(source);
  if (digest !== entry.sha256) throw new ModelError(`${source} has sha256 ${digest}; ${entry.name} must be ${entry.sha256}`);
  await mkdir(dir, { recursive: true });
  const target = join(dir, entry.file);
  await copyFile(source, `${target}.partial`);
  await rename(`${target}.partial`, target);
  return target;
}

/** Downloads a model where the internet is reachable; verifies it before it replaces anything. */
export async function downloadModel(dir: string, entry: ModelEntry, fetchImpl: typeof fetch = fetch): Promise<string> {
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
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(partial));
    const digest = await sha256File(partial);
    if (digest !== entry.sha256) throw new ModelError(`Downloaded ${entry.file} has sha256 ${digest}, expected ${entry.sha256}; discarded`);
    await rename(partial, target);
    return target;
  } finally {
    await rm(partial, { force: true });
  }
}
