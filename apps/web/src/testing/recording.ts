import type { RecordingSummary } from '@rehearse/shared/contracts';

/** An audio answer `rec1`, transcribed by whisper.cpp: what a player with a transcript is given. */
export const TRANSCRIBED_RECORDING: RecordingSummary = {
  id: 'rec1',
  kind: 'audio',
  contentType: 'audio/wav',
  sizeBytes: 10,
  durationSeconds: 12,
  status: 'transcribed',
  failure: null,
  failureMessage: null,
  createdAt: '',
  transcribedAt: '',
  engine: 'whisper.cpp',
  model: 'ggml-tiny.en.bin',
};
