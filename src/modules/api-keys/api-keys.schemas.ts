import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { scopes } from '../../shared/actor.ts';

const name = z.string().trim().min(1).max(100).openapi({ example: 'Wire importer' });
const scopeList = z
  .array(z.enum(scopes))
  .min(1)
  .openapi({
    description:
      'read: read content; write: create, edit and delete content; publish: publish and unpublish; media: manage media; admin: everything, users and keys.',
    example: ['read', 'write'],
  });

export const CreateApiKeyBody = z.strictObject({ name, scopes: scopeList }).openapi('CreateApiKeyBody');
export const UpdateApiKeyBody = z.strictObject({ name: name.optional(), scopes: scopeList.optional() }).openapi('UpdateApiKeyBody');

const apiKeyFields = {
  id: z.string(),
  name: z.string(),
  keyPrefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart.', example: 'nk_3fQx1a' }),
  scopes: z.array(z.enum(scopes)),
  createdById: z.string().nullable(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
  version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 3 }),
};

export const ApiKeySchema = z.object(apiKeyFields).openapi('ApiKey');
export const CreatedApiKeySchema = z
  .object({
    ...apiKeyFields,
    key: z.string().optional().openapi({
      description:
        'The secret, shown this once only. Send it as `Authorization: Bearer` or `X-API-Key`. Absent from an Idempotency-Key replay: the secret is never stored, so revoke that key and create another.',
    }),
  })
  .openapi('CreatedApiKey');

export const ListApiKeysQuery = PageQuery;
export const ApiKeyPage = pageOf(ApiKeySchema, 'ApiKeyPage');

export type CreateApiKeyInput = z.infer<typeof CreateApiKeyBody>;
export type UpdateApiKeyInput = z.infer<typeof UpdateApiKeyBody>;
export type ApiKeyResponse = z.infer<typeof ApiKeySchema>;
/** As created: the secret is always there (only a replay lacks it). */
export type CreatedApiKeyResponse = ApiKeyResponse & { key: string };
