import { Global, Module } from '@nestjs/common';
import { AnswerFeedback, AnswerRecordings } from '@rehearse/server/courses';
import { AnswerFeedbackRepository } from './answer-feedback.repository';
import { FeedbackRepositoriesModule } from './feedback.module';
import { AnswerRecordingsRepository, RecordingsRepositoriesModule } from '@rehearse/server/recordings';

/**
 * The questions lower libraries ask of the ones built on them (their ports.ts), bound to the
 * libraries that answer them: courses' answer recordings and prompt media by recordings, the
 * feedback published on answers by feedback. It lives in feedback, the lowest library that sees
 * accounts, courses, recordings and itself; global, because the asking services are reached
 * wherever a module imports AccountsModule or CoursesModule. Every composition that uses them imports it once: the API, and the command-line
 * tools' contexts (tools/lib).
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
export class DomainPortsModule {}
