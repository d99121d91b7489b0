import { Body, Controller, Delete, Get, Head, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Refuses } from '@rehearse/server/core';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type {
  AiReport,
  AnswerSummary,
  Page,
  PromptMediaView,
  RecordingDetail,
  TranscriptSearchHit,
  TranscriptView,
} from '@rehearse/shared/contracts';
import { Actor, CurrentActor, ListsObjects, RequireObject, RequirePermission } from '@rehearse/server/access';
import { IdParam } from '@rehearse/server/accounts';
import { ExerciseParams } from '@rehearse/server/courses';
import { mediaRequestOf } from '@rehearse/server/storage';
import { RangedAnswers, sendRanged } from '../ranged-response';
import {
  PromptMediaDto,
  RecordingIntakeService,
  RecordingReadsService,
  TranscriptSearchService,
  SubmitRecordingDto,
  TranscriptSearchQuery,
  UploadIdParam,
  UploadStaging,
} from '@rehearse/server/recordings';
import { AnswerSummaryDto } from '@rehearse/server/courses';
import {
  AiReportDto,
  PromptMediaViewDto,
  RecordingDetailDto,
  SearchPageDto,
  TranscriptDto,
} from '@rehearse/server/recordings';

const TUS_HEADERS = [{ name: 'Tus-Resumable', required: true, description: '1.0.0' }];

/**
 * Resumable uploads (tus 1.0: creation, HEAD to resume, PATCH to append, DELETE to cancel),
 * submission as an answer or as prompt media, playback with ranges, transcript, captions,
 * live processing status and transcript search.
 */
@ApiTags('recordings')
@Controller()
export class RecordingsController {
  constructor(
    private readonly intake: RecordingIntakeService,
    private readonly recordings: RecordingReadsService,
    private readonly transcripts: TranscriptSearchService,
    private readonly staging: UploadStaging,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @RequirePermission('media.upload')
  @ApiOperation({ summary: 'Start a resumable upload (tus 1.0)' })
  @Refuses(412, 'The Tus-Resumable header is missing or names another version of the protocol')
  @Refuses(413, 'The announced Upload-Length is above UPLOAD_MAX_MB')
  @Refuses(429, 'You have UPLOAD_MAX_OPEN uploads started and not yet submitted or cancelled')
  @Refuses(507, 'The upload folder’s disk would keep less than UPLOAD_RESERVE_MB free')
  @Post('uploads')
  @ApiHeader(TUS_HEADERS[0])
  @ApiHeader({ name: 'Upload-Length', required: true })
  @ApiHeader({
    name: 'Upload-Metadata',
    required: true,
    description: 'purpose (answer|prompt), filename, filetype; base64 values',
  })
  @ApiCreatedResponse({ description: 'Location names the upload; 413 above UPLOAD_MAX_MB' })
  async createUpload(@CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.staging.handle(req, res, actor, 'POST');
  }

  @RequirePermission('media.upload')
  @ApiOperation({ summary: 'How much of an upload has arrived (tus)' })
  @Refuses(412, 'The Tus-Resumable header is missing or names another version of the protocol')
  @Head('uploads/:uploadId')
  @ApiHeader(TUS_HEADERS[0])
  @ApiOkResponse({ description: 'Upload-Offset: how much arrived (resume from there)' })
  async uploadOffset(
    @CurrentActor() actor: Actor,
    @Param() p: UploadIdParam,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.staging.handle(req, res, actor, 'HEAD', p.uploadId);
  }

  @RequirePermission('media.upload')
  @ApiOperation({ summary: 'Send the next part of an upload (tus)' })
  @Refuses(412, 'The Tus-Resumable header is missing or names another version of the protocol')
  @Refuses(409, 'Upload-Offset is not where the upload stands (HEAD says where), or another part is being sent')
  @Refuses(413, 'More bytes than the upload announced')
  @Refuses(415, 'The bytes are not sent as Content-Type: application/offset+octet-stream')
  @Patch('uploads/:uploadId')
  @ApiHeader(TUS_HEADERS[0])
  @ApiHeader({ name: 'Upload-Offset', required: true })
  @ApiNoContentResponse({ description: 'bytes appended (Content-Type: application/offset+octet-stream)' })
  async appendUpload(
    @CurrentActor() actor: Actor,
    @Param() p: UploadIdParam,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.staging.handle(req, res, actor, 'PATCH', p.uploadId);
  }

  @RequirePermission('media.upload')
  @ApiOperation({ summary: 'Cancel an upload (tus)' })
  @Refuses(412, 'The Tus-Resumable header is missing or names another version of the protocol')
  @Delete('uploads/:uploadId')
  @ApiHeader(TUS_HEADERS[0])
  @ApiNoContentResponse({ description: 'upload cancelled and removed' })
  async cancelUpload(
    @CurrentActor() actor: Actor,
    @Param() p: UploadIdParam,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.staging.handle(req, res, actor, 'DELETE', p.uploadId);
  }

  @RequirePermission('courses.learn')
  @ApiOperation({ summary: 'Submit an uploaded recording as an answer' })
  @Refuses(
    409,
    'The upload is not complete or was made for another use, the exercise takes another kind of answer, or all its attempts are used',
  )
  @Post('my/courses/:courseId/exercises/:exerciseId/recordings')
  @ApiCreatedResponse({
    type: AnswerSummaryDto,
    description: '422 invalid_media with a reason when the file is refused (nothing is kept)',
  })
  submit(
    @CurrentActor() actor: Actor,
    @Param() p: ExerciseParams,
    @Body() dto: SubmitRecordingDto,
  ): Promise<AnswerSummary> {
    return this.intake.submitAnswer(actor, p.courseId, p.exerciseId, dto.uploadId);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: "Store an uploaded video or audio as an exercise's prompt" })
  @Refuses(409, 'The upload is not complete or was made for another use')
  @Post('authoring/prompt-media')
  @ApiCreatedResponse({ type: PromptMediaViewDto, description: 'reference it from an exercise as promptMediaId' })
  uploadPrompt(@CurrentActor() actor: Actor, @Body() dto: PromptMediaDto): Promise<PromptMediaView> {
    return this.intake.uploadPrompt(actor, dto.courseId, dto.uploadId);
  }

