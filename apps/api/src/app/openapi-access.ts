/*
 * What the OpenAPI document says about access and refusals, read from the same metadata the access
 * guard acts on (@Public, @RequirePermission) rather than written by hand next to each route: each
 * operation's description names who may call it, and its error answers (400, 401, 403, 404, 409 of a
 * change that lost a race, 413, 415, 503) are listed with the one error body every refusal has; those particular to an operation (a
 * conflict, an attempt limit) it declares itself (@Refuses).
 */
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { LIST_KEY, OBJECT_KEY, type ObjectRequirement, PERMISSION_KEY, PUBLIC_KEY } from '@rehearse/server/access';
import { ErrorBodyDto } from '@rehearse/server/core';
import {
  LIST_PERMISSIONS,
  type ListPermission,
  OBJECT_PERMISSIONS,
  type ObjectRelation,
  OBJECT_RELATIONS,
  type Permission,
  ROLE_PERMISSIONS,
  SUPERUSER_PERMISSIONS,
  TENANT_ROLES,
} from '@rehearse/shared/contracts';

/** What the guard asks of a route's caller. */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'permission'; permission: Permission; object?: ObjectRequirement; list?: ListPermission }
  | { kind: 'signed-in' };

/** Each controller method's access rule, keyed by its OpenAPI operation id (`Controller_method`). */
export function routeAccess(app: INestApplication): Map<string, RouteAccess> {
  const rules = new Map<string, RouteAccess>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!cls) continue;
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        if (name === 'constructor') continue;
        const handler = (cls.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        // the guard's precedence: the method's metadata over the class's
        const read = <T>(key: string): T | undefined =>
          (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, cls) as T | undefined);
        const permission = read<Permission>(PERMISSION_KEY);
        const object = read<ObjectRequirement>(OBJECT_KEY);
        const list = read<ListPermission>(LIST_KEY);
        rules.set(
          `${cls.name}_${name}`,
          read<boolean>(PUBLIC_KEY) === true
            ? { kind: 'public' }
            : permission
              ? { kind: 'permission', permission, ...(object ? { object } : {}), ...(list ? { list } : {}) }
              : { kind: 'signed-in' },
        );
      }
    }
  }
  return rules;
}

/** Who holds a permission, in words. */
export function holders(permission: Permission): string {
  const roles = TENANT_ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)).map((r) => r.replace('_', ' '));
  if (SUPERUSER_PERMISSIONS.includes(permission)) roles.push('superusers');
  return roles.length ? roles.join(', ') : 'nobody';
}

/** The relations that allow an object permission, in words. */
export function relationText(object: ObjectRequirement): string {
  const { object: kind, relations } = OBJECT_PERMISSIONS[object.permission];
  const whose = {
    answer: 'the answer',
    recording: 'the recording’s answer',
    export: 'the export',
    group: 'the group',
    person: 'the person',
  }[kind];
  const hidden = kind === 'answer' || kind === 'recording' ? ', not hidden by an expired licence' : '';
  return `\`${object.permission}\` on \`{${object.param}}\` — ${relationsInWords(relations, whose, OBJECT_RELATIONS[kind])}${hidden}`;
}

/** "coach, administrator of the answer (coach: …; administrator: …)", in the words of the object's relations */
function relationsInWords(
  relations: readonly ObjectRelation[],
  whose: string,
  words: Readonly<Partial<Record<ObjectRelation, string>>>,
): string {
  return `${relations.join(', ')} of ${whose} (${relations.map((r) => `${r}: ${words[r]}`).join('; ')})`;
}

/** Which objects a list permission shows, in words. */
export function listText(list: ListPermission): string {
  const { object: kind, relations } = LIST_PERMISSIONS[list];
  const whose = { answer: 'each answer', recording: 'each recording’s answer' }[kind];
  return `\`${list}\` — ${relationsInWords(relations, whose, OBJECT_RELATIONS[kind])}, none hidden by an expired licence`;
}

function accessText(rule: RouteAccess): string {
  if (rule.kind === 'public') return 'Access: anyone (no session needed).';
  if (rule.kind === 'signed-in') return 'Access: anyone signed in.';
  const role = `Access: signed in with the permission \`${rule.permission}\` (${holders(rule.permission)}).`;
  return [
    role,
    rule.object ? `Object: ${relationText(rule.object)}.` : null,
    rule.list ? `Lists: ${listText(rule.list)}.` : null,
  ]
    .filter(Boolean)
    .join('\n');
}

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

type Operation = OpenAPIObject['paths'][string]['get'] & object;

