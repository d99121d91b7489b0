import { toProblem } from './api-error';
import type { UploadHandle } from './recordings.api';

/** The same file: the same recording, or a file chosen again from the disk (a new File each time). */
function sameFile(a: Blob, b: Blob): boolean {
  if (a === b) return true;
  return (
    a instanceof File &&
    b instanceof File &&
    a.name === b.name &&
    a.size === b.size &&
    a.lastModified === b.lastModified &&
    a.type === b.type
  );
}

/**
 * Sends a file and submits the upload, remembering an upload the server has whole but could not
 * store for now (its answer a 5xx: its disk full, object storage away). The server keeps such an
 * upload, so the next `send` of the same file submits its id again instead of sending the file, and
 * sends the file only when the server no longer has it (404).
 */
export class HeldUpload {
  private held: { file: Blob; uploadId: string } | null = null;

  async send<T>(
    file: Blob,
    steps: {
      /** starts sending the file */
      upload(): UploadHandle;
      /** hands the whole upload over */
      submit(uploadId: string): Promise<T>;
      /** the file is on the server: it is being checked and stored */
      storing?(): void;
      /** gives up an upload held for another file (a new recording instead): it would stay open until it expired */
      discard?(uploadId: string): void;
    },
  ): Promise<T> {
    const held = this.held && sameFile(this.held.file, file) ? this.held.uploadId : null;
    if (this.held && !held) steps.discard?.(this.held.uploadId);
    this.held = null;
    let uploadId: string | null = null;
    try {
      if (held) {
        steps.storing?.();
        uploadId = held;
        const again = await steps.submit(held).then(
          (answer) => ({ answer }),
          (e: unknown) => {
            // gone meanwhile (expired): sent again (one stored after all answers with its answer)
            if (toProblem(e).status === 404) return null;
            throw e;
          },
        );
        if (again) return again.answer;
      }
      uploadId = await steps.upload().done;
      steps.storing?.();
      return await steps.submit(uploadId);
    } catch (e) {
      if (uploadId && toProblem(e).status >= 500) this.held = { file, uploadId };
      throw e;
    }
  }
}
