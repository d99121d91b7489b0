import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ARRAY_UNIQUE, ValidateBy, ValidateIf } from 'class-validator';
import type { FieldError } from '@rehearse/shared/contracts';
import { AppError } from './errors';
import { installLinearKeys } from './request-classes';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) {
      const entries = Object.entries(e.constraints);
      out.push({
        field,
        // a field left out is required (an optional one is not validated when absent): one
        // message says so, rather than every rule its value would have had to meet
        messages:
          e.value === undefined && !('whitelistValidation' in e.constraints)
            ? [`${field} is required`]
            : entries.map(([k, m]) => (k === 'whitelistValidation' ? `${field} is not an accepted field` : m)),
      });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** The most field errors one answer lists: a request can break many more rules than anyone reads. */
export const MAX_FIELD_ERRORS = 100;

/**
 * The first MAX_FIELD_ERRORS field errors, and a last one that says how many more there were:
 * every unknown field was named, so an answer to a body of many fields was larger than the body.
 */
function firstProblems(errors: FieldError[]): FieldError[] {
  if (errors.length <= MAX_FIELD_ERRORS) return errors;
  const more = errors.length - MAX_FIELD_ERRORS;
  return [...errors.slice(0, MAX_FIELD_ERRORS), { field: 'body', messages: [`and ${more} more problems`] }];
}

/** whitelist + forbid unknown fields + transform; failures are 400 validation_failed with field errors. */
export function createValidationPipe(): ValidationPipe {
  // class-transformer's keys in linear time (request-classes.ts)
  installLinearKeys();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new AppError(400, 'validation_failed', 'The request is not valid', firstProblems(flatten(errors))),
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID as PostgreSQL reads one (any version): what an id in a path or body must look like. */
export function isUuid(value: unknown): boolean {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A field that may be left out, whose null is a value like any other: refused unless the field's
 * own checks allow it. class-validator's @IsOptional lets null through unchecked too, so a field
 * the document does not call nullable took null as "left out" or, where the service wrote it,
 * answered 500 ({"name": null} on the profile).
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);

/**
 * What a one-line text shown to people (a person's name, a group's, a course's or a rubric's
 * title) must not hold: control characters (line breaks, tabs, bells …, Unicode's Cc) and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make
 * what follows them read in another order ("Eve\u202Egpj.exe" shows as "Eveexe.jpg") in every list
 * the name appears in. Joiners and the direction marks (U+200C–U+200F) stay: scripts need them.
 */
export const NOT_ONE_LINE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

const NOT_ONE_LINE_MESSAGE = 'must be one line of text, without control characters or text-direction overrides';

/** Why `s` is not one line of text to show people, or null. */
export function oneLineProblem(s: string): string | null {
  return NOT_ONE_LINE.test(s) ? NOT_ONE_LINE_MESSAGE : null;
}

/** A string field that is one line of text to show people (NOT_ONE_LINE). */
export const IsOneLine = (): PropertyDecorator =>
  ValidateBy({
    name: 'isOneLine',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || oneLineProblem(value) === null,
      defaultMessage: (args) => `${args?.property ?? 'the value'} ${NOT_ONE_LINE_MESSAGE}`,
    },
  });

/**
 * One line of text to show people made from text someone else wrote (an identity provider's name
 * claim): control characters become spaces, direction overrides go, spaces are collapsed.
 */
export function asOneLine(s: string): string {
  return s
    .replace(/[\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * class-validator's `@ArrayUnique`, in linear time: its own compares each item with every one
 * before it (`indexOf` in a `filter`), so one request's array of 100,000 distinct strings (790 KB)
 * held the API's one thread for 9 s, and a 2 MB body for about a minute, whatever its
 * `@ArrayMaxSize` (every constraint of a field is checked). The same name and message, so the
 * OpenAPI document's `uniqueItems` and the error a client reads stay as they were. Items are
 * compared as `Set` does (strict equality; every JSON value here is a string or a number).
 */
export const ArrayUnique = (): PropertyDecorator =>
  ValidateBy({
    name: ARRAY_UNIQUE,
    validator: {
      validate: (value: unknown) => Array.isArray(value) && new Set(value).size === value.length,
      defaultMessage: (args) => `All ${args?.property ?? 'the value'}'s elements must be unique`,
    },
  });
