import type { RouteSpec } from './route-spec';

/** OpenAPI 3.1 document generated from the route table (paths, roles, auth). */
export function openApiDocument(version: string, routes: readonly RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    paths[path] ??= {};
    paths[path]![r.method.toLowerCase()] = {
      summary: r.summary,
      description: r.public ? 'Public.' : `Roles: admin${r.roles.length ? `, ${r.roles.join(', ')}` : ''}.${r.audited ? ' Every call is written to the audit log.' : ''}`,
      ...(params.length ? { parameters: params } : {}),
      ...(r.public ? { security: [] } : {}),
      responses: {
        '200': r.image ? { description: 'OK', content: { [r.image]: {} } } : { description: 'OK' },
        ...(r.public ? {} : { '401': { description: 'Missing or unknown token' }, '403': { description: 'Role not allowed' } }),
        '400': { description: 'Invalid input: { error, field }' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Edge video-analytics gateway API', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
