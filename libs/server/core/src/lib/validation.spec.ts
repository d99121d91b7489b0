import 'reflect-metadata';
import { IsOptional, IsString, Length } from 'class-validator';
import type { FieldError } from '@rehearse/shared/contracts';
import { createValidationPipe } from './validation';
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