  @RequirePermission('courses.view')
  @ApiOperation({ summary: "Play an exercise's prompt media (byte ranges)" })
  @Get('prompt-media/:id/content')
  @ApiProduces('video/*', 'audio/*')
  @ApiOkResponse({
    description:
      'the prompt; Range requests answer 206 (or 416 past the end); If-None-Match naming its ETag 304, If-Match naming another 412, If-Range naming another the whole file',
    schema: { type: 'string', format: 'binary' },
  })
  @RangedAnswers('video/*', 'audio/*')
  async promptContent(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendRanged(req, res, await this.recordings.promptMedia(actor, p.id, mediaRequestOf(req)));
  }

  @RequirePermission('recordings.read')
  @ApiOperation({ summary: "A recording's status and what it belongs to" })
  @RequireObject('recording.read')
  @Get('recordings/:id')
  @ApiOkResponse({ type: RecordingDetailDto })
  recording(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<RecordingDetail> {
    return this.recordings.summary(actor, p.id);
  }

  @RequirePermission('recordings.read')
  @ApiOperation({ summary: 'Play a recording (byte ranges; privacy-logged)' })
  @RequireObject('recording.read')
  @Get('recordings/:id/content')
  @ApiProduces('video/*', 'audio/*')
  @ApiOkResponse({
    description:
      'the recording, decrypted; Range requests answer 206 (or 416 past the end); If-None-Match naming its ETag 304, If-Match naming another 412, If-Range naming another the whole file',
    schema: { type: 'string', format: 'binary' },
  })
  @RangedAnswers('video/*', 'audio/*')
  async content(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendRanged(req, res, await this.recordings.answerMedia(actor, p.id, mediaRequestOf(req)));
  }

  @RequirePermission('recordings.read')
  @ApiOperation({ summary: "A recording's transcript with word times" })
  @RequireObject('recording.read')
  @Get('recordings/:id/transcript')
  @ApiOkResponse({ type: TranscriptDto })
  transcript(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<TranscriptView> {
    return this.recordings.transcript(actor, p.id);
  }

  @RequirePermission('recordings.read')
  @ApiOperation({ summary: "The AI coach's report on a recording" })
  @RequireObject('recording.read')
  @Get('recordings/:id/assessment')
  @ApiOkResponse({
    type: AiReportDto,
    description: "the local AI coach's metrics on this answer; 404 until it is transcribed",
  })
  assessment(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<AiReport> {
    return this.recordings.assessment(actor, p.id);
  }

  @RequirePermission('recordings.read')
  @ApiOperation({ summary: "A recording's captions as WebVTT" })
  @RequireObject('recording.read')
  @Get('recordings/:id/captions')
  @ApiProduces('text/vtt')
  @ApiOkResponse({ description: 'WebVTT captions for the player', schema: { type: 'string' } })
  async captions(@CurrentActor() actor: Actor, @Param() p: IdParam, @Res() res: Response): Promise<void> {
    const vtt = await this.recordings.captions(actor, p.id);
    res
      .status(200)
      .setHeader('Content-Type', 'text/vtt; charset=utf-8')
      .setHeader('Cache-Control', 'private, no-cache')
      .send(vtt);
  }

  @RequirePermission('recordings.read')
  @ApiOperation({ summary: "A recording's processing stages as server-sent events" })
  @RequireObject('recording.read')
  @Get('recordings/:id/events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'server-sent events: the current stage, then each change, until transcribed or failed',
    schema: { type: 'string' },
  })
  async events(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const stream = await this.recordings.watch(actor, p.id);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
    // the stream ends after EVENT_STREAM_MAX_SECONDS and the browser opens it again (retry above)
    // through every access check: a sign-out, a deactivation, an ended licence or a role taken
    // away stops it within that time instead of never
    const lifetime = setTimeout(() => res.end(), this.config.EVENT_STREAM_MAX_SECONDS * 1000);
    const sub = stream.subscribe({
      next: (e) => res.write(`event: status\ndata: ${JSON.stringify(e)}\n\n`),
      error: () => res.end(),
      complete: () => res.end(),
    });
    // the client went away, or the stream ended (done, failed or its time up)
    const stop = () => {
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      sub.unsubscribe();
    };
    req.on('close', stop);
    res.on('finish', stop);
  }

  @RequirePermission('transcripts.search')
  @ListsObjects('recordings.search')
  @ApiOperation({ summary: 'Search the transcripts one may read' })
  @Get('transcripts/search')
  @ApiOkResponse({
    type: SearchPageDto,
    description: 'passages of transcripts you may see; each links to its moment in the recording',
  })
  search(@CurrentActor() actor: Actor, @Query() q: TranscriptSearchQuery): Promise<Page<TranscriptSearchHit>> {
    return this.transcripts.search(actor, q.q, q.page, q.pageSize);
  }
}
