import 'reflect-metadata';
import { IsArray, IsOptional, IsString, Length, validate } from 'class-validator';
import type { FieldError } from '@rehearse/shared/contracts';
import { ArrayUnique, asOneLine, createValidationPipe, oneLineProblem } from './validation';
import { translateApiMessage } from './api-messages';

class AnswerDto {
  @IsString()
  @Length(1, 20_000)
  text!: string;

  @IsOptional()
  @IsString()
  note?: string;
}

async function fieldErrors(body: unknown): Promise<FieldError[]> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: AnswerDto });
  } catch (err) {
    return (err as { fieldErrors: FieldError[] }).fieldErrors;
  }
  throw new Error('the body was accepted');
}

describe('the validation pipe’s field errors', () => {
  it('says a field left out is required, instead of every rule its value would have had to meet', async () => {
    expect(await fieldErrors({})).toEqual([{ field: 'text', messages: ['text is required'] }]);
    expect(translateApiMessage('nl', 'text is required')).toBe('text is verplicht');
  });

  it('names the rules a value sent breaks, null included', async () => {
    expect(await fieldErrors({ text: 42 })).toEqual([
      { field: 'text', messages: expect.arrayContaining(['text must be a string']) },
    ]);
    expect(await fieldErrors({ text: null })).toEqual([
      { field: 'text', messages: expect.arrayContaining(['text must be a string']) },
    ]);
    expect(await fieldErrors({ text: '' })).toEqual([
      { field: 'text', messages: ['text must be longer than or equal to 1 characters'] },
    ]);
  });

  it('refuses a field the class does not declare, and lets an optional one be left out', async () => {
    expect(await fieldErrors({ text: 'hello', extra: 1 })).toEqual([
      { field: 'extra', messages: ['extra is not an accepted field'] },
    ]);
    await expect(
      createValidationPipe().transform({ text: 'hello' }, { type: 'body', metatype: AnswerDto }),
    ).resolves.toEqual({ text: 'hello' });
  });
});

describe('one line of text to show people', () => {
  it('is refused with control characters or direction controls, and kept with joiners, marks and any script', () => {
    for (const bad of ['a\nb', 'a\tb', 'a\rb', 'a\u0007', 'a\u0085b', 'a\u202Eb', 'a\u202Ab', 'a\u2066b\u2069'])
      expect([JSON.stringify(bad), oneLineProblem(bad)]).toEqual([
        JSON.stringify(bad),
        expect.stringMatching(/one line/),
      ]);
    for (const good of ['Zoë Ørsted', 'زینب\u200Cخانم', 'a\u200Db', 'שלום\u200E!', '李小龍', 'O’Brien-Smith'])
      expect(oneLineProblem(good)).toBeNull();
  });

  it('made from text someone else wrote: controls become spaces, direction controls go', () => {
    expect(asOneLine('Trudy\u202Egpj.exe\nAdministrator')).toBe('Trudygpj.exe Administrator');
    expect(asOneLine('  Tab\tand\r\n lines  ')).toBe('Tab and lines');
    expect(asOneLine('زینب\u200Cخانم')).toBe('زینب\u200Cخانم');
    expect(asOneLine('\u202E\n')).toBe('');
  });
});

describe('ArrayUnique (linear, in place of class-validator’s)', () => {
  class IdsDto {
    @IsArray()
    @ArrayUnique()
    ids!: unknown[];
  }
  const problems = async (ids: unknown) =>
    (await validate(Object.assign(new IdsDto(), { ids }))).flatMap((e) => Object.values(e.constraints ?? {}));

  it('takes distinct items and refuses a repeated one with class-validator’s message', async () => {
    expect(await problems(['a', 'b', 1, '1'])).toEqual([]);
    expect(await problems([])).toEqual([]);
    expect(await problems(['a', 'b', 'a'])).toEqual(["All ids's elements must be unique"]);
    expect(await problems([2, 2])).toEqual(["All ids's elements must be unique"]);
    expect(await problems('a,b')).toEqual(expect.arrayContaining(["All ids's elements must be unique"]));
  });

  it('finds the one repeat among 100,000 distinct items (class-validator’s own compared each with every one before it)', async () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `id-${i}`);
    expect(await problems(ids)).toEqual([]);
    expect(await problems([...ids, 'id-99999'])).toEqual(["All ids's elements must be unique"]);
  });
});
