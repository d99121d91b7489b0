#!/usr/bin/env node
// The local services' connection settings, from the passwords tools/scripts/ensure-system.sh wrote
// (~/.config/rehearse/services.env, or $REHEARSE_LOCAL_ENV). Values already in the environment
// win, so an operator's own DATABASE_URL is never overridden.
//   require('./local-env.cjs').apply()   fills process.env (tools, Jest)
//   eval "$(node tools/scripts/local-env.cjs)"   exports them in a shell (npm start, npm test)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function file() {
  return process.env.REHEARSE_LOCAL_ENV || path.join(os.homedir(), '.config', 'rehearse', 'services.env');
}

/** The settings the local roles give, or {} when ensure-system.sh has not set them up. */
function settings() {
  let text;
  try {
    text = fs.readFileSync(file(), 'utf8');
  } catch {
    return {};
  }
  const vars = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  const owner = vars.REHEARSE_DB_OWNER_PASSWORD;
  const app = vars.REHEARSE_DB_APP_PASSWORD;
  if (!owner || !app) return {};
  const url = (user, password, db) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:5432/${db}`;
  return {
    // the API and the worker: a role that reads and writes rows but owns nothing
    DATABASE_URL: url('rehearse_app', app, 'rehearse'),
    // migrations, restores: the schema's owner
    DATABASE_OWNER_URL: url('rehearse', owner, 'rehearse'),
    // tests: the owner creates each test database from the migrated template; the app role uses it
    TEST_DATABASE_ADMIN_URL: url('rehearse', owner, 'postgres'),
    TEST_DATABASE_APP_URL: url('rehearse_app', app, 'postgres'),
  };
}

function apply(env = process.env) {
  const s = settings();
  // the four belong together: an operator who set DATABASE_URL keeps their own set
  if (env.DATABASE_URL && !env.DATABASE_OWNER_URL) {
    for (const k of ['TEST_DATABASE_ADMIN_URL', 'TEST_DATABASE_APP_URL']) if (!env[k] && s[k]) env[k] = s[k];
    return env;
  }
  for (const [k, v] of Object.entries(s)) if (!env[k]) env[k] = v;
  return env;
}

module.exports = { apply, settings, file };

if (require.main === module) {
  const env = apply({ ...process.env });
  for (const k of ['DATABASE_URL', 'DATABASE_OWNER_URL', 'TEST_DATABASE_ADMIN_URL', 'TEST_DATABASE_APP_URL']) {
    if (env[k]) process.stdout.write(`export ${k}='${env[k].replace(/'/g, `'\\''`)}'\n`);
  }
}
