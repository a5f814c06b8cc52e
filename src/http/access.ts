import type { Access } from './route.ts';

/*
 * Who may call a route, named once for every module. Staff is admin, editor and author; editors are
 * admin and editor. The API-key scope is the one each preset names (an `admin` key passes them all).
 * Whatever changes what the public sees (publishing, the feed) is for editors and `publish` keys; a `write`
 * key writes drafts (the articles policy refuses it changes to published articles).
 */

/** Anyone, signed in or not: the public API. */
export const anyone = { public: true } as const satisfies Access;

/** Any valid credentials: a user of any role or an API key of any scope. */
export const anySignedIn = { anyAuthenticated: true } as const satisfies Access;

export const staffRead = { roles: ['admin', 'editor', 'author'], scope: 'read' } as const satisfies Access;
export const staffWrite = { roles: ['admin', 'editor', 'author'], scope: 'write' } as const satisfies Access;
export const staffMedia = { roles: ['admin', 'editor', 'author'], scope: 'media' } as const satisfies Access;

export const editorsRead = { roles: ['admin', 'editor'], scope: 'read' } as const satisfies Access;
export const editorsWrite = { roles: ['admin', 'editor'], scope: 'write' } as const satisfies Access;
export const editorsPublish = { roles: ['admin', 'editor'], scope: 'publish' } as const satisfies Access;

export const adminsOnly = { roles: ['admin'], scope: 'admin' } as const satisfies Access;

/** The comment service's key (scope `comments`), and admins. */
export const commentService = { roles: ['admin'], scope: 'comments' } as const satisfies Access;
