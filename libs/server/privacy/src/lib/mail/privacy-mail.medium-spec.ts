/**
 * Privacy's e-mails on real PostgreSQL (the medium tier): each composer reads the export, the
 * licence and the people through their owners' repositories, and has nothing to send once the
 * state the job named has moved on.
 */
import {
  AccountsFootprintRepository,
  LicenceLifecycleRepository,
  type LicenceLifecycleRow,
  LicencesRepository,
  UsersRepository,
} from '@rehearse/server/accounts';
import { Clock, type AppConfig } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { DataExportsRepository } from '../data-exports.repository';
import { AgreementEndMail } from './agreement-end.mail';
import { DestructionSoonMail } from './destruction-soon.mail';
import { ExportReadyMail } from './export-ready.mail';
import { KeepRequestedMail } from './keep-requested.mail';
import { RetentionNoticeMail } from './retention-notice.mail';
import { RecordingsDeletedMail } from './recordings-deleted.mail';
import { DeletionReceiptsRepository } from '../deletion-receipts.repository';

describe("privacy's e-mails (medium tier)", () => {
  let m: MediumDatabase;
  let rows: Rows;
  let exportReady: ExportReadyMail;
  let keepRequested: KeepRequestedMail;
  let retentionNotice: RetentionNoticeMail;
  let recordingsDeleted: RecordingsDeletedMail;
  let agreementEnd: AgreementEndMail;
  let destructionSoon: DestructionSoonMail;
  let lifecycles: LicenceLifecycleRepository;
  const clock = new Clock();
  const config = { PUBLIC_URL: 'https://rehearse.example.test' } as AppConfig;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    const users = new UsersRepository(m.db);
    const licences = new LicencesRepository(m.db);
    exportReady = new ExportReadyMail(new DataExportsRepository(m.db), users, config);
    keepRequested = new KeepRequestedMail(users, licences, config);
    lifecycles = new LicenceLifecycleRepository(m.db);
    retentionNotice = new RetentionNoticeMail(users, lifecycles, clock, config);
    recordingsDeleted = new RecordingsDeletedMail(users, lifecycles, new DeletionReceiptsRepository(m.db), config);
    agreementEnd = new AgreementEndMail(users, new AccountsFootprintRepository(m.db), config);
    destructionSoon = new DestructionSoonMail(users, new AccountsFootprintRepository(m.db), clock, config);
  });
  afterAll(() => m?.close());

  const anExport = async (tenant: string, subject: string | null, requestedBy: string, state = 'ready') =>
    (
      await m.db.query(
        `INSERT INTO data_exports (tenant_id, scope, subject_id, requested_by, state, created_at)
         VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
        [tenant, subject ? 'user' : 'tenant', subject, requestedBy, state],
      )
    )[0].id as string;

  it('tells whoever asked that an export is ready: the person, their administrator, or a superuser acting for them', async () => {
    const tenant = await rows.tenant();
    const pim = await rows.user(tenant, { name: 'Pim' });
    const ada = await rows.user(tenant, { name: 'Ada', roles: ['administrator'] });
    const own = await exportReady.compose({ exportId: await anExport(tenant, pim, pim) });
    expect(own?.mail.text).toBe(
      'Hello Pim,\n\nThe export of your data is ready. Sign in to download it within 7 days.\nhttps://rehearse.example.test/my/data\n',
    );
    const theirs = await exportReady.compose({ exportId: await anExport(tenant, pim, ada) });
    expect(theirs?.mail.text).toContain(`The export of the data of Pim is ready.`);
    expect(theirs?.mail.text).toContain(`https://rehearse.example.test/admin/users/${pim}`);
    const everything = await exportReady.compose({ exportId: await anExport(tenant, null, ada) });
    expect(everything?.mail.text).toContain('The export of everything of your organisation is ready.');
    // a superuser (no organisation) who asked while acting as the administrator hears of it too
    const sam = (
      await m.db.query(
        `INSERT INTO users (tenant_id, email, name, status, is_superuser) VALUES (NULL, 'sam@operator.test', 'Sam', 'active', true) RETURNING id`,
      )
    )[0].id as string;
    expect((await exportReady.compose({ exportId: await anExport(tenant, pim, sam) }))?.mail.to).toBe(
      'sam@operator.test',
    );
    // still building, or asked by someone since deactivated: nothing to send
    expect(await exportReady.compose({ exportId: await anExport(tenant, pim, pim, 'building') })).toBeNull();
    await m.db.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [ada]);
    expect(await exportReady.compose({ exportId: await anExport(tenant, null, ada) })).toBeNull();
  });

  it('announces the deletion date only while the licence is still expired and that date is still the one announced', async () => {
    clock.reset();
    clock.advance(Date.parse('2026-12-01T12:00:00Z') - clock.now().getTime());
    const tenant = await rows.tenant();
    const sanne = await rows.user(tenant, { name: 'Sanne' });
    await rows.licence(tenant, sanne, '2026-11-01');
    await m.db.query(`UPDATE licences SET notice_sent_for = '2026-12-16' WHERE user_id = $1`, [sanne]);
    const notice = await retentionNotice.compose({ userId: sanne, dueOn: '2026-12-16' });
    expect(notice?.mail.subject).toBe('Your Rehearse recordings will be deleted on 16 December 2026');
    expect(await retentionNotice.compose({ userId: sanne, dueOn: '2026-12-20' })).toBeNull();
    // extended meanwhile: the recordings stay, nothing to say
    await m.db.query(`UPDATE licences SET expires_on = '2027-06-30' WHERE user_id = $1`, [sanne]);
    expect(await retentionNotice.compose({ userId: sanne, dueOn: '2026-12-16' })).toBeNull();
  });

  it('tells the person their recordings were deleted and where the receipt is; not for a receipt about someone else', async () => {
    const tenant = await rows.tenant();
    const sanne = await rows.user(tenant, { name: 'Sanne' });
    const rik = await rows.user(tenant, { name: 'Rik' });
    await rows.licence(tenant, sanne, '2026-11-01');
    const receipt = async (subject: string, verified: boolean, kind = 'licence_expiry') =>
      (
        await m.db.query(
          `INSERT INTO deletion_receipts (tenant_id, kind, subject_id, created_at, verified, counts, objects)
           VALUES ($1, $2, $3, '2026-12-16T03:00:00Z', $4, '{"recordings": 2}', '[]') RETURNING id`,
          [tenant, kind, subject, verified],
        )
      )[0].id as string;
    const confirmed = await receipt(sanne, true);
    const told = await recordingsDeleted.compose({ userId: sanne, receiptId: confirmed });
    expect(told?.mail.subject).toBe('Your Rehearse recordings were deleted');
    expect(told?.mail.text).toContain(
      'Your licence expired on 1 November 2026, and as announced your practice recordings were deleted on 16 December 2026',
    );
    expect(told?.mail.text).toContain('Download it from your data page, signed');
    expect(told?.mail.text).toContain('https://rehearse.example.test/my/data');
    expect(told?.mail.text).toContain(
      'Whoever you give it to can check it here, without an account:\nhttps://rehearse.example.test/receipts/check',
    );
    expect(told?.mail.text).not.toContain('not yet confirmed');
    expect(told?.mail.html).toContain('<a href="https://rehearse.example.test/my/data">My data</a>');
    // the storage has not confirmed every object gone: said; in Dutch for a Dutch reader
    await m.db.query(`UPDATE users SET locale = 'nl' WHERE id = $1`, [sanne]);
    const pending = await recordingsDeleted.compose({ userId: sanne, receiptId: await receipt(sanne, false) });
    expect(pending?.mail.subject).toBe('Je Rehearse-opnames zijn verwijderd');
    expect(pending?.mail.text).toContain('De opslag heeft nog niet bevestigd dat elk bestand weg is');
    // a receipt about someone else, an erasure's, or none: nothing to say
    expect(await recordingsDeleted.compose({ userId: rik, receiptId: confirmed })).toBeNull();
    expect(
      await recordingsDeleted.compose({ userId: sanne, receiptId: await receipt(sanne, true, 'erasure') }),
    ).toBeNull();
    expect(
      await recordingsDeleted.compose({ userId: sanne, receiptId: '6f1c3c53-7a4b-4d2e-9f0a-1b2c3d4e5f60' }),
    ).toBeNull();
  });

  it('the recordings wait for the notice to go out, and go the notice period after it did', async () => {
    // an organisation's defaults: deleted 45 days after expiry, the notice 14 days before
    clock.reset();
    clock.advance(Date.parse('2026-12-02T09:00:00Z') - clock.now().getTime());
    const tenant = await rows.tenant();
    const sanne = await rows.user(tenant, { name: 'Sanne' });
    await rows.licence(tenant, sanne, '2026-11-01'); // due 2026-12-16, notice from 2026-12-02
    const lifecycle = async () => (await lifecycles.lifecycleOf(tenant, sanne)) as LicenceLifecycleRow;
    const unmailed = async () => (await lifecycles.noticesUnmailed('2026-12-02')).filter((r) => r.user_id === sanne);
    expect(await lifecycles.markNoticed(tenant, sanne, '2026-12-16', clock.now())).toBe(true);
    // decided, its e-mail queued, but not gone out: no deletion date yet, and the sweep sends it again
    expect((await lifecycle()).delete_from).toBeNull();
    expect(await unmailed()).toHaveLength(1);
    expect((await lifecycles.readyForDeletion('2027-03-01')).map((r) => r.user_id)).not.toContain(sanne);
    // it goes out five days late (a mail server down meanwhile): the 14 days count from then, and
    // the e-mail gives that date, not the due date five days too soon
    clock.advance(5 * 86_400_000);
    const notice = await retentionNotice.compose({ userId: sanne, dueOn: '2026-12-16' });
    expect(notice?.mail.subject).toBe('Your Rehearse recordings will be deleted on 21 December 2026');
    await notice?.sent();
    expect(await lifecycle()).toMatchObject({ delete_from: '2026-12-21', notice_sent_for: '2026-12-16' });
    expect((await lifecycle()).notice_mailed_at?.toISOString().slice(0, 13)).toBe('2026-12-07T09');
    expect(await unmailed()).toEqual([]);
    expect((await lifecycles.readyForDeletion('2026-12-20')).map((r) => r.user_id)).not.toContain(sanne);
    expect((await lifecycles.readyForDeletion('2026-12-21')).map((r) => r.user_id)).toContain(sanne);
    // sent twice (a job sent again): the first counts
    clock.advance(86_400_000);
    await notice?.sent();
    expect((await lifecycle()).delete_from).toBe('2026-12-21');
  });

  it('tells an administrator of a keep request in their own organisation only, until it is decided', async () => {
    const tenant = await rows.tenant();
    const other = await rows.tenant();
    const sanne = await rows.user(tenant, { name: 'Sanne' });
    const ada = await rows.user(tenant, { name: 'Ada', roles: ['administrator'] });
    const stranger = await rows.user(other, { name: 'Olga', roles: ['administrator'] });
    await rows.licence(tenant, sanne, '2026-11-01');
    await m.db.query(`UPDATE licences SET keep_status = 'requested' WHERE user_id = $1`, [sanne]);
    const mail = await keepRequested.compose({ userId: sanne, adminId: ada });
    expect(mail?.mail.subject).toBe('Sanne asks to keep their recordings');
    expect(mail?.mail.text).toContain('https://rehearse.example.test/admin/retention');
    expect(await keepRequested.compose({ userId: sanne, adminId: stranger })).toBeNull();
    await m.db.query(`UPDATE licences SET keep_status = 'approved' WHERE user_id = $1`, [sanne]);
    expect(await keepRequested.compose({ userId: sanne, adminId: ada })).toBeNull();
  });

  it("tells an administrator when the organisation's agreement ends and everything goes, or that it no longer ends; an end changed since says nothing", async () => {
    const tenant = await rows.tenant('Northwind <Sales>');
    const ada = await rows.user(tenant, { name: 'Ada', roles: ['administrator'] });
    const endsOn = async (day: string | null) =>
      m.db.query(`UPDATE tenants SET agreement_ends_on = $2, destroy_after_days = 45 WHERE id = $1`, [tenant, day]);
    await endsOn('2027-03-31');
    const set = await agreementEnd.compose({ adminId: ada, endsOn: '2027-03-31' });
    expect(set?.mail.subject).toBe('The agreement of Northwind <Sales> ends on 31 March 2027');
    expect(set?.mail.text).toBe(
      'Hello Ada,\n\nThe agreement of Northwind <Sales> with the operator of Rehearse ends on 31 March 2027. On 15 May 2027 everything of the organisation is destroyed for good: its people, courses, answers, recordings, feedback and privacy log.\n\n' +
        "Export the organisation's data before then to keep any of it:\nhttps://rehearse.example.test/admin/retention\n",
    );
    // the organisation's name is text in the HTML, not markup
    expect(set?.mail.html).toContain('Northwind &lt;Sales&gt;');
    expect(set?.mail.html).not.toContain('<Sales>');
    // changed again before this one went: the newer e-mail tells it
    await endsOn('2027-04-30');
    expect(await agreementEnd.compose({ adminId: ada, endsOn: '2027-03-31' })).toBeNull();
    expect(await agreementEnd.compose({ adminId: ada, endsOn: null })).toBeNull();
    await endsOn(null);
    const cleared = await agreementEnd.compose({ adminId: ada, endsOn: null });
    expect(cleared?.mail.subject).toBe('The agreement of Northwind <Sales> no longer ends');
    expect(cleared?.mail.text).toContain('nothing of the organisation will be destroyed');
    // in the administrator's language
    await m.db.query(`UPDATE users SET locale = 'nl' WHERE id = $1`, [ada]);
    await endsOn('2027-03-31');
    expect((await agreementEnd.compose({ adminId: ada, endsOn: '2027-03-31' }))?.mail.subject).toBe(
      'De overeenkomst van Northwind <Sales> loopt af op 31 maart 2027',
    );
    // no longer active: nothing to send
    await m.db.query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [ada]);
    expect(await agreementEnd.compose({ adminId: ada, endsOn: '2027-03-31' })).toBeNull();
  });

  it('reminds an administrator that everything of the organisation is destroyed on a day, while that day is still the one coming', async () => {
    const tenant = await rows.tenant('Contoso');
    const ada = await rows.user(tenant, { name: 'Ada', roles: ['administrator'] });
    const day = (offset: number) =>
      new Date(Date.parse(`${clock.today()}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const long = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
    // ended 31 days ago: destroyed in 14
    await m.db.query(`UPDATE tenants SET agreement_ends_on = $2, destroy_after_days = 45 WHERE id = $1`, [
      tenant,
      day(-31),
    ]);
    const soon = await destructionSoon.compose({ adminId: ada, destroyOn: day(14) });
    expect(soon?.mail.subject).toBe(`Everything of Contoso is destroyed on ${long(day(14))}`);
    expect(soon?.mail.text).toContain(
      `The agreement of Contoso with the operator of Rehearse ended on ${long(day(-31))}. In 14 days, on ${long(day(14))}, everything of the organisation is destroyed for good`,
    );
    expect(soon?.mail.text).toContain('https://rehearse.example.test/admin/retention');
    // the day before
    await m.db.query(`UPDATE tenants SET agreement_ends_on = $2 WHERE id = $1`, [tenant, day(-44)]);
    expect((await destructionSoon.compose({ adminId: ada, destroyOn: day(1) }))?.mail.text).toContain(
      `Tomorrow, ${long(day(1))}, everything of the organisation is destroyed`,
    );
    // moved (a new end of the agreement), removed, or already past: nothing to say
    expect(await destructionSoon.compose({ adminId: ada, destroyOn: day(14) })).toBeNull();
    await m.db.query(`UPDATE tenants SET agreement_ends_on = NULL WHERE id = $1`, [tenant]);
    expect(await destructionSoon.compose({ adminId: ada, destroyOn: day(1) })).toBeNull();
    await m.db.query(`UPDATE tenants SET agreement_ends_on = $2 WHERE id = $1`, [tenant, day(-45)]);
    expect(await destructionSoon.compose({ adminId: ada, destroyOn: day(0) })).toBeNull();
  });
});
