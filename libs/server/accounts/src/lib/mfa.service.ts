import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';
import type { Locale, TotpSetup } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, AppError, Clock, isUuid, SecretBox } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { MfaChallengesRepository } from './mfa-challenges.repository';
import { UserTotpRepository } from './user-totp.repository';

export type CodeCheck = 'ok' | 'invalid' | 'expired' | 'exhausted';

/** Second factors: e-mailed one-time codes and TOTP authenticator apps. */
@Injectable()
export class MfaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly mail: MailProducer,
    private readonly challenges: MfaChallengesRepository,
    private readonly totpRows: UserTotpRepository,
  ) {}

  /** Creates a 6-digit code (CSPRNG), stores its hash, and queues the e-mail. Older codes die. */
  /** `locale`: the language of the sign-in page (its Accept-Language), used when the person has not chosen one. */
  async sendEmailCode(userId: string, tenantId: string | null, locale: Locale | null = null): Promise<string> {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.MFA_CODE_TTL_MINUTES * 60_000);
    const id = await this.db.transaction(async (m) => {
      await this.challenges.consumeOpen(tenantId, userId, now, m);
      const challengeId = await this.challenges.insert(tenantId, { userId, expiresAt, now }, m);
      await this.challenges.setCode(
        tenantId,
        challengeId,
        { hash: this.box.hash(code, `mfa:${challengeId}`), sealed: this.box.seal(code, `mfa:${challengeId}`) },
        m,
      );
      return challengeId;
    });
    await this.mail.send('mfa-code', { challengeId: id, locale }, id);
    return id;
  }

  /** Checks a code against its challenge: single use, expiring, a limited number of attempts. */
  async checkEmailCode(tenantId: string | null, challengeId: string, userId: string, code: string): Promise<CodeCheck> {
    const now = this.clock.now();
    if (!isUuid(challengeId)) return 'expired';
    const c = await this.challenges.countAttempt(tenantId, challengeId, userId);
    if (!c) return 'expired';
    if (c.expires_at <= now) return 'expired';
    if (c.attempts > this.config.MFA_MAX_ATTEMPTS) return 'exhausted';
    if (!/^\d{6}$/.test(code) || !SecretBox.equal(this.box.hash(code, `mfa:${challengeId}`), c.code_hash)) {
      return c.attempts >= this.config.MFA_MAX_ATTEMPTS ? 'exhausted' : 'invalid';
    }
    return (await this.challenges.consume(tenantId, challengeId, now)) ? 'ok' : 'expired';
  }

  private totp() {
    return authenticator.clone({ window: 1, epoch: this.clock.now().getTime() });
  }

  /** Verifies a TOTP code; each time step is accepted once (no replay). */
  async checkTotp(tenantId: string | null, userId: string, code: string): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) return false;
    const u = await this.totpRows.secretOf(tenantId, userId);
    if (!u?.totp_secret_sealed) return false;
    const secret = this.box.open(u.totp_secret_sealed, `totp:${userId}`);
    const delta = this.totp().checkDelta(code, secret);
    if (delta === null) return false;
    const step = Math.floor(this.clock.now().getTime() / 30_000) + delta;
    return this.totpRows.acceptStep(tenantId, userId, step);
  }

  /** Starts TOTP enrolment: a new secret, sealed on the user, not yet enabled. */
  async beginTotp(tenantId: string | null, userId: string, email: string): Promise<TotpSetup> {
    const secret = authenticator.generateSecret(20);
    await this.totpRows.start(tenantId, userId, this.box.seal(secret, `totp:${userId}`));
    const otpauthUrl = authenticator.keyuri(email, 'Rehearse', secret);
    return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl) };
  }

  /** Enables TOTP after the user proved the app works; rotates the security stamp. */
  async enableTotp(tenantId: string | null, userId: string, code: string): Promise<void> {
    if (!(await this.checkTotp(tenantId, userId, code))) {
      throw new AppError(400, 'invalid_code', 'The code from your authenticator app is not valid', [
        { field: 'code', messages: ['is not valid'] },
      ]);
    }
    await this.totpRows.enable(tenantId, userId);
  }

  async disableTotp(tenantId: string | null, userId: string): Promise<void> {
    await this.totpRows.disable(tenantId, userId);
  }

  /** Test and tooling support: the current code for a sealed secret. */
  currentTotp(secret: string): string {
    return this.totp().generate(secret);
  }
}
