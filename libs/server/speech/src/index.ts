export * from './lib/speech-engine';
export * from './lib/whisper-cpp.engine';
export * from './lib/models';
export * from './lib/pocketsphinx.engine';
export * from './lib/whisper-cli.engine';
export * from './lib/ct2-ggml';
export * from './lib/wer';
export * from './lib/parts';
