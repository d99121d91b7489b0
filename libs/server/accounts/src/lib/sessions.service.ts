import { HttpStatus, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Request, Response } from 'express';
import onHeaders from 'on-headers';
import type { ActiveSession } from '@rehearse/shared/contracts';
import type { Actor } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, AppError, Clock, notFound } from '@rehearse/server/core';
import { cookieNames } from './cookies';
import { SessionsRepository } from './sessions.repository';
import { agentOf } from './user-agent';

/**
 * A new CSRF synchroniser token in the session, mirrored in the XSRF-TOKEN cookie for the web app.
 * The cookie goes with the response only if the session still holds the token when the response's
 * headers are written: a request that made a new session and then lost it (an impersonation started
 * twice at once, the other start ending this one: 401 after the new session was made) sent the
 * browser a token of no session, which replaced the token of the session the browser does hold, so
 * its next change failed with 403 csrf_failed. A token issued again in the same request sends only
 * the last.
 */
export function issueCsrfToken(
  req: Request,
  res: Response | undefined,
  config: Pick<AppConfig, 'secureCookies'>,
): string {
  const token = randomBytes(32).toString('base64url');
  req.session.csrfToken = token;
  if (res)
    onHeaders(res, () => {
      if (req.session?.csrfToken !== token) return;
      res.cookie(cookieNames(config).xsrf, token, {
        httpOnly: false,
        sameSite: 'strict',
        secure: config.secureCookies,
        path: '/',
      });
    });
  return token;
}

export function sessionPublicId(sid: string): string {
  return createHash('sha256').update(`session:${sid}`).digest('hex').slice(0, 32);
}

/** Server-side sessions: rotation, listing and ending them. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly stored: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Issues a new session id, carrying nothing over (login, MFA, impersonation start/end). */
  regenerate(req: Request): Promise<void> {
    return new Promise((resolve, reject) =>
      req.session.regenerate((err) => {
        if (err) return reject(err);
        req.session.createdAt = this.clock.now().getTime();
        req.session.userAgent = String(req.headers['user-agent'] ?? '').slice(0, 200);
        req.session.ip = req.ip ?? '';
        issueCsrfToken(req, req.res, this.config);
        resolve();
      }),
    );
  }

  save(req: Request): Promise<void> {
    return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
  }

  destroy(req: Request): Promise<void> {
    req.res?.clearCookie(cookieNames(this.config).xsrf, { path: '/' });
    return new Promise((resolve) => req.session.destroy(() => resolve()));
  }

  /**
   * Ends every session of a user (deactivation, password change), optionally keeping one: their
   * own sessions and those in which they impersonate someone else.
   */
  endAllForUser(userId: string, exceptSid?: string, manager?: EntityManager): Promise<number> {
    return this.stored.deleteAllOf(userId, exceptSid ?? null, manager);
  }

  async listForUser(userId: string, currentSid: string): Promise<ActiveSession[]> {
    const rows = await this.stored.listLive(userId);
    return rows.map((r) => {
      const cookie = (r.sess['cookie'] ?? {}) as { originalMaxAge?: number };
      const lastSeen = new Date(r.expire.getTime() - (cookie.originalMaxAge ?? 0));
      return {
        id: sessionPublicId(r.sid),
        createdAt: new Date(Number(r.sess['createdAt'] ?? 0)).toISOString(),
        lastSeenAt: lastSeen.toISOString(),
        userAgent: String(r.sess['userAgent'] ?? ''),
        ...agentOf(String(r.sess['userAgent'] ?? '')),
        ip: String(r.sess['ip'] ?? ''),
        current: r.sid === currentSid,
      };
    });
  }

  /**
   * "Sign out everywhere else": every session of the signed-in person but this one, and those in
   * which they act as someone else; how many. Not while impersonating: the person's own sessions
   * are theirs to end.
   */
  async endOthers(actor: Actor, currentSid: string): Promise<number> {
    if (actor.impersonatorId)
      throw new AppError(
        HttpStatus.FORBIDDEN,
        'impersonation_forbidden',
        "A person's other sessions cannot be ended while impersonating them",
      );
    return this.stored.deleteAllOf(actor.userId, currentSid);
  }

  async endOne(userId: string, publicId: string): Promise<void> {
    const match = (await this.stored.sidsOf(userId)).find((sid) => sessionPublicId(sid) === publicId);
    if (!match) throw notFound('Session');
    await this.stored.deleteOne(userId, match);
  }
}
