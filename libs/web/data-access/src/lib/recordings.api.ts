import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AnswerSummary,
  MediaPurpose,
  Page,
  PromptMediaView,
  RecordingDetail,
  RecordingEvent,
  TranscriptSearchHit,
  TranscriptView,
} from '@rehearse/shared/contracts';
import { firstValueFrom, Observable } from 'rxjs';
import { Upload } from 'tus-js-client';
import { toProblem } from './api-error';

export interface UploadHandle {
  /** resolves with the upload id once every byte arrived */
  done: Promise<string>;
  abort(): void;
}

function xsrfToken(): string {
  const m = /(?:^|;\s*)XSRF-TOKEN=([^;]*)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : '';
}

const id = (x: string) => encodeURIComponent(x);

/** A failure of a request read as text, with its JSON error body parsed (as a JSON request's is). */
function withJsonBody(e: unknown): unknown {
  if (!(e instanceof HttpErrorResponse) || typeof e.error !== 'string') return e;
  let body: unknown = null;
  try {
    body = JSON.parse(e.error);
  } catch {
    // not JSON (a proxy's page): the status alone speaks
  }
  return new HttpErrorResponse({
    error: body,
    headers: e.headers,
    status: e.status,
    statusText: e.statusText,
    url: e.url ?? undefined,
  });
}

/** Recordings: resumable upload (tus), submission, status, transcript, search. */
@Injectable({ providedIn: 'root' })
export class RecordingsApi {
  private readonly http = inject(HttpClient);

