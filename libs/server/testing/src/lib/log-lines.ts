import { Writable } from 'node:stream';

/**
 * A stream for a logger under test (`createLogger(level, stream)`) and the JSON lines written to
 * it, parsed, in order. Empty `lines` between cases with `lines.length = 0`.
 */
export function logLines(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { stream, lines };
}
