import { Module } from '@nestjs/common';
import { CoursesService } from './courses.service';
import { RubricsService } from './rubrics.service';
import { GroupsService } from './groups.service';
import { LearningService } from './learning.service';

const SERVICES = [CoursesService, RubricsService, GroupsService, LearningService];

@Module({ providers: SERVICES, exports: SERVICES })
export class CoursesModule {}
