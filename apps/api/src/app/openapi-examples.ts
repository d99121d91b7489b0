/*
 * Each operation's examples, composed from the examples its classes declare: every property of a
 * request or response class has an `@example` in its doc comment (the compiler plugin puts it in
 * the schema), and each operation's request body and answers get the whole example built from
 * them, so /api/docs shows a realistic body for every operation instead of `"id": "string"`.
 * Error answers get the error body that status really carries.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { ErrorBody, ErrorCode } from '@rehearse/shared/contracts';
import { UNAVAILABLE_MESSAGE } from '@rehearse/server/core';

type Schema = SchemaObject | ReferenceObject;

/** A property or schema that cannot be given an example: its path, for the test that lists them. */
export class MissingExample extends Error {
  constructor(readonly at: string) {
    super(`no example for ${at}: give the property an @example in its doc comment`);
  }
}

/**
 * The example of a schema: its own example where it declares one, otherwise composed from its
 * properties' (objects), its items' (arrays), its first enum value; booleans are `true`. Throws
 * MissingExample for a string or number without one.
 */
export function exampleOf(schema: Schema, doc: OpenAPIObject, at = 'schema', seen: string[] = []): unknown {
  if ('$ref' in schema) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new MissingExample(`${at} (${schema.$ref} is not in the document)`);
    // a class that contains itself (none today) ends its example at the second level
    if (seen.includes(name)) return undefined;
    return exampleOf(target, doc, name, [...seen, name]);
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.allOf?.length) {
    return Object.assign({}, ...schema.allOf.map((s, i) => exampleOf(s, doc, `${at}.allOf[${i}]`, seen)));
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.length) return exampleOf(alternatives[0], doc, `${at}.oneOf[0]`, seen);
  if (schema.enum?.length) return schema.enum.find((v) => v !== null) ?? null;
  switch (schema.type) {
    case 'boolean':
      return true;
    case 'array': {
      if (!schema.items) return [];
      // as many items as the array needs at least (a rubric criterion has two levels or more)
      const item = exampleOf(schema.items, doc, `${at}[]`, seen);
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => item);
    }
    case 'object':
    case undefined: {
      if (!schema.properties && !schema.additionalProperties && schema.type === undefined) break;
      // a map (criterion id → score) needs its own example: its keys cannot be made up
      if (!schema.properties && schema.additionalProperties) throw new MissingExample(at);
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        const value = exampleOf(prop, doc, `${at}.${key}`, seen);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
  }
  throw new MissingExample(at);
}

/** The error code and message each refusal status carries (what GlobalExceptionFilter answers). */
const ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  '400': { code: 'validation_failed', message: 'The request is not valid' },
  '401': { code: 'unauthenticated', message: 'Please sign in' },
  '403': { code: 'forbidden', message: 'You are not allowed to do this' },
  '404': { code: 'not_found', message: 'Resource not found' },
  '409': { code: 'conflict', message: 'This review is published and can no longer be changed' },
  '413': { code: 'payload_too_large', message: 'The request body is too large' },
  '415': { code: 'unsupported_media_type', message: 'Send the request body as JSON (Content-Type: application/json)' },
  '429': { code: 'rate_limited', message: 'Too many attempts, try again later' },
  '503': { code: 'unavailable', message: UNAVAILABLE_MESSAGE },
};

const CORRELATION_ID = '7c0f1d2e-3b4a-4c5d-8e6f-0a1b2c3d4e5f';

function errorExample(status: string): ErrorBody | undefined {
  const known = ERRORS[status];
  if (!known) return undefined;
  return {
    statusCode: Number(status),
    ...known,
    correlationId: CORRELATION_ID,
    ...(status === '400' ? { errors: [{ field: 'code', messages: ['code must be 6 digits'] }] } : {}),
  };
}

interface MediaType {
  schema?: Schema;
  example?: unknown;
}

/**
 * Puts the composed example on every JSON request body and answer of the document and returns it;
 * one that cannot be composed is left without and named in `missing` (a test keeps that empty:
 * the served document never fails for want of an example).
 */
export function documentExamples(doc: OpenAPIObject, missing: string[] = []): OpenAPIObject {
  const compose = (media: MediaType, make: () => unknown) => {
    try {
      media.example = make();
    } catch (err) {
      if (!(err instanceof MissingExample)) throw err;
      missing.push(err.at);
    }
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const op = value as { requestBody?: { content?: Record<string, MediaType> }; responses: Record<string, unknown> };
      const where = `${method.toUpperCase()} ${path}`;
      const json = op.requestBody?.content?.['application/json'];
      const body = json?.schema;
      if (json && body && json.example === undefined) compose(json, () => exampleOf(body, doc, `${where} body`));
      for (const [status, answer] of Object.entries(op.responses)) {
        const media = (answer as { content?: Record<string, MediaType> }).content?.['application/json'];
        const schema = media?.schema;
        if (!media || !schema || media.example !== undefined) continue;
        const isError = '$ref' in schema && schema.$ref.endsWith('/ErrorBodyDto');
        compose(media, () => (isError && errorExample(status)) || exampleOf(schema, doc, `${where} ${status}`));
      }
    }
  }
  return doc;
}
