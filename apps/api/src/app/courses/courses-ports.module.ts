import { Global, Module } from '@nestjs/common';
import { AnswerFeedback, AnswerRecordings } from '@rehearse/server/courses';
import { AnswerFeedbackRepository } from '@rehearse/server/feedback';
import { AnswerRecordingsRepository } from '@rehearse/server/recordings';

/**
 * Courses' questions to the libraries built on it (courses' ports.ts), bound to the libraries that
 * answer them: an answer's recording and the organisation's prompt media by recordings, the
 * feedback published on answers by feedback. Global, because courses' services, wherever a module
 * imports CoursesModule, ask them; only the application knows both sides.
 */
@Global()
@Module({
  providers: [
    { provide: AnswerRecordings, useClass: AnswerRecordingsRepository },
    { provide: AnswerFeedback, useClass: AnswerFeedbackRepository },
  ],
  exports: [AnswerRecordings, AnswerFeedback],
})
export class CoursesPortsModule {}