  /**
   * Uploads a file or recording with the tus protocol: chunks of 8 MiB (the part size of uploads
   * staged in S3, so each chunk becomes one part of the multipart upload), resumed after a dropped
   * connection (retries with growing delays), progress reported as a fraction 0..1.
   *
   * A file chosen from the disk by `owner` (the signed-in person) is also resumed after a reload,
   * a closed tab or a crash: the browser remembers the upload (tus's fingerprint in localStorage:
   * the person, the purpose, the file's name, size and date) until it completes, and choosing the
   * same file again continues where the server got to. A recording made in the browser is not: it
   * has no name or date to tell two apart (the browser keeps it instead: KeptRecordings).
   */
  upload(
    file: Blob,
    purpose: MediaPurpose,
    filename: string,
    onProgress: (fraction: number) => void,
    owner?: string,
  ): UploadHandle {
    let upload: Upload | null = null;
    let aborted = false;
    const resumable = owner !== undefined && file instanceof File;
    const done = new Promise<string>((resolve, reject) => {
      upload = new Upload(file, {
        storeFingerprintForResuming: resumable,
        ...(resumable
          ? {
              fingerprint: async () =>
                ['rehearse-upload', owner, purpose, file.name, file.size, file.lastModified].join(':'),
            }
          : {}),
        endpoint: '/api/uploads',
        chunkSize: 8 * 1024 * 1024,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
        metadata: { purpose, filename, filetype: file.type || 'application/octet-stream' },
        headers: { 'X-XSRF-TOKEN': xsrfToken() },
        removeFingerprintOnSuccess: true,
        onProgress: (sent, total) => onProgress(total ? sent / total : 0),
        onSuccess: () =>
          resolve(
            String(upload?.url ?? '')
              .split('/')
              .pop() ?? '',
          ),
        onError: (e) => {
          const res = (e as { originalResponse?: { getStatus(): number; getBody(): string } }).originalResponse;
          const status = res?.getStatus();
          // the API answers a refusal with its JSON error body; its message is for people
          const said = (body: string) => {
            try {
              return String((JSON.parse(body) as { message?: unknown }).message ?? body);
            } catch {
              return body;
            }
          };
          if (status === 413) reject(new Error($localize`The file is larger than this installation accepts.`));
          else if (status === 403) reject(new Error($localize`You may not upload here.`));
          else
            reject(
              new Error(
                res
                  ? $localize`The upload failed (${status}): ${said(res.getBody()).trim()}`
                  : $localize`The connection was lost and the upload could not resume. Try again.`,
              ),
            );
        },
      });
      const started = upload;
      if (!resumable) return started.start();
      // the newest unfinished upload of the same file, if the browser remembers one
      void started
        .findPreviousUploads()
        .then((previous) => {
          // (tus writes the time as Date's toString: compared as times, not as text)
          const newest = [...previous].sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime))[0];
          if (newest) started.resumeFromPreviousUpload(newest);
        })
        .catch(() => undefined)
        .then(() => aborted || started.start());
    });
    return {
      done,
      abort: () => {
        aborted = true;
        void upload?.abort(true);
      },
    };
  }

  /** Forgets the unfinished uploads this browser remembers (signing out: the next person at it finds none). */
  forgetUnfinishedUploads(): void {
    for (const key of Object.keys(localStorage)) if (key.startsWith('tus::')) localStorage.removeItem(key);
  }

  submitAnswer(courseId: string, exerciseId: string, uploadId: string): Observable<AnswerSummary> {
    return this.http.post<AnswerSummary>(`/api/my/courses/${id(courseId)}/exercises/${id(exerciseId)}/recordings`, {
      uploadId,
    });
  }

  /** Gives up an upload the server still holds (tus termination): it no longer counts as open. */
  discardUpload(uploadId: string): Observable<void> {
    return this.http.delete<void>(`/api/uploads/${id(uploadId)}`, { headers: { 'Tus-Resumable': '1.0.0' } });
  }

  uploadPrompt(courseId: string, uploadId: string): Observable<PromptMediaView> {
    return this.http.post<PromptMediaView>('/api/authoring/prompt-media', { courseId, uploadId });
  }

  /** A recording's status and the answer it belongs to. */
  recording(recordingId: string): Observable<RecordingDetail> {
    return this.http.get<RecordingDetail>(`/api/recordings/${id(recordingId)}`);
  }

  transcript(recordingId: string): Observable<TranscriptView> {
    return this.http.get<TranscriptView>(`/api/recordings/${id(recordingId)}/transcript`);
  }

  search(q: string, page: number, pageSize = 20): Observable<Page<TranscriptSearchHit>> {
    return this.http.get<Page<TranscriptSearchHit>>('/api/transcripts/search', {
      params: new HttpParams().set('q', q).set('page', page).set('pageSize', pageSize),
    });
  }

  contentUrl(recordingId: string): string {
    return `/api/recordings/${id(recordingId)}/content`;
  }

  /**
   * What to tell someone whose player could not load a recording (null: they stopped it). A
   * media element reads no error body, so the recording's first byte is asked for here: the API's
   * own answer when it refuses (signed out, deleted, a server error with its reference), else what
   * the browser reported (the connection, or a format it cannot play).
   */
  async mediaFailure(recordingId: string, error: MediaError | null): Promise<string | null> {
    if (error?.code === MediaError.MEDIA_ERR_ABORTED) return null;
    try {
      await firstValueFrom(
        this.http.get(this.contentUrl(recordingId), { headers: { Range: 'bytes=0-0' }, responseType: 'text' }),
      );
    } catch (e) {
      return $localize`The recording could not be loaded: ${toProblem(withJsonBody(e)).message}:problem:`;
    }
    return error?.code === MediaError.MEDIA_ERR_NETWORK
      ? $localize`The connection was lost while loading the recording.`
      : $localize`This browser cannot play the recording. Try another browser.`;
  }

  captionsUrl(recordingId: string): string {
    return `/api/recordings/${id(recordingId)}/captions`;
  }

  promptUrl(mediaId: string): string {
    return `/api/prompt-media/${id(mediaId)}/content`;
  }

  /** Live processing stages (server-sent events) until the recording is transcribed or failed. */
  watch(recordingId: string): Observable<RecordingEvent> {
    return new Observable<RecordingEvent>((sub) => {
      const source = new EventSource(`/api/recordings/${id(recordingId)}/events`, { withCredentials: true });
      source.addEventListener('status', (m) => {
        const e = JSON.parse((m as MessageEvent<string>).data) as RecordingEvent;
        sub.next(e);
        if (e.status === 'transcribed' || e.status === 'failed') {
          source.close();
          sub.complete();
        }
      });
      source.onerror = () => {
        // the server ends the stream after the final stage; a broken stream retries by itself
        if (source.readyState === EventSource.CLOSED) sub.complete();
      };
      return () => source.close();
    });
  }
}
