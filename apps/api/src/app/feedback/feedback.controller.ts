import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CSV_BOM, Refuses, requestLocale } from '@rehearse/server/core';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type {
  AnswerFeedback,
  FeedbackSettings,
  Page,
  PeerAssignment,
  ReportOverview,
  Review,
  ReviewContext,
  ReviewQueueCourse,
  ReviewQueueItem,
} from '@rehearse/shared/contracts';
import { Actor, CurrentActor, ListsObjects, RequireObject, RequirePermission } from '@rehearse/server/access';
import { IdParam } from '@rehearse/server/accounts';
import {
  FeedbackSettingsDto,
  FeedbackSettingsService,
  PublishReviewDto,
  ReportExportQuery,
  ReportQuery,
  ReportsService,
  ReviewDraftDto,
  ReviewDraftsService,
  ReviewQueueQuery,
  AnswerFeedbackService,
  PeerReviewsService,
  AnswerSharing,
  CoachQueueService,
  ShareAnswerDto,
} from '@rehearse/server/feedback';
import {
  AnswerFeedbackDto,
  FeedbackSettingsOutDto,
  PeerAssignmentDto,
  ReportOverviewDto,
  ReviewContextDto,
  ReviewDto,
  ReviewQueueCourseDto,
  ReviewQueuePageDto,
} from '@rehearse/server/feedback';

/** An Excel workbook's media type. */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Reviews of answers by coaches, peers and the trainee; sharing for peer review; the feedback a
 * trainee receives; the coach's queue; reports; and the tenant's marker tags and filler lists.
 * Every route checks the answer's tenant, the actor's relation to it and the exercise's settings.
 */
@ApiTags('feedback')
@Controller()
export class FeedbackController {
  constructor(
    private readonly drafts: ReviewDraftsService,
    private readonly view: AnswerFeedbackService,
    private readonly peers: PeerReviewsService,
    private readonly sharing: AnswerSharing,
    private readonly coachQueue: CoachQueueService,
    private readonly reports: ReportsService,
    private readonly settings: FeedbackSettingsService,
  ) {}

  @RequirePermission('coaching.read')
  @ListsObjects('answers.awaiting-review')
  @ApiOperation({ summary: "The coach's queue of answers waiting for feedback, oldest first" })
  @Get('coaching/reviews')
  @ApiOkResponse({
    type: ReviewQueuePageDto,
    description: "your participants' answers awaiting coach feedback, oldest first",
  })
  queue(@CurrentActor() actor: Actor, @Query() q: ReviewQueueQuery): Promise<Page<ReviewQueueItem>> {
    return this.coachQueue.queue(actor, q.page, q.pageSize, q.courseId);
  }

  @RequirePermission('coaching.read')
  @ListsObjects('answers.awaiting-review')
  @ApiOperation({
    summary: "The courses in the coach's queue, each with how many answers wait",
    description:
      "What the queue's choice of one course offers (`GET /coaching/reviews?courseId=`): the courses whose answers wait for your feedback, by title. Counts name nobody: nothing is privacy-logged.",
  })
  @Get('coaching/reviews/courses')
  @ApiOkResponse({
    type: ReviewQueueCourseDto,
    isArray: true,
    description: 'the courses with answers waiting, by title',
  })
  queueCourses(@CurrentActor() actor: Actor): Promise<ReviewQueueCourse[]> {
    return this.coachQueue.queueCourses(actor);
  }

