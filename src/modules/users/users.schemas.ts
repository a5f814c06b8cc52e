import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';
import { roles } from '../../shared/actor.ts';

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())
  .openapi({ example: 'maria@newsroom.example' });
const password = z.string().min(12, 'Use at least 12 characters').max(200).openapi({ example: 'correct-horse-battery-staple' });
const displayName = z.string().trim().min(1).max(100).openapi({ example: 'Мария Ковалёва' });
const role = z.enum(roles).openapi({ description: 'admin: everything; editor: all content and publishing; author: own drafts.' });
const bio = z.string().trim().max(2000).nullable();

export const CreateUserBody = z
  .strictObject({
    email,
    password,
    displayName,
    role,
    slug: z.string().max(80).optional(),
    bio: bio.optional(),
    avatarMediaId: z.string().max(64).nullable().optional(),
  })
  .openapi('CreateUserBody');

export const UpdateUserBody = z
  .strictObject({
    email: email.optional(),
    password: password.optional(),
    displayName: displayName.optional(),
    role: role.optional(),
    slug: z.string().max(80).optional(),
    bio: bio.optional(),
    avatarMediaId: z.string().max(64).nullable().optional(),
    isActive: z.boolean().optional().openapi({ description: 'A disabled user cannot sign in, and its tokens stop working.' }),
  })
  .openapi('UpdateUserBody');

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    slug: z.string(),
    bio: z.string().nullable(),
    avatarMediaId: z.string().nullable(),
    role,
    isActive: z.boolean(),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 3 }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('User');

export const AuthorSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    slug: z.string(),
    bio: z.string().nullable(),
    avatar: z.object({ id: z.string(), url: z.string(), altText: z.string().nullable() }).nullable(),
  })
  .openapi('Author', { description: 'A public byline.' });

export const ListUsersQuery = PageQuery;
export const UserPage = pageOf(UserSchema, 'UserPage');

export type CreateUserInput = z.infer<typeof CreateUserBody>;
export type UpdateUserInput = z.infer<typeof UpdateUserBody>;
export type UserResponse = z.infer<typeof UserSchema>;
export type AuthorResponse = z.infer<typeof AuthorSchema>;
