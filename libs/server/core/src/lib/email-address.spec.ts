import { normaliseEmail } from './email-address';

describe('normaliseEmail', () => {
  it.each([
    ['josé@a.test', 'josé@a.test'],
    ['JOSE\u0301@A.TEST', 'josé@a.test'],
    ['  Jose\u0301@a.test\t', 'josé@a.test'],
    ['ｊｏｓé＠ａ．ｔｅｓｔ', 'josé@a.test'],
    ['ﬁona@a.test', 'fiona@a.test'],
    ['user@xn--bcher-kva.de', 'user@bücher.de'],
    ['User@XN--BCHER-KVA.DE', 'user@bücher.de'],
    ['user@BÜCHER.de', 'user@bücher.de'],
    ['user@straße.de', 'user@straße.de'],
    ['a@b@c.test', 'a@b@c.test'],
    // an ASCII domain is only lower-cased (IDNA would read this one as 127.0.0.1)
    ['user@0x7F.1', 'user@0x7f.1'],
    // what IDNA cannot read stays as it came (the validators refuse it)
    ['user@exa mple.com', 'user@exa mple.com'],
    ['user@[192.0.2.1]', 'user@[192.0.2.1]'],
    ['no-at-sign', 'no-at-sign'],
    ['', ''],
  ])('%j is kept as %j', (given, kept) => {
    expect(normaliseEmail(given)).toBe(kept);
  });

  it('is the same whichever form it starts from, and gives its own output back unchanged', () => {
    const forms = [
      'anaïs@bücher.de',
      'ANAI\u0308S@xn--bcher-kva.de',
      'ａｎａïｓ＠ｂüｃｈｅｒ．ｄｅ',
      ' Anaïs@Bücher.DE ',
    ];
    const kept = new Set(forms.map(normaliseEmail));
    expect([...kept]).toEqual(['anaïs@bücher.de']);
    for (const s of ['İstanbul@a.test', 'ǅ@a.test', 'ß@ẞ.test', 'ﷺ@a.test', 'x@İİİ.test'])
      expect(normaliseEmail(normaliseEmail(s))).toBe(normaliseEmail(s));
  });
});
