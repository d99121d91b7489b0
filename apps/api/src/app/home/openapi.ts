/* Response schema of GET /api/home for the OpenAPI document (mirroring HomeSummary in @rehearse/shared/contracts). */
import { ApiProperty } from '@nestjs/swagger';
import type { AdminHome, CoachHome, DeveloperHome, HomeSummary, ParticipantHome } from '@rehearse/shared/contracts';
import { QueueItemDto } from '../feedback/openapi';

class NextExerciseDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty() exerciseId!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty({ type: String, nullable: true }) dueOn!: string | null;
}

class DueCourseDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() dueOn!: string;
  @ApiProperty() exercisesAnswered!: number;
  @ApiProperty() exercisesTotal!: number;
}

class ArrivedFeedbackDto {
  @ApiProperty() answerId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty({ enum: ['coach', 'peer'] }) source!: 'coach' | 'peer';
  @ApiProperty() publishedAt!: string;
}

class ParticipantHomeDto implements ParticipantHome {
  @ApiProperty({
    type: NextExerciseDto,
    nullable: true,
    description: 'the first unanswered exercise of the course due soonest',
  })
  next!: NextExerciseDto | null;
  @ApiProperty({ type: [DueCourseDto], description: 'unfinished courses with a due date, soonest first (at most 5)' })
  due!: DueCourseDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the day your licence ended: nothing is due and nothing can be answered until it is extended',
  })
  licenceEndedOn!: string | null;
  @ApiProperty({
    type: [ArrivedFeedbackDto],
    description: 'published coach and peer feedback on your answers, newest first (at most 5)',
  })
  feedback!: ArrivedFeedbackDto[];
}

class PublishedByYouDto {
  @ApiProperty() answerId!: string;
  @ApiProperty() participantName!: string;
  @ApiProperty() exerciseTitle!: string;
  @ApiProperty() publishedAt!: string;
}

class CoachHomeDto implements CoachHome {
  @ApiProperty({ description: 'answers waiting for your feedback' }) waiting!: number;
  @ApiProperty({ description: 'of those, waiting longer than 7 days' }) overdue!: number;
  @ApiProperty({ type: [QueueItemDto], description: 'the oldest waiting answers (at most 5; privacy-logged)' })
  oldest!: QueueItemDto[];
  @ApiProperty({ type: [PublishedByYouDto], description: 'feedback you published, newest first (at most 5)' })
  recent!: PublishedByYouDto[];
}

class PersonLicenceDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() expiresOn!: string;
}

class PersonDto {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
}

class AdminHomeDto implements AdminHome {
  @ApiProperty({ type: [PersonLicenceDto], description: 'licences ending within 30 days, soonest first (at most 5)' })
  expiring!: PersonLicenceDto[];
  @ApiProperty() expiringTotal!: number;
  @ApiProperty({ description: 'requests to keep recordings awaiting your decision' }) pendingKeepRequests!: number;
  @ApiProperty({ type: [PersonDto], description: 'participants in no group (at most 5)' }) withoutGroup!: PersonDto[];
  @ApiProperty() withoutGroupTotal!: number;
}

class DraftCourseDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ description: 'an earlier version is published' }) published!: boolean;
}

class PublishedVersionDto {
  @ApiProperty() courseId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() version!: number;
  @ApiProperty() publishedAt!: string;
}

class DeveloperHomeDto implements DeveloperHome {
  @ApiProperty({
    type: [DraftCourseDto],
    description: 'courses with an unpublished draft, last edited first (at most 5)',
  })
  drafts!: DraftCourseDto[];
  @ApiProperty({ type: [PublishedVersionDto], description: 'published versions, newest first (at most 5)' })
  published!: PublishedVersionDto[];
}

export class HomeSummaryDto implements HomeSummary {
  @ApiProperty({ type: ParticipantHomeDto, nullable: true, description: 'present for participants' })
  participant!: ParticipantHomeDto | null;
  @ApiProperty({ type: CoachHomeDto, nullable: true, description: 'present for coaches' }) coach!: CoachHomeDto | null;
  @ApiProperty({ type: AdminHomeDto, nullable: true, description: 'present for administrators' })
  admin!: AdminHomeDto | null;
  @ApiProperty({ type: DeveloperHomeDto, nullable: true, description: 'present for content developers' })
  developer!: DeveloperHomeDto | null;
}
