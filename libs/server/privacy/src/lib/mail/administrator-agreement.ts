import {
  AccountsFootprintRepository,
  type AgreementEndRow,
  type MailRecipient,
  UsersRepository,
} from '@rehearse/server/accounts';

/**
 * What an e-mail about the end of an organisation's agreement is composed from, when it is sent:
 * the administrator (still active, in an organisation) and their organisation's agreement as it is
 * now. Undefined: nobody to tell.
 */
export async function administratorAndAgreement(
  users: UsersRepository,
  organisations: AccountsFootprintRepository,
  adminId: string,
): Promise<{ to: MailRecipient; agreement: AgreementEndRow } | undefined> {
  const to = await users.recipient(undefined, adminId);
  if (!to || to.status !== 'active' || !to.tenant_id) return undefined;
  const agreement = await organisations.agreementEnd(to.tenant_id);
  return agreement ? { to, agreement } : undefined;
}
