import 'reflect-metadata';
import { ArrayMaxSize, getMetadataStorage, IsArray, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
// loading the application module loads every request class (DTO) of every library
import { ApiModule } from '../app.module';
import { MAX_ARRAY_ITEMS } from '../request-guards';
import { fastKeys, libraryKeys } from '@rehearse/server/core';

/** PostgreSQL's integer column: no request number may go past it. */
const INT4_MAX = 2_147_483_647;

type Rule = (target: string, property: string, rules: ValidationMetadata[]) => string | null;

const named = (rules: ValidationMetadata[], name: string) => rules.find((r) => r.name === name);
const typed = (rules: ValidationMetadata[], type: string) => rules.some((r) => r.type === type);

/**
 * Rules every request field must follow, read from the validation metadata of every DTO, so a new
 * field that forgets one fails here instead of answering 500 when a hostile value reaches
 * PostgreSQL: numbers bounded (integers within int4), strings bounded, required nested objects
 * required (class-validator skips nested validation of a missing object), no array's limit above
 * what the request guard lets through.
 */
const RULES: Rule[] = [
  (t, p, rules) => {
    if (!named(rules, 'isInt') && !named(rules, 'isNumber')) return null;
    const max = named(rules, 'max');
    const min = named(rules, 'min');
    if (!max || !min) return `${t}.${p}: a number without @Min and @Max`;
    if (named(rules, 'isInt') && Number(max.constraints[0]) > INT4_MAX)
      return `${t}.${p}: @Max beyond PostgreSQL's integer`;
    return null;
  },
  (t, p, rules) => {
    const str = named(rules, 'isString');
    if (!str) return null;
    return named(rules, 'maxLength') ||
      named(rules, 'length') ||
      named(rules, 'isIn') ||
      named(rules, 'matches') ||
      named(rules, 'isUUID') ||
      named(rules, 'isEmail')
      ? null
      : `${t}.${p}: a string without @MaxLength`;
  },
  (t, p, rules) => {
    // the request guard refuses longer arrays before any validator reads them (request-guards.ts)
    const most = named(rules, 'arrayMaxSize');
    return most && Number(most.constraints[0]) > MAX_ARRAY_ITEMS
      ? `${t}.${p}: @ArrayMaxSize beyond the ${MAX_ARRAY_ITEMS} items any request's array may hold`
      : null;
  },
  (t, p, rules) => {
    if (!typed(rules, 'nestedValidation')) return null;
    if (
      typed(rules, 'conditionalValidation') ||
      typed(rules, 'isDefined') ||
      named(rules, 'isObject') ||
      named(rules, 'isArray')
    )
      return null;
    return `${t}.${p}: a nested object that may be left out without @IsOptional (add @IsDefined or @IsObject)`;
  },
];

function allDtoMetadata(): Map<string, Map<string, ValidationMetadata[]>> {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<{ name: string }, ValidationMetadata[]>;
  };
  const out = new Map<string, Map<string, ValidationMetadata[]>>();
  for (const [target, list] of storage.validationMetadatas) {
    const byProp = new Map<string, ValidationMetadata[]>();
    for (const m of list) byProp.set(m.propertyName, [...(byProp.get(m.propertyName) ?? []), m]);
    out.set(target.name, byProp);
  }
  return out;
}

export function violations(metadata = allDtoMetadata()): string[] {
  const found: string[] = [];
  for (const [target, props] of metadata) {
    for (const [property, rules] of props) {
      for (const rule of RULES) {
        const v = rule(target, property, rules);
        if (v) found.push(v);
      }
    }
  }
  return found.sort();
}

describe('request fields are bounded (read from every DTO)', () => {
  it('loads the request classes of the whole API', () => {
    expect(ApiModule).toBeDefined();
    expect(allDtoMetadata().size).toBeGreaterThan(40);
  });

  it('every number is bounded, every string has a maximum length, every required nested object is required', () => {
    // (CarelessDto is the deliberately broken class of the next test)
    expect(violations().filter((v) => !v.startsWith('CarelessDto.'))).toEqual([]);
  });

  it('finds a field that breaks a rule (the rules can fail)', () => {
    class CarelessDto {
      @IsArray() @ArrayMaxSize(MAX_ARRAY_ITEMS + 1) ids!: string[];
      @IsInt() @Min(1) revision!: number;
      @IsString() note!: string;
      @ValidateNested() nested!: object;
    }
    const only = new Map([...allDtoMetadata()].filter(([name]) => name === CarelessDto.name));
    expect(violations(only)).toEqual([
      `CarelessDto.ids: @ArrayMaxSize beyond the ${MAX_ARRAY_ITEMS} items any request's array may hold`,
      'CarelessDto.nested: a nested object that may be left out without @IsOptional (add @IsDefined or @IsObject)',
      'CarelessDto.note: a string without @MaxLength',
      'CarelessDto.revision: a number without @Min and @Max',
    ]);
  });

  it('every request class is made with class-transformer’s keys in linear time, with the library’s own answer', () => {
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<abstract new () => unknown, ValidationMetadata[]>;
    };
    const e = { options: {}, transformationType: 0 };
    let classes = 0;
    for (const [target, list] of storage.validationMetadatas) {
      const object = Object.fromEntries([...list.map((m) => m.propertyName), 'unknownField'].map((k) => [k, 'x']));
      const fast = fastKeys(e, target, object, false);
      expect({ target: target.name, keys: fast }).toEqual({
        target: target.name,
        keys: libraryKeys(e, target, object, false),
      });
      classes++;
    }
    expect(classes).toBeGreaterThan(40);
  });
});
