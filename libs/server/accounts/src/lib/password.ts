import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import bcrypt from 'bcrypt';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError, PasswordRules } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * bcrypt reads at most 72 bytes. Every password is first reduced to a fixed 44-character
 * base64 HMAC-SHA256 digest, so long passphrases keep all their entropy and no input is
 * silently truncated. The constant key only separates this use of SHA-256 from others.
 */
function prehash(password: string): string {
  return createHmac('sha256', 'rehearse-password-v1').update(password.normalize('NFKC'), 'utf8').digest('base64');
}

@Injectable()
export class PasswordHasher {
  /** A real hash to compare against when the account does not exist (equal timing). */
  private dummy: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.dummy = bcrypt.hash(prehash('not-a-real-password'), config.BCRYPT_COST);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(prehash(password), this.config.BCRYPT_COST);
  }

  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    const target = hash ?? (await this.dummy);
    const ok = await bcrypt.compare(prehash(password), target);
    return ok && !!hash;
  }
}

/** The most common passwords (49k, from the zxcvbn-ts common dictionary), lower-cased. */
const COMMON = new Set(dictionary.passwords.map((p: string) => p.toLowerCase()));
export const COMMON_PASSWORD_COUNT = COMMON.size;

export function passwordRules(requireComplexity: boolean): PasswordRules {
  return { minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, requireComplexity };
}

/** Checks a candidate password; returns field errors (empty when acceptable). */
export function checkPassword(
  password: string,
  opts: { requireComplexity: boolean; email?: string; name?: string; field?: string },
): FieldError[] {
  const field = opts.field ?? 'password';
  const messages: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN) messages.push(`must be at least ${PASSWORD_MIN} characters`);
  if (length > PASSWORD_MAX) messages.push(`must be at most ${PASSWORD_MAX} characters`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[\d!?.]+$/, ''))) {
    messages.push('is one of the most commonly used passwords; choose another');
  }
  const local = opts.email?.split('@')[0]?.toLowerCase();
  if (
    (local && local.length >= 4 && lower.includes(local)) ||
    (opts.name && opts.name.length >= 4 && lower === opts.name.toLowerCase())
  ) {
    messages.push('must not contain your e-mail address or name');
  }
  if (opts.requireComplexity) {
    if (!/[a-z]/.test(password)) messages.push('must contain a lower-case letter');
    if (!/[A-Z]/.test(password)) messages.push('must contain an upper-case letter');
    if (!/[0-9]/.test(password)) messages.push('must contain a digit');
    if (!/[^A-Za-z0-9]/.test(password)) messages.push('must contain a symbol');
  }
  return messages.length ? [{ field, messages }] : [];
}
