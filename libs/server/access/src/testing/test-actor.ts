import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { permissionsFor, type TenantRole } from '@rehearse/shared/contracts';
import { Clock, loadConfig } from '@rehearse/server/core';
import { AccessRepository } from '../lib/access.repository';
import { ImpersonationChecksRepository } from '../lib/impersonation-checks.repository';
import { AccessService } from '../lib/access.service';
import type { Actor } from '../lib/actor';
import { ActorPreload } from '../lib/actor-row';
import { PrivacyLogRepository } from '../lib/privacy-log.repository';
import { PrivacyLogService } from '../lib/privacy-log.service';

/**
 * Test support (the medium tier): the actor a request of this person would resolve to, with the
 * permissions of their roles — what AccessService.resolveActor builds from the session.
 */
export function testActor(userId: string, tenantId: string | null, roles: TenantRole[], isSuperuser = false): Actor {
  return {
    userId,
    tenantId,
    name: 'Test Actor',
    email: 'actor@medium.test',
    roles,
    isSuperuser,
    permissions: permissionsFor(roles, isSuperuser),
    impersonatorId: null,
    impersonationId: null,
  };
}

/**
 * Test support (the medium tier): the access core and the privacy log as the application wires
 * them, on a test's own connection pool and clock.
 */
export function testAccessCore(db: DataSource, clock: Clock): { access: AccessService; privacy: PrivacyLogService } {
  const config = loadConfig({ NODE_ENV: 'test', APP_SECRET: randomBytes(24).toString('hex') });
  return {
    access: new AccessService(
      db,
      config,
      clock,
      new ActorPreload(),
      new AccessRepository(db),
      new ImpersonationChecksRepository(db),
    ),
    privacy: new PrivacyLogService(db, new PrivacyLogRepository(db), clock, config),
  };
}
