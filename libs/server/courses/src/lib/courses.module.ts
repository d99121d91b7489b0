import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { Module } from '@nestjs/common';
import { CoursesService } from './courses.service';
import { CourseFilesService } from './course-files.service';
import { RubricsService } from './rubrics.service';
import { GroupsService } from './groups.service';
import { EnrolmentsService } from './enrolments.service';
import { LearningService } from './learning.service';
import { CoachedLearningService } from './coached-learning.service';
import { CoursesRepository } from './courses.repository';
import { RubricsRepository } from './rubrics.repository';
import { GroupsRepository } from './groups.repository';
import { LearningRepository } from './learning.repository';
import { CoursesFootprintRepository } from './courses-footprint.repository';
import { MailOutbox, MailOutboxRepository, MailProducer, QueueModule, UnsubscribeLinks } from '@rehearse/server/mail';
import { CourseRemindersRepository } from './course-reminders.repository';
import { CourseProgress } from './course-progress';
import { CourseDueSweeper } from './course-due.sweeper';
import { CourseDueSoonMail } from './mail/course-due-soon.mail';

const SERVICES = [
  CoursesService,
  CourseFilesService,
  RubricsService,
  GroupsService,
  EnrolmentsService,
  LearningService,
  CoachedLearningService,
];
/** The statements on courses' own tables (other libraries may ask through them). */
const REPOSITORIES = [CoursesRepository, RubricsRepository, GroupsRepository, LearningRepository];

@Module({
  imports: [AccountsRepositoriesModule],
  providers: [...SERVICES, ...REPOSITORIES],
  exports: [...SERVICES, ...REPOSITORIES],
})
export class CoursesModule {}

/**
 * Courses' repositories other libraries ask without courses' services: a person's and an
 * organisation's data for privacy's export and erasure, an answer's course and version for the
 * transcription worker, groups' names.
 */
@Module({
  providers: [CoursesFootprintRepository, LearningRepository, GroupsRepository],
  exports: [CoursesFootprintRepository, LearningRepository, GroupsRepository],
})
export class CoursesRepositoriesModule {}

/** The worker side: the reminders of courses due soon (claimed per person, course and due date). */
@Module({
  imports: [QueueModule, AccountsRepositoriesModule],
  providers: [CourseDueSweeper, CourseRemindersRepository, MailProducer, MailOutbox, MailOutboxRepository],
})
export class CoursesWorkerModule {}

/** Courses' e-mails (a course due soon), for the worker's mail queue. */
@Module({
  imports: [AccountsRepositoriesModule],
  providers: [CourseDueSoonMail, CourseProgress, LearningRepository, UnsubscribeLinks],
})
export class CoursesMailModule {}