/** Adds each operation's access rule to its description and its error answers; returns the document. */
export function documentAccess(doc: OpenAPIObject, rules: Map<string, RouteAccess>): OpenAPIObject {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorBodyDto.name}` } } },
  });
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const op = value as Operation;
      const rule = rules.get(op.operationId ?? '');
      if (!rule) throw new Error(`OpenAPI operation ${method.toUpperCase()} ${path} has no route to read access from`);
      op.description = [accessText(rule), op.description].filter(Boolean).join('\n\n');
      const answers: Record<string, ReturnType<typeof error>> = {};
      answers['400'] = error(
        (op.parameters?.length ?? 0) > 0 || op.requestBody
          ? 'The request is not valid: `errors` names each field that breaks its rule'
          : 'The request is not valid: it carries a body or parameters this operation does not take',
      );
      if (rule.kind !== 'public') answers['401'] = error('Not signed in, or the session has ended');
      const forbidden = [
        rule.kind === 'permission' ? `your roles do not grant \`${rule.permission}\`` : null,
        STATE_CHANGING.has(method) ? 'the X-XSRF-TOKEN header is missing or not this session’s' : null,
      ].filter(Boolean);
      if (forbidden.length) answers['403'] = error(`Refused: ${forbidden.join(', or ')}`);
      const body = bodySchema(doc, op);
      const isId = (s: unknown) => (s as { format?: string } | undefined)?.format === 'uuid';
      const namesAnId =
        (op.parameters ?? []).some((p) => 'schema' in p && isId(p.schema)) ||
        Object.values(body?.properties ?? {}).some((p) => isId(p) || isId((p as { items?: unknown }).items));
      // a body whose every field may be left out may be left out itself (an empty PATCH changes nothing)
      if (op.requestBody && !('$ref' in op.requestBody) && body && !body.required?.length)
        op.requestBody.required = false;
      if (path.includes('{') || namesAnId)
        answers['404'] = error('Nothing with this id that you may see (the answer does not say which of the two)');
      // any request may carry a body: one this operation takes none of is refused too (400 when it
      // is JSON, 413 or 415 before it is read)
      answers['413'] = error(
        op.requestBody
          ? 'The request body is larger than the API takes'
          : 'The request carries a body (this operation takes none) larger than the API takes',
      );
      answers['415'] = error(
        op.requestBody
          ? 'The request body is not JSON in UTF-8 (Content-Type: application/json)'
          : 'The request carries a body (this operation takes none) that is not JSON in UTF-8',
      );
      // a change that lost a race with another request to the same thing (the database kept the other)
      if (STATE_CHANGING.has(method))
        answers['409'] = error('Changed by another request at the same moment: reload and try again');
      answers['503'] = error('PostgreSQL or Redis is not answering: try again in a moment');
      for (const [status, answer] of Object.entries(answers)) op.responses[status] ??= answer;
    }
  }
  return doc;
}

/** The component schema of an operation's JSON request body, if it has one. */
function bodySchema(
  doc: OpenAPIObject,
  op: Operation,
): { properties?: Record<string, unknown>; required?: string[] } | undefined {
  const body = op.requestBody && !('$ref' in op.requestBody) ? op.requestBody : undefined;
  const ref = (body?.content?.['application/json']?.schema as { $ref?: string } | undefined)?.$ref;
  const schema = ref ? doc.components?.schemas?.[ref.replace('#/components/schemas/', '')] : undefined;
  return schema && !('$ref' in schema)
    ? (schema as { properties?: Record<string, unknown>; required?: string[] })
    : undefined;
}

/** docs/routes.md: every route, what it does and who may call it (written by npm run openapi:update). */
export function routeTable(doc: OpenAPIObject): string {
  const rows = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => op && typeof op === 'object' && 'responses' in op)
      .map(([method, op]) => {
        const { summary = '', description = '' } = op as Operation;
        const access = /^Access: (.*?)\.?(\n|$)/.exec(description)?.[1] ?? '';
        const object = /^Object: `([^`]*)` on `[^`]*` — ([^(]*?) of /m.exec(description);
        const list = /^Lists: `([^`]*)` — ([^(]*?) of /m.exec(description);
        const relation = object ? `\`${object[1]}\`: ${object[2]}` : list ? `lists \`${list[1]}\`: ${list[2]}` : '';
        const cell = (s: string) => s.replace(/\|/g, '\\|');
        return `| ${method.toUpperCase()} | \`${path}\` | ${cell(summary)} | ${cell(access)} | ${cell(relation)} |`;
      }),
  );
  return [
    '# Routes and who may call them',
    '',
    'Generated from the API by `npm run openapi:update` (a test fails when it is out of date). The access',
    "column is read from each route's `@Public()` / `@RequirePermission()` metadata, the same the access guard",
    "enforces. The object column is the route's `@RequireObject()`: the object permission (OBJECT_PERMISSIONS in",
    'the contracts) and the relations to the object that allow it; the guard asks the access core',
    '(`AccessService.require`) before the handler runs and answers 404 without one, and the service asks again.',
    "For a list it is the route's `@ListsObjects()`: the list permission (LIST_PERMISSIONS) and the relations",
    'by which an object is in the list; the service takes its scope from the access core (`AccessService.listScope`).',
    'Routes without it check their objects in the service (tenant, relation, visibility), 404 for anything you',
    'may not see.',
    '',
    '| Method | Path | What it does | Access | Object: permission and relation |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
