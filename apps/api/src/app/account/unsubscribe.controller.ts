import { Controller, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiSeeOtherResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@rehearse/server/access';
import { MailPreferencesService } from '@rehearse/server/accounts';
import { AppError, Refuses } from '@rehearse/server/core';
import { CoachDigestService } from '@rehearse/server/feedback';
import { UnsubscribeLinks, UnsubscribeQuery } from '@rehearse/server/mail';

const INVALID = 'This link is not valid (any more)';
const invalid = () => new AppError(HttpStatus.NOT_FOUND, 'not_found', INVALID);

/**
 * The link in an e-mail a person may stop, and mail programs' "unsubscribe" button (List-Unsubscribe
 * with one-click, RFC 8058): signed for one person and one kind of e-mail, it turns that e-mail off
 * without a sign-in. A GET (a person following the link, or a scanner opening it) changes nothing.
 */
@ApiTags('account')
@Controller('mail/unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly links: UnsubscribeLinks,
    private readonly preferences: MailPreferencesService,
    private readonly digest: CoachDigestService,
  ) {}

  @Public()
  @ApiOperation({
    summary: 'Open an e-mail’s stop link: on to the page that asks first',
    description: 'Changes nothing: mail programs and scanners open links, so the page asks before it stops anything.',
  })
  @Get()
  @ApiSeeOtherResponse({ description: 'On to the web app’s page for the link (`/unsubscribe?…`)' })
  open(@Query() q: UnsubscribeQuery, @Res() res: Response): void {
    res.redirect(303, `/unsubscribe?${new URLSearchParams({ u: q.u, t: q.t, s: q.s }).toString()}`);
  }

  @Public()
  @ApiOperation({
    summary: 'Stop one kind of e-mail with the signed link from one of them (one-click, RFC 8058)',
    description:
      'What mail programs POST when the person presses their “unsubscribe” button (a form body `List-Unsubscribe=One-Click`, which is not read), and what the page posts. No session or security token: the signed query authorises it, and it can only turn that one e-mail off for that one person. It is turned on again on the account page.',
  })
  @Refuses(404, INVALID)
  @Post()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The e-mail is turned off (it was already, or is now)' })
  async stop(@Query() q: UnsubscribeQuery): Promise<void> {
    if (!this.links.verify(q.u, q.t, q.s)) throw invalid();
    const stopped =
      q.t === 'coach_digest' ? await this.digest.stopByLink(q.u) : await this.preferences.stopByLink(q.u, q.t);
    if (!stopped) throw invalid();
  }
}
