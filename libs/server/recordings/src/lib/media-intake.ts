import { HttpStatus } from '@nestjs/common';
import { rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { MediaFailure } from '@rehearse/shared/contracts';
import { AppError, Gate, WorkFolder } from '@rehearse/server/core';
import {
  contentTypeOf,
  decodableAudio,
  MediaContainer,
  MediaError,
  MediaInfo,
  measuredSeconds,
  probe,
  remux,
  sniffFile,
  soundSeconds,
} from '@rehearse/server/media';

export interface PreparedMedia {
  /** the file to store (the upload itself, or its remuxed copy) */
  path: string;
  info: MediaInfo;
  container: MediaContainer;
  contentType: string;
  size: number;
  /** removes the private working directory */
  dispose(): Promise<void>;
}

export interface IntakeRules {
  maxSeconds: number;
  /** audio-only exercises keep the audio track only */
  dropVideo: boolean;
  requireAudio: boolean;
}

/** A refused file: 422 with the reason (machine-readable) and a message the uploader can act on. */
export function refused(reason: MediaFailure, message: string): AppError {
  return new AppError(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'invalid_media',
    message,
    [{ field: 'file', messages: [message] }],
    undefined,
    reason,
  );
}

/**
 * The intakes this process runs at once (MEDIA_INTAKE_CONCURRENCY, the host's cores); the others
 * wait their turn. Each runs ffprobe and ffmpeg two to five times (a WebM copied, its sound
 * decoded): a class of 200 submitting at the deadline started 400 and more programs at once on
 * the API's host, each with its own memory (tens of megabytes), thrashing it and taking longer
 * for everyone than one after the other.
 */
const intakes = new Gate(availableParallelism());

/** Intakes at once from now on (config: MEDIA_INTAKE_CONCURRENCY; RecordingsModule sets it at start). */
export function useIntakeConcurrency(limit: number): void {
  intakes.resize(limit);
}

/** Intakes running, and waiting for their turn. */
export function intakeLoad(): { running: number; waiting: number } {
  return { running: intakes.running, waiting: intakes.waiting };
}

/**
 * Checks an uploaded file by its content (magic bytes, then ffprobe with the demuxer forced),
 * never by its name or declared type; rewrites WebM (MediaRecorder's has no duration or cues)
 * and strips video for audio-only exercises; enforces the length limit. In its turn (`intakes`).
 */
export function prepareMedia(source: string, rules: IntakeRules, work: WorkFolder): Promise<PreparedMedia> {
  return intakes.run(() => prepare(source, rules, work));
}

async function prepare(source: string, rules: IntakeRules, work: WorkFolder): Promise<PreparedMedia> {
  const { size } = await stat(source);
  if (size === 0) throw refused('empty', 'The file is empty');
  const dir = await work.create('intake');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const sniffed = await sniffFile(source);
    if (!sniffed)
      throw new MediaError(
        'This is not an audio or video file we accept (WebM, MP4/MOV/M4A, WAV, MP3, Ogg)',
        'unsupported_type',
      );
    let path = source;
    let info = await probe(source);
    if (sniffed === 'webm' || (rules.dropVideo && info.hasVideo)) {
      path = join(dir, `media.${sniffed === 'webm' ? 'webm' : 'm4a'}`);
      await remux(source, path, { dropVideo: rules.dropVideo });
      info = await probe(path);
    }
    // a sound the ffmpeg in use cannot decode (the app's build reads the codecs of the accepted
    // containers, not DTS or Speex) would fail only at transcription, with the answer stored
    if (info.hasAudio && info.audioCodec && !(await decodableAudio()).has(info.audioCodec))
      throw new MediaError(
        `The sound is in a format Rehearse cannot read (${info.audioCodec}): record the answer in the browser, or save the file with AAC, Opus, Vorbis, MP3, FLAC or WAV sound`,
        'unsupported_type',
      );
    if (rules.requireAudio && !info.hasAudio) throw new MediaError('The file has no sound track', 'no_audio');
    if (!info.hasAudio && !info.hasVideo) throw new MediaError('The file has neither sound nor picture', 'no_audio');
    // the length its packets last and its sound decodes to, not only what the header states (a
    // header can say one second of forty, and so can the packets' times): read up to a second past
    // the limit, half a second allowed for the last packet's length, which a header rounds; the
    // stated length stands unless the file lasts longer
    const measured = Math.max(
      ...(await Promise.all([
        measuredSeconds(path, rules.maxSeconds + 1),
        info.hasAudio ? soundSeconds(path, rules.maxSeconds + 1) : 0,
      ])),
    );
    if (measured > rules.maxSeconds + 0.5 && !(info.durationSeconds > rules.maxSeconds))
      throw new MediaError(`The recording is longer than ${Math.round(rules.maxSeconds)} s`, 'too_long');
    if (measured > 0 && !(info.durationSeconds >= measured - 0.5)) info = { ...info, durationSeconds: measured };
    if (!Number.isFinite(info.durationSeconds) || info.durationSeconds <= 0)
      throw new MediaError('The length of the recording could not be measured: the file may be damaged', 'corrupt');
    if (info.durationSeconds > rules.maxSeconds) {
      throw new MediaError(
        `The recording is ${Math.round(info.durationSeconds)} s long; at most ${Math.round(rules.maxSeconds)} s are allowed here`,
        'too_long',
      );
    }
    return {
      path,
      info,
      container: info.container,
      contentType: contentTypeOf(info.container, info.hasVideo),
      size: (await stat(path)).size,
      dispose,
    };
  } catch (e) {
    await dispose();
    if (e instanceof MediaError) throw refused(e.reason, e.message);
    throw e;
  }
}
