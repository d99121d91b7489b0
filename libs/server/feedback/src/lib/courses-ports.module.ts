import { Global, Module } from '@nestjs/common';
import { AnswerFeedback, AnswerRecordings } from '@rehearse/server/courses';
import { AnswerFeedbackRepository } from './answer-feedback.repository';
import { FeedbackRepositoriesModule } from './feedback.module';
import { AnswerRecordingsRepository, RecordingsRepositoriesModule } from '@rehearse/server/recordings';

/**
 * Courses' questions to the libraries built on it (courses' ports.ts), bound to the libraries that
 * answer them: an answer's recording and the organisation's prompt media by recordings, the
 * feedback published on answers by feedback. It lives in feedback, the lowest library that sees
 * courses, recordings and itself; global, because courses' services ask them wherever a module
 * imports CoursesModule. Every composition that uses CoursesModule imports it once: the API, and
 * the command-line tools' contexts (tools/lib).
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
