/**
 * Seeds the demo organisation for `npm start` (tools/lib/demo-seed.ts). Idempotent.
 * REHEARSE_DEMO_ACTIVITY=0 seeds the people and the course without the weeks of activity.
 */
import { authenticator } from 'otplib';
import {
  DEMO_DOMAIN,
  DEMO_PASSWORD,
  DEMO_PEOPLE,
  DEMO_SUPERUSER_EMAIL,
  DEMO_SUPERUSER_PASSWORD,
  DEMO_TOTP_SECRET,
  seedDemo,
} from './lib/demo-seed';

async function main(): Promise<void> {
  await seedDemo(undefined, { activity: process.env['REHEARSE_DEMO_ACTIVITY'] !== '0' });
  console.log(
    '\nDemo sign-ins (password for all: ' + DEMO_PASSWORD + '; the e-mailed code appears at http://localhost:3025):',
  );
  for (const p of DEMO_PEOPLE) console.log(`  ${p.roles.join(', ').padEnd(18)} ${p.email}`);
  console.log(
    `  participants       rik@${DEMO_DOMAIN} (licence ends soon), noor@${DEMO_DOMAIN} (in no group), sanne@${DEMO_DOMAIN} (left; asked to keep her recordings)`,
  );
  console.log(
    `  superuser          ${DEMO_SUPERUSER_EMAIL}  password ${DEMO_SUPERUSER_PASSWORD}  authenticator secret ${DEMO_TOTP_SECRET}`,
  );
  console.log(
    `                     current code: npm run totp -- ${DEMO_TOTP_SECRET}   (now: ${authenticator.generate(DEMO_TOTP_SECRET)})\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
