import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { rxResource } from '@angular/core/rxjs-interop';
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { ReceiptKeySet, ReceiptKind } from '@rehearse/shared/contracts';
import { LifecycleApi } from '@rehearse/web/data-access';
import { FilePick } from '../../core/file-pick';
import { LoadState } from '../../core/load-state';
import { RECEIPT_COUNT_NAMES } from '../../core/labels';

/** What a checked receipt records (its claims and the receipt in them). */
interface Checked {
  issuer: string;
  signedAt: Date;
  kid: string;
  kind: string;
  subject: string;
  receiptId: string;
  createdAt: string | null;
  verified: boolean | null;
  counts: Record<string, number>;
  organisationName: string | null;
}

const KIND: Record<ReceiptKind, string> = {
  licence_expiry: $localize`A person's recordings, deleted after their licence ended`,
  erasure: $localize`A person erased (the right to be forgotten)`,
  tenant_destruction: $localize`An organisation destroyed at the end of its agreement`,
};

/**
 * Checks a signed deletion receipt or destruction report (the .jwt file Rehearse downloads) in the
 * browser, against this installation's public key (`GET /api/receipts/keys`): the signature by
 * that key with Ed25519 and nothing else, then what the receipt records. No sign-in: whoever was
 * handed a receipt can check it here, or with `npm run receipt:verify` or any JOSE library.
 */
