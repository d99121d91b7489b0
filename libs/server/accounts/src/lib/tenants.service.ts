import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Locale, TenantRole } from '@rehearse/shared/contracts';
import type { Actor } from '@rehearse/server/access';
import { badRequest, conflict, SecretBox, normaliseEmail } from '@rehearse/server/core';
import { checkPassword, PasswordHasher } from './password';
import { InvitationsService } from './invitations.service';
import { AccountActivity } from './account-activity.service';
import { SLUG } from './dto';
import { TenantsRepository } from './tenants.repository';
import { UsersRepository } from './users.repository';
import { SuperusersRepository } from './superusers.repository';

export interface NewTenant {
  name: string;
  slug: string;
  requirePasswordComplexity?: boolean;
  admin: { name: string; email: string; password?: string; locale?: Locale };
}

export interface CreatedUser {
  id: string;
  email: string;
  /** set when the user was created without a password: the one-time link token */
  invitationToken?: string;
  /** and its invitation, to send (`InvitationsService.enqueue`) */
  invitationId?: string;
}

/** Registration of tenants, their first administrator, and platform superusers (tools/, and superusers in the web app). */
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
    private readonly activity: AccountActivity,
  ) {}

  /**
   * Registers an organisation with its first administrator, in one transaction (a slug taken
   * meanwhile leaves nothing behind): with a password (the demo and the tests), or invited by
   * e-mail (send with `InvitationsService.enqueue(admin.invitationId)` once this returns). `by`:
   * the superuser who registers it from the web app, on the organisation's account activity with the
   * administrator's invitation; without one (the command line, the demo, the tests) nothing is
   * recorded there.
   */
  async createTenant(t: NewTenant, by: Actor | null = null): Promise<{ tenantId: string; admin: CreatedUser }> {
    if (!SLUG.test(t.slug)) throw badRequest('validation_failed', 'slug must be lower-case letters, digits and dashes');
    const complexity = t.requirePasswordComplexity ?? false;
    const email = normaliseEmail(t.admin.email);
    const hash = await this.hashOf(t.admin.password, { requireComplexity: complexity, email, name: t.admin.name });
    const taken = () => conflict(`A tenant with slug "${t.slug}" already exists`);
    return this.db
      .transaction(async (m) => {
        if (await this.tenants.slugTaken(t.slug, m)) throw taken();
        const tenantId = await this.tenants.insert(
          { name: t.name, slug: t.slug, requirePasswordComplexity: complexity },
          m,
        );
        const admin = await this.insertUser(
          m,
          tenantId,
          { email, name: t.admin.name, roles: ['administrator'], locale: t.admin.locale },
          hash,
          by?.userId ?? null,
        );
        if (by) {
          await this.activity.record(m, by, tenantId, [
            { action: 'organisation.created', subjectId: null, details: { passwordComplexity: complexity } },
            { action: 'user.invited', subjectId: admin.id, details: { roles: ['administrator'], licence: null } },
          ]);
        }
        return { tenantId, admin };
      })
      .catch((e: unknown) => {
        // the same slug registered by another request since the check
        throw (e as { driverError?: { constraint?: string } }).driverError?.constraint === 'tenants_slug_key'
          ? taken()
          : e;
      });
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
    const hash = await this.hashOf(password, { requireComplexity, email: normalized, name });
    return this.db.transaction((m) => this.insertUser(m, tenantId, { email: normalized, name, roles }, hash, null));
  }

  /** The password's hash (null: none given, to be chosen through an invitation); a password that breaks the rules is refused. */
  private async hashOf(
    password: string | undefined,
    rules: { requireComplexity: boolean; email: string; name: string },
  ): Promise<string | null> {
    if (!password) return null;
    const errors = checkPassword(password, rules);
    if (errors.length) throw badRequest('weak_password', `Password ${errors[0].messages.join('; ')}`, errors);
    return this.hasher.hash(password);
  }

  /**
   * The person, in the transaction `m`: with the password's hash, or invited (by `invitedBy`) when
   * there is none. An address taken in the organisation, or a superuser's, is refused.
   */
  private async insertUser(
    m: EntityManager,
    tenantId: string,
    person: { email: string; name: string; roles: TenantRole[]; locale?: Locale },
    hash: string | null,
    invitedBy: string | null,
  ): Promise<CreatedUser> {
    // unique per organisation, and apart from the operator's superusers (sign-in never has to choose)
    if (await this.users.emailTaken(tenantId, person.email, m))
      throw conflict(`A user with e-mail ${person.email} already exists`);
    const id = await this.users.insert(tenantId, { ...person, passwordHash: hash }, m);
    if (hash) return { id, email: person.email };
    const inv = await this.invitations.create(m, tenantId, id, invitedBy);
    return { id, email: person.email, invitationToken: inv.token, invitationId: inv.id };
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
