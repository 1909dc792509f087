import type { Context } from 'hono';
import type { ApiUser } from './auth';

export type ApiEnv = { Variables: { user: ApiUser } };
export type Handler = (c: Context<ApiEnv>) => Response | Promise<Response>;
