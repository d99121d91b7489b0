import { Injectable, Logger } from '@nestjs/common';
import { AccessService, Actor } from '@rehearse/server/access';
import { AccountActivity } from '@rehearse/server/accounts';
import { AppError, badRequest, conflict, notFound, normaliseEmail } from '@rehearse/server/core';
import { KeyVault, userKeyId } from '@rehearse/server/storage';
import { PersonFootprint } from './person-footprint';
import { Shredded, Shredder } from './shredder';

/**
 * The right to be forgotten (policy in `user-data.ts`). An administrator of the user's tenant (on
 * the user's request) or a superuser erases a user: the profile, memberships, sessions, answers
 * with recordings, transcripts, search entries, AI reports and all feedback on them, and their
 * queued jobs go; feedback the user published on others' answers stays without their name; the
 * user's vault key is destroyed, so their recordings cannot be read from any backup either. The
 * receipt lists what went and whether the store confirmed each object gone.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger(ErasureService.name);

  constructor(
    private readonly access: AccessService,
    private readonly shredder: Shredder,
    private readonly vault: KeyVault,
    private readonly footprint: PersonFootprint,
    private readonly activity: AccountActivity,
  ) {}

  /** Erases a user; returns the receipt id. Administrators reach their own tenant's users, superusers any tenant's. */
  async erase(
    actor: Actor,
    userId: string,
    reason: string,
    confirmEmail: string,
  ): Promise<{ receiptId: string; verified: boolean }> {
    const superuser = actor.permissions.has('superuser.erase');
    const tenantId = superuser ? null : this.access.tenantOf(actor, 'User');
    const u = await this.footprint.person(tenantId, userId);
    if (!u) throw notFound('User');
    if (u.is_superuser || !u.tenant_id)
      throw conflict('Superusers are operator staff: remove them with the operator tools, not here');
    if (u.id === actor.userId) throw conflict('You cannot erase yourself here: ask another administrator');
    if (normaliseEmail(confirmEmail) !== normaliseEmail(u.email))
      throw badRequest('validation_failed', 'Type the user’s e-mail address to confirm', [
        { field: 'confirmEmail', messages: ["does not match the user's e-mail address"] },
      ]);
    const shredded = await this.eraseUser(u.id, u.tenant_id);
    const receiptId = await this.shredder.receipt('erasure', u.tenant_id, u.id, shredded, {
      userId: actor.impersonatorId ?? actor.userId,
      reason,
    });
    // on the organisation's record of changes, naming no one: the receipt says what went
    await this.activity.recordAfter(actor, u.tenant_id, [
      { action: 'user.erased', subjectId: null, details: { receiptId } },
    ]);
    return { receiptId, verified: shredded.objects.every((o) => o.verified) };
  }

  /**
   * The people erased before who exist again (a database restored from a backup taken before their
   * erasure: the key vault, never in the backups, remembers every erasure), erased again, each with
   * a receipt that says why. Run by the worker's hourly retention sweep; returns how many.
   */
  async eraseAgain(): Promise<number> {
    const forgotten = (await this.vault.forgotten())
      .filter((id) => id.startsWith('user-'))
      .map((id) => id.slice('user-'.length));
    let erased = 0;
    for (const person of await this.footprint.existing(forgotten)) {
      // (a superuser is no organisation's person: never erased through this path)
      if (!person.tenant_id) continue;
      let shredded: Shredded;
      try {
        shredded = await this.eraseUser(person.id, person.tenant_id);
      } catch (e) {
        // erased meanwhile by another worker's round
        if (e instanceof AppError && e.code === 'not_found') continue;
        throw e;
      }
      await this.shredder.receipt('erasure', person.tenant_id, person.id, shredded, {
        userId: null,
        reason: 'Erased again: erased before, the person came back with a database restored from an earlier backup',
      });
      this.logger.warn(`user ${person.id} was erased before and came back (a restored backup?): erased again`);
      erased++;
    }
    return erased;
  }

  /** The erasure itself (also used by tenant destruction, one user at a time). */
  async eraseUser(userId: string, tenantId: string): Promise<Shredded> {
    // everything the user's queued jobs could name
    const ids = await this.footprint.idsNaming(tenantId, userId);
    const objects = await this.footprint.storedObjects(tenantId, userId);
    const erased = await this.footprint.erase(tenantId, userId);
    if (!erased) throw notFound('User');
    const { counts } = erased;
    // the organisation's exports withdrawn with the person (their archives held the person too)
    for (const key of erased.withdrawnArchives)
      if (!objects.some((o) => o.object_key === key)) objects.push({ id: key, object_key: key });
    // forgotten, not only destroyed: the vault (never in the backups) remembers the erasure, so a
    // database restored from an earlier backup has it made again (eraseAgain)
    const keyDestroyed = await this.vault.forget(userKeyId(userId));
    const jobs = await this.shredder.dropJobsNaming(new Set(ids));
    const verified = await this.shredder.deleteObjects(objects.map((o) => o.object_key));
    this.logger.log(`erased user ${userId}: ${JSON.stringify(counts)}, ${verified.length} object(s), ${jobs} job(s)`);
    return { counts: { ...counts, keysDestroyed: keyDestroyed ? 1 : 0, queuedJobs: jobs }, objects: verified };
  }
}
