import { Module } from '@nestjs/common';
import { CoursesService } from './courses.service';
import { CourseFilesService } from './course-files.service';
import { RubricsService } from './rubrics.service';
import { GroupsService } from './groups.service';
import { LearningService } from './learning.service';
import { CoachedLearningService } from './coached-learning.service';
import { CoursesRepository } from './courses.repository';
import { RubricsRepository } from './rubrics.repository';
import { GroupsRepository } from './groups.repository';
import { LearningRepository } from './learning.repository';

const SERVICES = [
  CoursesService,
  CourseFilesService,
  RubricsService,
  GroupsService,
  LearningService,
  CoachedLearningService,
];
/** The statements on courses' own tables (other libraries may ask through them). */
const REPOSITORIES = [CoursesRepository, RubricsRepository, GroupsRepository, LearningRepository];

@Module({ providers: [...SERVICES, ...REPOSITORIES], exports: [...SERVICES, ...REPOSITORIES] })
export class CoursesModule {}
