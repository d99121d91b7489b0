import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Request } from 'express';
import type { InvitationInfo } from '@rehearse/shared/contracts';
import {
  APP_CONFIG,
  AppConfig,
  AppError,
  badRequest,
  Clock,
  isServiceUnavailable,
  SecretBox,
} from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { checkPassword, PasswordHasher, passwordRules } from './password';
import { LoginThrottle } from './login-throttle';
import { clientKey } from './client-address';
import { InvitationsRepository } from './invitations.repository';
import { UsersRepository } from './users.repository';

export const INVITATION_NOT_QUEUED =
  'The invitation e-mail could not be queued just now (a service it needs is not answering). The person is saved, and the invitation goes out by itself once that service answers again.';
export const INVITATIONS_NOT_QUEUED =
  'The invitation e-mails could not be queued just now (a service they need is not answering). The people are saved, and their invitations go out by themselves once that service answers again.';

const invalidLink = () =>
  new AppError(
    HttpStatus.NOT_FOUND,
    'invalid_token',
    'This invitation link is not valid any more. Ask your administrator for a new one.',
  );

/** One-time invitation links: the only way a password is first set. No password travels by mail. */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly mail: MailProducer,
    private readonly throttle: LoginThrottle,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
  ) {}

  /** Creates an invitation in the caller's transaction; returns its id (send with enqueue()). */
  async create(
    m: EntityManager,
    tenantId: string,
    userId: string,
    createdBy: string | null,
  ): Promise<{ id: string; token: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.invitations.useOpen(tenantId, userId, now, m);
    const id = await this.invitations.insert(
      tenantId,
      {
        userId,
        tokenHash: this.box.hash(token, 'invitation'),
        expiresAt: new Date(now.getTime() + this.config.INVITATION_TTL_HOURS * 3600_000),
        createdBy,
        now,
      },
      m,
    );
    await this.invitations.setSealedToken(tenantId, id, this.box.seal(token, `invitation:${id}`), m);
    return { id, token };
  }

  /**
   * Invitations of people just made (an import: none of them has one yet), in the caller's
   * transaction, as create() makes each; their ids, in the order of `userIds` (send with enqueue()).
   */
  async createForNew(
    m: EntityManager,
    tenantId: string,
    userIds: readonly string[],
    createdBy: string,
  ): Promise<string[]> {
    const now = this.clock.now();
    const made = userIds.map((userId) => {
      const id = randomUUID();
      const token = randomBytes(32).toString('base64url');
      return {
        id,
        userId,
        tokenHash: this.box.hash(token, 'invitation'),
        tokenSealed: this.box.seal(token, `invitation:${id}`),
      };
    });
    await this.invitations.insertMany(
      tenantId,
      made,
      { expiresAt: new Date(now.getTime() + this.config.INVITATION_TTL_HOURS * 3600_000), createdBy, now },
      m,
    );
    return made.map((i) => i.id);
  }

  /**
   * Queues the invitations' e-mails. With Redis away the people (or the new invitations) are
   * already saved: the 503 says so, and that the worker's sweep sends them once it answers again
   * (AccountMailSweeper).
   */
  async enqueue(...invitationIds: string[]): Promise<void> {
    try {
      await this.mail.sendMany(
        'invitation',
        invitationIds.map((invitationId) => ({ payload: { invitationId }, jobId: invitationId })),
      );
    } catch (e) {
      if (!isServiceUnavailable(e)) throw e;
      const message = invitationIds.length > 1 ? INVITATIONS_NOT_QUEUED : INVITATION_NOT_QUEUED;
      throw new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', message, undefined, {
        'Retry-After': '5',
      });
    }
  }

  private async find(token: string) {
    const inv = await this.invitations.findByTokenHash(this.box.hash(token, 'invitation'));
    if (!inv || inv.used_at || inv.expires_at <= this.clock.now() || inv.status === 'deactivated') return null;
    return inv;
  }

  /** A live invitation, or 404; guessing links is throttled per client address (never for everybody at once). */
  private findLive(token: string, req: Request) {
    return this.throttle.liveLink(
      'invitation',
      clientKey(req.ip),
      () => this.find(token),
      () => true,
      invalidLink,
    );
  }

  async info(token: string, req: Request): Promise<InvitationInfo> {
    const inv = await this.findLive(token, req);
    return {
      email: inv.email,
      name: inv.name,
      tenantName: inv.tenant_name,
      passwordRules: passwordRules(inv.require_password_complexity),
    };
  }

  /** Sets the first password and activates the account; the link dies. The user then signs in with MFA. */
  async accept(token: string, password: string, req: Request): Promise<void> {
    const inv = await this.findLive(token, req);
    const errors = checkPassword(password, {
      requireComplexity: inv.require_password_complexity,
      email: inv.email,
      name: inv.name,
    });
    if (errors.length) throw badRequest('weak_password', 'Choose a stronger password', errors);
    const hash = await this.hasher.hash(password);
    await this.db.transaction(async (m) => {
      if (!(await this.invitations.use(inv.tenant_id, inv.id, this.clock.now(), m))) throw invalidLink();
      const at = this.clock.now();
      if (!(await this.users.setPassword(inv.tenant_id, inv.user_id, hash, at, { activate: true }, m)))
        throw invalidLink();
    });
  }
}
