/*
 * What the OpenAPI document says about the values a request may carry, read from the same
 * class-validator decorators the validation pipe enforces, where the compiler plugin leaves them
 * out: a property checked with @IsInt is an `integer` (the plugin writes `number`, so a client or a
 * fuzzer reading the document would send 4.5 and be refused), a date checked with @IsISO8601 and a
 * YYYY-MM-DD pattern has `format: date` (the pattern alone admits 2026-13-45), and a request class
 * is closed (`additionalProperties: false`): the pipe refuses fields it does not declare.
 */
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';

type Schema = SchemaObject | ReferenceObject;
type Constructor = abstract new (...args: never[]) => unknown;

/** The class-validator checks of a class's properties (its parents' included), by property. */
function checksOf(cls: Constructor): Map<string, Set<string>> {
  const checks = new Map<string, Set<string>>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(cls as never, '', true, false)) {
    if (!m.name) continue;
    const set = checks.get(m.propertyName) ?? new Set<string>();
    set.add(m.each ? `${m.name}[]` : m.name);
    checks.set(m.propertyName, set);
  }
  return checks;
}

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** Narrows one property's schema (or its items') by the checks on it. */
function narrow(schema: Schema | undefined, checks: Set<string> | undefined): void {
  if (!schema || !checks || '$ref' in schema) return;
  const target = schema.type === 'array' && schema.items && !('$ref' in schema.items) ? schema.items : schema;
  const has = (name: string) => checks.has(name) || (target !== schema && checks.has(`${name}[]`));
  if (has('isInt') && (target.type === 'number' || target.type === undefined)) target.type = 'integer';
  if ((has('isIso8601') || has('isDateString')) && target.pattern === DATE_PATTERN) target.format ??= 'date';
}

/** Each controller method (by OpenAPI operation id) and the classes of its @Query(), @Param() and @Body(). */
function handlerArguments(app: INestApplication): Map<string, { args: { type: RouteParamtypes; cls: Constructor }[] }> {
  const out = new Map<string, { args: { type: RouteParamtypes; cls: Constructor }[] }>();
  for (const mod of app.get(ModulesContainer).values())
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as Constructor | null;
      if (!cls) continue;
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const handler = (cls.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const types = (Reflect.getMetadata('design:paramtypes', cls.prototype, name) ?? []) as Constructor[];
        const meta = (Reflect.getMetadata(ROUTE_ARGS_METADATA, cls, name) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const args = Object.entries(meta)
          .map(([key, { index, data }]) => ({ type: Number(key.split(':')[0]) as RouteParamtypes, index, data }))
          // the whole query, path or body as one class (not @Query('name'))
          .filter((a) => a.data === undefined && typeof types[a.index] === 'function')
          .map((a) => ({ type: a.type, cls: types[a.index] }));
        out.set(`${cls.name}_${name}`, { args });
      }
    }
  return out;
}

/** The component schemas a schema reaches through $ref, items, allOf, oneOf and properties. */
function reached(schema: Schema | undefined, doc: OpenAPIObject, into: Set<string>): void {
  if (!schema) return;
  if ('$ref' in schema) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (into.has(name)) return;
    into.add(name);
    reached(doc.components?.schemas?.[name], doc, into);
    return;
  }
  for (const s of [
    schema.items,
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...Object.values(schema.properties ?? {}),
  ])
    reached(s as Schema | undefined, doc, into);
}

/** The plugin's model classes (every request and response class), by name. */
export async function modelClasses(metadata: () => Promise<unknown>): Promise<Map<string, Constructor>> {
  const out = new Map<string, Constructor>();
  const read = (await metadata()) as {
    '@nestjs/swagger'?: { models?: [Promise<Record<string, unknown>>, Record<string, unknown>][] };
  };
  for (const [load, models] of read['@nestjs/swagger']?.models ?? []) {
    const mod = await load;
    for (const name of Object.keys(models))
      if (typeof mod[name] === 'function') out.set(name, mod[name] as Constructor);
  }
  return out;
}

/** Narrows the document's request schemas by the validators; returns the document. */
export function documentValidation(
  doc: OpenAPIObject,
  app: INestApplication,
  models: Map<string, Constructor>,
): OpenAPIObject {
  const handlers = handlerArguments(app);
  const classes = new Map(models);
  const bodies = new Set<string>();
  for (const item of Object.values(doc.paths))
    for (const value of Object.values(item)) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const op = value as { operationId?: string; parameters?: { name: string; schema?: Schema }[] };
      for (const { type, cls } of handlers.get(op.operationId ?? '')?.args ?? []) {
        if (type === RouteParamtypes.BODY) classes.set(cls.name, cls);
        if (type !== RouteParamtypes.QUERY && type !== RouteParamtypes.PARAM) continue;
        const checks = checksOf(cls);
        for (const p of op.parameters ?? []) narrow(p.schema, checks.get(p.name));
      }
      const body = (value as { requestBody?: { content?: Record<string, { schema?: Schema }> } }).requestBody;
      for (const media of Object.values(body?.content ?? {})) reached(media.schema, doc, bodies);
    }
  for (const name of bodies) {
    const schema = doc.components?.schemas?.[name];
    if (!schema || '$ref' in schema) continue;
    const cls = classes.get(name);
    if (!cls) throw new Error(`OpenAPI request schema ${name} has no class to read its validators from`);
    const checks = checksOf(cls);
    for (const [prop, s] of Object.entries(schema.properties ?? {})) narrow(s as Schema, checks.get(prop));
    // the validation pipe forbids undeclared fields in every class it validates
    if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  }
  return doc;
}
