import { z } from '../../shared/zod.ts';
import { scopes } from '../../shared/actor.ts';
import { UserSchema } from '../users/users.schemas.ts';

export const LoginBody = z
  .strictObject({
    email: z.string().max(254).openapi({ example: 'editor@demo.newsroom.example' }),
    password: z.string().max(200).openapi({ example: 'correct-horse-battery-staple' }),
  })
  .openapi('LoginBody');

export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(200) }).openapi('RefreshBody');

export const TokenPairSchema = z
  .object({
    accessToken: z.string().openapi({ description: 'A JWT (HS256) for `Authorization: Bearer`.' }),
    refreshToken: z
      .string()
      .openapi({ description: 'Single use: POST it to /v1/auth/refresh for a new pair. Reusing one revokes its whole family.' }),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires.', example: 900 }),
    tokenType: z.literal('Bearer'),
  })
  .openapi('TokenPair');

export const MeSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('user'), user: UserSchema }),
    z.object({ type: z.literal('apiKey'), apiKey: z.object({ id: z.string(), name: z.string(), scopes: z.array(z.enum(scopes)) }) }),
  ])
  .openapi('Me', { description: 'Who the credentials belong to.' });

export type TokenPair = z.infer<typeof TokenPairSchema>;
export type MeResponse = z.infer<typeof MeSchema>;
