import type { Expression } from 'kysely';

/**
 * What accounts asks of the libraries built on it, which it cannot import (courses depends on
 * accounts): each question is an abstract class that serves as the injection token, the owning
 * library answers it from its own tables, and the application binds the two (`DomainPortsModule`
 * in feedback). So accounts reads no group itself.
 */

/** Courses' answer to accounts: who takes part in a group. */
export abstract class GroupParticipation {
  /**
   * The organisation's participants who take part in some group, as a subquery of `user_id`s, so
   * that the administrator's home subtracts them from the organisation's participants in one
   * statement (at 10,000 people a list of ids would cross the API twice).
   */
  abstract inSomeGroup(tenantId: string): Expression<{ user_id: string }>;
}
