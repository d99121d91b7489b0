/**
 * The application's database role: it reads and writes rows but owns nothing, so it can neither
 * change the schema nor switch off the privacy log's triggers. Migrations (and restores) run as
 * the schema's owner and then grant this role what it needs.
 */

/** The role named by the application's URL, when it differs from the owner's; null for one-role setups. */
export function runtimeRoleFor(appUrl: string, ownerUrl: string): string | null {
  const app = decodeURIComponent(new URL(appUrl).username);
  const owner = decodeURIComponent(new URL(ownerUrl).username);
  return app && app !== owner ? app : null;
}

/**
 * Grants the application role its rights, again after every migration run or restore
 * (idempotent): rows of every table, but the privacy log and the account activity only to read and append, the log's destruction
 * records and the migrations table only to read; no DDL. The tenant-destruction path reaches the
 * privacy log only through the owner's audited function destroy_tenant_privacy_log().
 * `query` runs one statement as the schema's owner.
 */
export async function grantRuntimeRole(query: (sql: string) => Promise<unknown>, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`invalid role name "${role}"`);
  const [{ owner }] = (await query(`SELECT current_user AS owner`)) as { owner: string }[];
  if (owner === role) return;
  for (const sql of [
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON privacy_log FROM ${role}`,
    // what was changed in the accounts: appended and read; rows go with their organisation or person (cascades)
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON account_activity FROM ${role}`,
    `REVOKE ALL ON privacy_log_destructions FROM ${role}`,
    `GRANT SELECT ON privacy_log_destructions TO ${role}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role}`,
  ]) {
    await query(sql);
  }
}
