import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantRole } from '@rehearse/shared/contracts';
import { badRequest, conflict, SecretBox, normaliseEmail } from '@rehearse/server/core';
import { checkPassword, PasswordHasher } from './password';
import { InvitationsService } from './invitations.service';
import { TenantsRepository } from './tenants.repository';
import { UsersRepository } from './users.repository';
import { SuperusersRepository } from './superusers.repository';

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
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly superusers: SuperusersRepository,
  ) {}

  async createTenant(t: NewTenant): Promise<{ tenantId: string; admin: CreatedUser }> {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(t.slug))
      throw badRequest('validation_failed', 'slug must be lower-case letters, digits and dashes');
    if (await this.tenants.slugTaken(t.slug)) throw conflict(`A tenant with slug "${t.slug}" already exists`);
    const tenantId = await this.tenants.insert({
      name: t.name,
      slug: t.slug,
      requirePasswordComplexity: t.requirePasswordComplexity ?? false,
    });
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
    const normalized = normaliseEmail(email);
    if (password) {
      const errors = checkPassword(password, { requireComplexity, email: normalized, name });
      if (errors.length) throw badRequest('weak_password', `Password ${errors[0].messages.join('; ')}`, errors);
    }
    const hash = password ? await this.hasher.hash(password) : null;
    return this.db.transaction(async (m) => {
      // unique per organisation (and apart from the operator's superusers)
      if (await this.users.emailTaken(tenantId, normalized, m))
        throw conflict(`A user with e-mail ${normalized} already exists`);
      const id = await this.users.insert(tenantId, { email: normalized, name, passwordHash: hash, roles }, m);
      if (hash) return { id, email: normalized };
      const inv = await this.invitations.create(m, tenantId, id, null);
      return { id, email: normalized, invitationToken: inv.token };
    });
  }

  /** A platform superuser with a password and an authenticator secret (returned once). */
  async createSuperuser(name: string, email: string, password: string, totpSecret: string): Promise<CreatedUser> {
    const normalized = normaliseEmail(email);
    const errors = checkPassword(password, { requireComplexity: true, email: normalized, name });
    if (errors.length) throw badRequest('weak_password', `Password ${errors[0].messages.join('; ')}`, errors);
    // a superuser's address is theirs alone on the platform (sign-in never has to choose)
    if (await this.users.emailTaken(null, normalized))
      throw conflict(`A user with e-mail ${normalized} already exists`);
    const hash = await this.hasher.hash(password);
    const id = await this.superusers.insertSuperuser({ email: normalized, name, passwordHash: hash }, (newId) =>
      this.box.seal(totpSecret, `totp:${newId}`),
    );
    return { id, email: normalized };
  }
}
