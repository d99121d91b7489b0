import { Global, Module } from '@nestjs/common';
import { AnswerFeedback, AnswerRecordings } from '@rehearse/server/courses';
import { AnswerFeedbackRepository, FeedbackRepositoriesModule } from '@rehearse/server/feedback';
import { AnswerRecordingsRepository, RecordingsRepositoriesModule } from '@rehearse/server/recordings';

/**
 * Courses' questions to the libraries built on it (courses' ports.ts), bound to the libraries that
 * answer them: an answer's recording and the organisation's prompt media by recordings, the
 * feedback published on answers by feedback. Global, because courses' services, wherever a module
 * imports CoursesModule, ask them; only the application knows both sides.
 */
@Global()
@Module({
  imports: [RecordingsRepositoriesModule, FeedbackRepositoriesModule],
  providers: [
    { provide: AnswerRecordings, useExisting: AnswerRecordingsRepository },
    { provide: AnswerFeedback, useExisting: AnswerFeedbackRepository },
  ],
  exports: [AnswerRecordings, AnswerFeedback],
})
export class CoursesPortsModule {}
