/** Console session helpers for tests: log in through POST /console/login and call with the cookie. */

export interface LoginResult {
  status: number;
  json: Record<string, unknown>;
  /** `central_session=<id>` ready for a Cookie header, when the login set one. */
  cookie: string | undefined;
  /** The raw Set-Cookie header. */
  setCookie: string | null;
}

export async function consoleLogin(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<LoginResult> {
  const res = await fetch(`${baseUrl}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie?.startsWith('central_session=') ? setCookie.split(';')[0] : undefined;
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, cookie, setCookie };
}

/** A /v1 call authenticated by the session cookie; state-changing calls send this origin unless `headers` says otherwise. */
export async function withCookie(
  baseUrl: string,
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const sameOrigin: Record<string, string> = method === 'GET' || method === 'HEAD' ? {} : { origin: baseUrl };
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { cookie, ...sameOrigin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}
