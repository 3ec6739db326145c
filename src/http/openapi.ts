import { z } from 'zod';
import type { Route } from './router.js';

type Json = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType): Json {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete s['$schema'];
  return s;
}

const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operation(route: Route): Json {
  const { spec } = route;
  const parameters: Json[] = [];
  for (const m of spec.path.matchAll(/:(\w+)/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
  if (spec.query) {
    const shape = toJsonSchema(spec.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(shape.properties ?? {})) {
      parameters.push({ name, in: 'query', required: (shape.required ?? []).includes(name) && !('default' in schema), schema });
    }
  }
  const content: Json = {};
  if (spec.body) content['application/json'] = { schema: toJsonSchema(spec.body) };
  if (spec.upload) {
    content['multipart/form-data'] = { schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } }, additionalProperties: { type: 'string' } } };
    if (!spec.body) content['application/octet-stream'] = { schema: { type: 'string', contentMediaType: 'application/octet-stream' } };
  }
  const ok: Json = spec.binary
    ? { description: 'The file', content: Object.fromEntries((spec.contentTypes ?? ['application/octet-stream']).map((t) => [t, { schema: { type: 'string', contentMediaType: t } }])) }
    : { description: 'OK', content: { 'application/json': { schema: spec.paginated ? { $ref: '#/components/schemas/Page' } : { type: 'object' } } } };
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    'x-required-role': spec.role,
    ...(spec.method !== 'get' || spec.auditRead ? { 'x-audited': true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(Object.keys(content).length > 0 ? { requestBody: { required: true, content } } : {}),
    responses: {
      [spec.method === 'post' ? '201' : '200']: ok,
      '400': errorResponse('Invalid request'),
      '401': errorResponse('Missing, unknown or revoked token'),
      '403': errorResponse(`The token's role is below ${spec.role}`),
      '404': errorResponse('Not found'),
    },
  };
}

/** The OpenAPI 3.1 document of the API, built from the same route list that serves it. */
export function openApiDocument(routes: readonly Route[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = `/api/v1${route.spec.path.replace(/:(\w+)/g, '{$1}')}`;
    paths[path] = { ...(paths[path] ?? {}), [route.spec.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'claimtrace API',
      version,
      description:
        'Claims about an organisation, their verdicts against official lists, coordination and cases. Every route needs a bearer token; roles viewer < analyst < counsel < admin. Errors are {error:{code,message}}.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `claimtrace token create`' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
        },
        Page: {
          type: 'object',
          required: ['items', 'total', 'limit', 'offset'],
          properties: { items: { type: 'array', items: {} }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
        },
      },
    },
  };
}