  @RequirePermission('feedback.give')
  @ApiOperation({ summary: "An answer to review with the reviewer's draft, the AI's findings and proposed scores" })
  @RequireObject('answer.review')
  @Get('answers/:id/review')
  @ApiOkResponse({
    type: ReviewContextDto,
    description: "the review screen: answer, criteria, your draft, the AI's markers (coaches)",
  })
  context(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<ReviewContext> {
    return this.drafts.context(actor, p.id);
  }

  @RequirePermission('feedback.give')
  @ApiOperation({ summary: 'Save the review draft (scores, time-coded comments, summary, AI decisions)' })
  @RequireObject('answer.review')
  @Refuses(
    409,
    'The review is published, was saved elsewhere meanwhile (a stale revision), or the exercise does not take this kind of feedback',
  )
  @Put('answers/:id/review')
  @ApiOkResponse({
    type: ReviewDto,
    description: 'your draft, saved; 409 when a newer revision exists or it is published',
  })
  save(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: ReviewDraftDto): Promise<Review> {
    return this.drafts.saveDraft(actor, p.id, dto);
  }

  @RequirePermission('feedback.give')
  @ApiOperation({ summary: 'Publish the review (the trainee is e-mailed)' })
  @RequireObject('answer.review')
  @Refuses(409, 'There is no draft to publish, it is already published, or it was saved elsewhere meanwhile')
  @Post('answers/:id/review/publish')
  @HttpCode(200)
  @ApiOkResponse({ type: ReviewDto, description: 'published; the trainee is told by e-mail (coach and peer reviews)' })
  publish(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: PublishReviewDto): Promise<Review> {
    return this.drafts.publish(actor, p.id, dto.revision);
  }

  @RequirePermission('feedback.read')
  @ApiOperation({ summary: 'All published feedback on an answer, with the AI report and attempts' })
  @RequireObject('answer.feedback')
  @Get('answers/:id/feedback')
  @ApiOkResponse({
    type: AnswerFeedbackDto,
    description: 'all published feedback on the answer, and the attempts at its exercise',
  })
  feedback(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<AnswerFeedback> {
    return this.view.feedback(actor, p.id);
  }

  @RequirePermission('courses.learn')
  @ApiOperation({ summary: "Share an answer with one's group for peer review" })
  @RequireObject('answer.share')
  @Refuses(409, 'The exercise is not open to peer feedback, or you are in no group that takes the course now')
  @Post('my/answers/:id/share')
  @HttpCode(200)
  @ApiOkResponse({
    type: AnswerFeedbackDto,
    description: 'shared with your group; peer reviewers are assigned by rotation',
  })
  share(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: ShareAnswerDto): Promise<AnswerFeedback> {
    return this.sharing.share(actor, p.id, dto.groupId);
  }

  @RequirePermission('courses.learn')
  @ApiOperation({ summary: 'The answers others shared that one is asked to review' })
  @Get('my/peer-reviews')
  @ApiOkResponse({
    type: PeerAssignmentDto,
    isArray: true,
    description: 'peer reviews handed to you: to do first, soonest due first',
  })
  peerReviews(@CurrentActor() actor: Actor): Promise<PeerAssignment[]> {
    return this.peers.myPeerReviews(actor);
  }

  @RequirePermission('reports.read')
  @ListsObjects('answers.report')
  @ApiOperation({ summary: 'Participation, baseline against final, scores per criterion and AI agreement' })
  @Get('reports/overview')
  @ApiOkResponse({ type: ReportOverviewDto })
  overview(@CurrentActor() actor: Actor, @Query() q: ReportQuery): Promise<ReportOverview> {
    return this.reports.overview(actor, q);
  }

  @RequirePermission('reports.read')
  @ListsObjects('answers.report')
  @ApiOperation({ summary: 'Download the scores or the AI agreement as CSV or as an Excel workbook' })
  @Get('reports/export')
  @ApiProduces('text/csv', XLSX)
  @ApiOkResponse({ description: 'one table of the overview as CSV or .xlsx', schema: { type: 'string' } })
  async export(
    @CurrentActor() actor: Actor,
    @Query() q: ReportExportQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const filter = { courseId: q.courseId, groupId: q.groupId };
    const format = q.format ?? 'csv';
    const file =
      format === 'xlsx'
        ? await this.reports.xlsx(actor, filter, q.table, actor.profile?.locale ?? requestLocale(req) ?? 'en')
        : CSV_BOM + (await this.reports.csv(actor, filter, q.table));
    res
      .status(200)
      .setHeader('Content-Type', format === 'xlsx' ? XLSX : 'text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${this.reports.fileName(q.table, format)}"`)
      .send(file);
  }

  @RequirePermission('tenant.read')
  @ApiOperation({ summary: "The organisation's marker tags and filler lists" })
  @Get('admin/feedback-settings')
  @ApiOkResponse({ type: FeedbackSettingsOutDto })
  getSettings(@CurrentActor() actor: Actor): Promise<FeedbackSettings> {
    return this.settings.get(actor);
  }

  @RequirePermission('tenant.write')
  @ApiOperation({ summary: "Change the organisation's marker tags and filler lists" })
  @Put('admin/feedback-settings')
  @ApiOkResponse({ type: FeedbackSettingsOutDto })
  saveSettings(@CurrentActor() actor: Actor, @Body() dto: FeedbackSettingsDto): Promise<FeedbackSettings> {
    return this.settings.save(actor, dto);
  }
}
