import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@rehearse/server/core';
import { AccountActivity } from './account-activity.service';
import { type SsoRow, SsoRepository } from './sso.repository';
import { UsersRepository } from './users.repository';

/**
 * People an organisation's directory brings in: where its single sign-on settings allow it
 * (`jit_participants`), someone unknown who signs in becomes a participant, linked to their
 * identity in the directory, on the organisation's record of changes.
 */
@Injectable()
export class SsoParticipants {
  private readonly logger = new Logger(SsoParticipants.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly sso: SsoRepository,
    private readonly activity: AccountActivity,
  ) {}

  /** A participant made at their first sign-in, linked to the directory's identity (tid + oid); their id. */
  async create(r: SsoRow, email: string, name: string, tid: string, oid: string): Promise<string> {
    return this.db.transaction(async (m) => {
      const id = await this.users.insert(
        r.tenant_id,
        {
          email,
          name: name.slice(0, 200),
          passwordHash: null,
          roles: ['participant'],
          activeWithoutPassword: true,
        },
        m,
      );
      await this.sso.link(r.tenant_id, id, { issuer: r.issuer, directoryId: tid, objectId: oid }, this.clock.now(), m);
      // on the organisation's record of changes: an account its settings let the directory make
      await this.activity.recordBySignIn(m, r.tenant_id, { userId: id, role: 'participant' }, [
        { action: 'user.created_at_sign_in', subjectId: id, details: { roles: ['participant'] } },
      ]);
      this.logger.log(`created participant ${id} on first SSO sign-in`);
      return id;
    });
  }
}
