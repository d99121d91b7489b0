import { FormControl, Validators } from '@angular/forms';
import { emailAddress } from './email-address';

describe('emailAddress', () => {
  const check = (value: unknown) => emailAddress(new FormControl(value));

  it('takes the addresses the API takes, internationalised ones included', () => {
    for (const v of [
      'participant@demo.rehearse.local',
      'josé@a.test',
      'JOSE\u0301@A.TEST',
      'ｊｏｓé＠ａ．ｔｅｓｔ',
      'user@bücher.de',
      'user@xn--bcher-kva.de',
      ' anne@b.test ',
      'first.last+tag@sub.example.org',
    ])
      expect(check(v)).withContext(v).toBeNull();
    // the addresses Angular's own validator refused
    expect(Validators.email(new FormControl('josé@a.test'))).toEqual({ email: true });
  });

  it('refuses what is no address, as Validators.email names it', () => {
    for (const v of [
      'not-an-email',
      'a@b',
      '@a.test',
      'a@',
      'a b@c.test',
      'a@b@c.test',
      'a@b..test',
      `${'x'.repeat(65)}@a.test`,
    ])
      expect(check(v)).withContext(v).toEqual({ email: true });
  });

  it('leaves an empty value to Validators.required', () => {
    expect(check('')).toBeNull();
    expect(check(null)).toBeNull();
  });
});
