import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { ReceiptKeySet } from '@rehearse/shared/contracts';
import { ReceiptCheckPage } from './receipt-check.page';
import { settle } from '../../../testing/page-testing';

/** An installation's key: its private half signs, its public half is what the page is given. */
async function installation(): Promise<{ keys: ReceiptKeySet; sign: (claims: object) => Promise<string> }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    keys: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x as string, kid, use: 'sig', alg: 'EdDSA' }] },
    sign: (claims) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
        .setIssuer('https://rehearse.example.org')
        .setIssuedAt(Date.parse('2026-12-06T10:00:00Z') / 1000)
        .setSubject('0b7e5a2c-0000-4000-8000-000000000001')
        .setJti('r-1')
        .sign(privateKey),
  };
}

const CLAIMS = {
  kind: 'tenant_destruction',
  organisation: '0b7e5a2c-0000-4000-8000-000000000001',
  receipt: {
    id: 'r-1',
    organisationName: 'Northwind Sales',
    createdAt: '2026-10-01T03:00:00Z',
    verified: true,
    counts: { users: 1200, objects: 31000 },
  },
};

describe('ReceiptCheckPage', () => {
  let fixture: ComponentFixture<ReceiptCheckPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const text = () => el.textContent?.replace(/\s+/g, ' ') ?? '';
  const check = async (token: string) => {
    const area = el.querySelector('textarea')!;
    area.value = token;
    area.dispatchEvent(new Event('input'));
    await settle();
    fixture.detectChanges();
    Array.from(el.querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Check')!
      .click();
    fixture.detectChanges();
    // jose checks with WebCrypto: a promise outside Angular's knowledge
    for (let i = 0; i < 20 && el.querySelector('[role=status], [role=alert]') === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      fixture.detectChanges();
    }
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [ReceiptCheckPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    fixture = TestBed.createComponent(ReceiptCheckPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('says a receipt signed with the installation’s key is genuine, and what it records', async () => {
    const ours = await installation();
    http.expectOne('/api/receipts/keys').flush(ours.keys);
    await settle();
    // chosen as a file: checked at once
    const input = el.querySelector<HTMLInputElement>('input[type=file]')!;
    const files = new DataTransfer();
    files.items.add(new File([await ours.sign(CLAIMS)], 'receipt.jwt', { type: 'application/jwt' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    for (let i = 0; i < 20 && el.querySelector('[role=status]') === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      fixture.detectChanges();
    }
    expect(text()).toContain('Genuine: signed by this installation');
    expect(text()).toContain(`Signed by https://rehearse.example.org on 6 Dec 2026`);
    expect(text()).toContain(ours.keys.keys[0].kid);
    expect(text()).toContain('An organisation destroyed at the end of its agreement');
    expect(text()).toContain('Northwind Sales');
    expect(text()).toContain('every object confirmed gone');
    expect(text()).toContain('1,200 people, 31,000 stored objects'); // in the receipt's order
  });

  it('checks a file chosen before the installation’s key has arrived once the key arrives', async () => {
    const ours = await installation();
    const input = el.querySelector<HTMLInputElement>('input[type=file]')!;
    const files = new DataTransfer();
    files.items.add(new File([await ours.sign(CLAIMS)], 'receipt.jwt', { type: 'application/jwt' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[role=status], [role=alert]')).toBeNull();
    http.expectOne('/api/receipts/keys').flush(ours.keys);
    for (let i = 0; i < 20 && el.querySelector('[role=status]') === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      fixture.detectChanges();
    }
    expect(text()).toContain('Genuine: signed by this installation');
    expect(text()).toContain('Northwind Sales');
  });

  it('names the organisation a person’s receipt belongs to, as signed beside the receipt', async () => {
    const ours = await installation();
    http.expectOne('/api/receipts/keys').flush(ours.keys);
    await settle();
    await check(
      await ours.sign({
        kind: 'erasure',
        organisation: '0b7e5a2c-0000-4000-8000-000000000002',
        organisationName: 'Demo Organisation',
        receipt: {
          id: 'r-2',
          kind: 'erasure',
          createdAt: '2026-12-01T09:00:00Z',
          verified: false,
          counts: { answers: 2 },
        },
      }),
    );
    expect(text()).toContain('A person erased (the right to be forgotten)');
    expect(text()).toContain('OrganisationDemo Organisation');
    expect(text()).toContain('not every object was confirmed gone when it was signed');
    expect(text()).toContain('2 answers');
  });

  it('chooses the file with a button in the page’s language, not the browser’s own control', async () => {
    http.expectOne('/api/receipts/keys').flush((await installation()).keys);
    await settle();
    const input = el.querySelector<HTMLInputElement>('input[type=file]')!;
    expect(input.getAttribute('aria-hidden')).toBe('true');
    expect(input.accept).toBe('.jwt,application/jwt,text/plain');
    expect(Array.from(el.querySelectorAll('button')).map((b) => b.textContent?.trim())).toContain(
      'Choose the receipt file',
    );
  });

  it('text typed over a chosen file replaces it: the page no longer names the file', async () => {
    const ours = await installation();
    http.expectOne('/api/receipts/keys').flush(ours.keys);
    await settle();
    const input = el.querySelector<HTMLInputElement>('input[type=file]')!;
    const files = new DataTransfer();
    files.items.add(new File(['x'], 'not-a-receipt.jwt'));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    for (let i = 0; i < 20 && el.querySelector('[role=alert]') === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      fixture.detectChanges();
    }
    expect(text()).toContain('not-a-receipt.jwt');
    await check(await ours.sign(CLAIMS));
    expect(text()).not.toContain('not-a-receipt.jwt');
    expect(text()).toContain('Genuine: signed by this installation');
  });

  it('refuses a changed receipt, another installation’s, and what is no receipt, saying why', async () => {
    const ours = await installation();
    http.expectOne('/api/receipts/keys').flush(ours.keys);
    await settle();
    const token = await ours.sign(CLAIMS);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    claims.receipt.counts.users = 1;
    const changed = [
      header,
      btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'),
      signature,
    ].join('.');
    await check(changed);
    expect(el.querySelector('[role=alert]')?.textContent).toContain('the receipt was changed after it was signed');
    expect(el.querySelector('[role=status]')).toBeNull();
    await check(await (await installation()).sign(CLAIMS));
    expect(el.querySelector('[role=alert]')?.textContent).toContain("It was not signed with this installation's key");
    await check('not a receipt');
    expect(el.querySelector('[role=alert]')?.textContent).toContain('This is not a receipt file');
  });

  it('says when the installation’s key could not be loaded, and checks nothing', async () => {
    http
      .expectOne('/api/receipts/keys')
      .flush({ code: 'unavailable', message: 'Try again' }, { status: 503, statusText: 'x' });
    await settle();
    expect(el.querySelector('[role=alert]')).not.toBeNull();
    const button = Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Check')!;
    expect(button.disabled).toBeTrue();
  });
});
