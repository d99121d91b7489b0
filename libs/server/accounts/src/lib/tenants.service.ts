import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantRole } from '@rehearse/shared/contracts';
import { badRequest, conflict, SecretBox } from '@rehearse/server/core';
import { checkPassword, PasswordHasher } from './password';
import { InvitationsService } from './invitations.service';

export interface NewTenant {
  name: string;
  slug: string;
  requirePasswordComplexity?: boolean;
  admin: { name: string; email: string; password?: string };
}

export interface CreatedUser {
  id: string;
  email: string;
  /** set when the user was created without a password: the one-time link token */
  invitationToken?: string;
}

/** Registration of tenants, their first administrator, and platform superusers (used by tools/). */
@Injectable()
export class TenantsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly invitations: InvitationsService,
    private readonly box: SecretBox,
  ) {}

  async createTenant(t: NewTenant): Promise<{ tenantId: string; admin: CreatedUser }> {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(t.slug))
      throw badRequest('validation_failed', 'slug must be lower-case letters, digits and dashes');
    const taken: unknown[] = await this.db.query(`SELECT 1 FROM tenants WHERE slug = $1`, [t.slug]);
    if (taken.length) throw conflict(`A tenant with slug "${t.slug}" already exists`);
    const tenantId: string = (
      await this.db.query(
        `INSERT INTO tenants (name, slug, require_password_complexity) VALUES ($1,$2,$3) RETURNING id`,
        [t.name, t.slug, t.requirePasswordComplexity ?? false],
      )
    )[0].id;
    const admin = await this.createUser(
      tenantId,
      t.admin.name,
      t.admin.email,
      ['administrator'],
      t.admin.password,
      t.requirePasswordComplexity ?? false,
    );
    return { tenantId, admin };
  }

  /** Creates a user with a password (tools and demo seed) or with an invitation link. */
  async createUser(
    tenantId: string,
    name: string,
    email: string,
    roles: TenantRole[],
    password?: string,
    requireComplexity = false,
  ): Promise<CreatedUser> {
    const normalized = email.trim().toLowerCase();
    if (password) {
      const errors = checkPassword(password, { requireComplexity, email: normalized, name });
      if (errors.length) throw badRequest('weak_password', `Password ${errors[0].messages.join('; ')}`, errors);
    }
    const hash = password ? await this.hasher.hash(password) : null;
    return this.db.transaction(async (m) => {
      // unique per organisation (and apart from the operator's superusers)
      const exists: unknown[] = await m.query(
        `SELECT 1 FROM users WHERE email = $1 AND (tenant_id = $2 OR tenant_id IS NULL)`,
        [normalized, tenantId],
      );
      if (exists.length) throw conflict(`A user with e-mail ${normalized} already exists`);
      const [u]: { id: string }[] = await m.query(
        `INSERT INTO users (tenant_id, email, name, status, password_hash, password_changed_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
        [tenantId, normalized, name, hash ? 'active' : 'invited', hash, hash ? new Date() : null],
      );
      for (const role of roles)
        await m.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1,$2,$3)`, [tenantId, u.id, role]);
      if (hash) return { id: u.id, email: normalized };
      const inv = await this.invitations.create(m, tenantId, u.id, null);
      return { id: u.id, email: normalized, invitationToken: inv.token };
    });
  }

  /** A platform superuser with a password and an authenticator secret (returned once). */
  async createSuperuser(name: string, email: string, password: string, totpSecret: string): Promise<CreatedUser> {
    const normalized = email.trim().toLowerCase();
    const errors = checkPassword(password, { requireComplexity: true, email: normalized, name });
    if (errors.length) throw badRequest('weak_password', `Password ${errors[0].messages.join('; ')}`, errors);
    // a superuser's address is theirs alone on the platform (sign-in never has to choose)
    const exists: unknown[] = await this.db.query(`SELECT 1 FROM users WHERE email = $1`, [normalized]);
    if (exists.length) throw conflict(`A user with e-mail ${normalized} already exists`);
    const hash = await this.hasher.hash(password);
    const [u]: { id: string }[] = await this.db.query(
      `INSERT INTO users (tenant_id, email, name, status, password_hash, password_changed_at, is_superuser, totp_enabled)
       VALUES (NULL,$1,$2,'active',$3,now(),true,true) RETURNING id`,
      [normalized, name, hash],
    );
    await this.db.query(`UPDATE users SET totp_secret_sealed = $2 WHERE id = $1`, [
      u.id,
      this.box.seal(totpSecret, `totp:${u.id}`),
    ]);
    return { id: u.id, email: normalized };
  }
}
