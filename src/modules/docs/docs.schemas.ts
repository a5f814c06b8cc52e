import { z } from '../../shared/zod.ts';

export const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.string().openapi({ example: '3.1.0' }),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .openapi('OpenApiDocument', { description: "An OpenAPI 3.1 document: this one, as committed in the repository's openapi.yaml." });