@Component({
  selector: 'rh-receipt-check',
  imports: [
    DatePipe,
    DecimalPipe,
    FilePick,
    FormsModule,
    LoadState,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <h1 i18n>Check a receipt</h1>
      <div class="card">
        <p i18n>A deletion receipt or destruction report from this installation is a <code>.jwt</code> file signed with its key. Choose the file, or paste its text, to check that it came from this installation and was not changed since.</p>
        <rh-load-state [of]="keys" label="Loading this installation's key" i18n-label />
        <p><rh-file-pick #pick i18n-label label="Choose the receipt file" accept=".jwt,application/jwt,text/plain" (picked)="chosen($event)" /></p>
        <mat-form-field appearance="outline" class="token">
          <mat-label i18n>Or paste the receipt</mat-label>
          <!-- typed or pasted text replaces the chosen file: the page no longer names it -->
          <textarea matInput rows="4" name="token" [(ngModel)]="token" (input)="pick.clear()"></textarea>
        </mat-form-field>
        <div><button i18n mat-flat-button type="button" [disabled]="!keys.hasValue() || busy() || !token.trim()" (click)="check()">Check</button></div>
        @if (busy()) { <mat-progress-bar i18n-aria-label mode="indeterminate" aria-label="Checking the receipt" /> }
      </div>
      @if (refused(); as why) {
        <div class="card refused" role="alert">
          <h2 i18n>Not a genuine receipt of this installation</h2>
          <p>{{ why }}</p>
        </div>
      }
      @if (result(); as r) {
        <div class="card genuine" role="status">
          <h2 i18n>Genuine: signed by this installation</h2>
          <p i18n>Signed by {{ r.issuer }} on {{ r.signedAt | date: 'medium' }} with key <code>{{ r.kid }}</code>. Nothing in it was changed since.</p>
          <dl>
            <dt i18n>What it records</dt><dd>{{ kindName(r.kind) }}</dd>
            @if (r.organisationName) { <dt i18n>Organisation</dt><dd>{{ r.organisationName }}</dd> }
            <dt i18n>About</dt><dd><code>{{ r.subject }}</code></dd>
            <dt i18n>Receipt</dt><dd><code>{{ r.receiptId }}</code></dd>
            @if (r.createdAt) { <dt i18n>Deleted on</dt><dd>{{ r.createdAt | date: 'medium' }}</dd> }
            <dt i18n>Storage</dt>
            <dd>
              @if (r.verified) { <span i18n>every object confirmed gone</span> }
              @else { <span i18n class="error-text">not every object was confirmed gone when it was signed</span> }
            </dd>
            <dt i18n>What went</dt>
            <dd>
              @for (c of countsOf(r); track c[0]; let last = $last) { <span>{{ c[1] | number }} {{ countName(c[0]) }}</span>@if (!last) {<span>, </span>} }
              @empty { <span i18n>nothing left to delete</span> }
            </dd>
          </dl>
        </div>
      }
    </section>
  `,
  styles: `.narrow { max-width: 720px; } .token { width: 100%; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; } dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; } .genuine { border-left: 4px solid var(--mat-sys-primary); } .refused { border-left: 4px solid var(--mat-sys-error); }`,
})
export class ReceiptCheckPage {
  private readonly api = inject(LifecycleApi);
  protected readonly keys = rxResource({ stream: () => this.api.receiptKeys() });
  /** the receipt's text (chosen from a file, or pasted) */
  protected token = '';
  protected readonly busy = signal(false);
  protected readonly result = signal<Checked | null>(null);
  /** why the receipt does not check */
  protected readonly refused = signal<string | null>(null);
  /** a receipt chosen before the installation's key had arrived: checked as soon as it does */
  private readonly waiting = signal(false);

  constructor() {
    effect(() => {
      if (this.waiting() && this.keys.hasValue()) {
        this.waiting.set(false);
        void this.check();
      }
    });
  }

  protected kindName(kind: string): string {
    return KIND[kind as ReceiptKind] ?? kind;
  }

  /** what went, in the receipt's own order (people first for an organisation), none that is 0 */
  protected countsOf(r: Checked): [string, number][] {
    return Object.entries(r.counts).filter(([, n]) => typeof n === 'number' && n > 0);
  }

  protected countName(key: string): string {
    // a destruction report counts the rows of each table too (privacy_log: "privacy log")
    return RECEIPT_COUNT_NAMES[key] ?? key.replace(/_/g, ' ');
  }

  async chosen(file: File): Promise<void> {
    this.token = (await file.text()).trim();
    await this.check();
  }

  async check(): Promise<void> {
    const keys = this.keys.hasValue() ? this.keys.value() : null;
    if (!keys) {
      // a file chosen while the key set is still on its way (the page shows it loading)
      this.waiting.set(true);
      return;
    }
    this.busy.set(true);
    this.result.set(null);
    this.refused.set(null);
    try {
      const checked = await verify(this.token.trim(), keys);
      if (typeof checked === 'string') this.refused.set(checked);
      else this.result.set(checked);
    } finally {
      this.busy.set(false);
    }
  }
}

/** The receipt's claims once its signature checks against the key set; why not otherwise. */
async function verify(token: string, keys: ReceiptKeySet): Promise<Checked | string> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return $localize`This is not a receipt file: a receipt is a signed JSON Web Token (three parts separated by dots).`;
  }
  try {
    // only Ed25519, only by a key of this installation's set (never a key the token brings itself)
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys as never), {
      algorithms: ['EdDSA'],
      requiredClaims: ['iss', 'iat', 'sub', 'jti'],
    });
    const receipt = payload['receipt'] as Record<string, unknown> | undefined;
    if (typeof payload['kind'] !== 'string' || typeof receipt !== 'object' || receipt === null)
      return $localize`It is signed by this installation, but it is not a receipt.`;
    return {
      issuer: payload.iss as string,
      signedAt: new Date((payload.iat as number) * 1000),
      kid: kid ?? '',
      kind: payload['kind'],
      subject: payload.sub as string,
      receiptId: payload.jti as string,
      createdAt: typeof receipt['createdAt'] === 'string' ? receipt['createdAt'] : null,
      verified: typeof receipt['verified'] === 'boolean' ? receipt['verified'] : null,
      counts: (receipt['counts'] as Record<string, number> | undefined) ?? {},
      // the organisation's name as signed (a person's receipt names it beside the receipt itself)
      organisationName:
        typeof payload['organisationName'] === 'string'
          ? payload['organisationName']
          : typeof receipt['organisationName'] === 'string'
            ? receipt['organisationName']
            : null,
    };
  } catch (err) {
    if (err instanceof errors.JWKSNoMatchingKey)
      return $localize`It was not signed with this installation's key: it comes from another installation, or the key has changed since it was signed.`;
    if (err instanceof errors.JWSSignatureVerificationFailed)
      return $localize`Its signature does not match: the receipt was changed after it was signed.`;
    if (err instanceof errors.JOSEAlgNotAllowed)
      return $localize`It is not signed the way this installation signs (Ed25519).`;
    return $localize`It could not be checked: ${err instanceof Error ? err.message : String(err)}:reason:`;
  }
}
