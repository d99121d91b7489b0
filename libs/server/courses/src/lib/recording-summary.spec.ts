import { toRecordingSummary, type RecordingSummaryRow } from './recording-summary';

const FAILED: RecordingSummaryRow = {
  rec_id: 'r1',
  rec_has_video: false,
  rec_content_type: 'audio/webm',
  rec_size: '1000',
  rec_duration: null,
  rec_status: 'failed',
  rec_failure: 'too_long',
  rec_failure_message: 'The recording is 312 s long; at most 120 s are allowed here',
  rec_created_at: new Date('2026-11-30T10:00:00Z'),
  rec_transcribed_at: null,
  rec_engine: null,
  rec_model: null,
};

describe('a recording as the API shows it', () => {
  it('says why it failed in the reader’s language, with the numbers kept', () => {
    expect(toRecordingSummary(FAILED)?.failureMessage).toBe(
      'The recording is 312 s long; at most 120 s are allowed here',
    );
    expect(toRecordingSummary(FAILED, 'en')?.failureMessage).toBe(
      'The recording is 312 s long; at most 120 s are allowed here',
    );
    expect(toRecordingSummary(FAILED, 'nl')?.failureMessage).toBe(
      'De opname duurt 312 s; hier zijn hoogstens 120 s toegestaan',
    );
    expect(toRecordingSummary({ ...FAILED, rec_failure_message: null }, 'nl')?.failureMessage).toBeNull();
    expect(toRecordingSummary({ ...FAILED, rec_id: null } as unknown as RecordingSummaryRow, 'nl')).toBeNull();
  });
});
