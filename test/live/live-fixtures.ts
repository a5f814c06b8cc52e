import type { SignedIn, TestApp } from '../support/test-app.ts';

export const paragraph = (text: string) => ({ type: 'paragraph' as const, text });

/** A live article made through the API by the user, published now unless told otherwise. */
export async function createLiveArticle(
  t: TestApp,
  by: SignedIn,
  input: { title: string; authorIds?: string[]; isPublished?: boolean; publishAt?: string; embargoUntil?: string },
) {
  const created = await t
    .http()
    .post('/v1/admin/articles')
    .set(by.headers)
    .send({
      title: input.title,
      format: 'live',
      body: [paragraph(`Следим за событиями: ${input.title}.`)],
      ...(input.authorIds ? { authorIds: input.authorIds } : {}),
      ...(input.embargoUntil ? { embargoUntil: input.embargoUntil } : {}),
    })
    .expect(201);
  if (input.isPublished === false) return created.body as { id: string; slug: string; version: number };
  const published = await t
    .http()
    .post(`/v1/admin/articles/${created.body.id}/publish`)
    .set(by.headers)
    .set('If-Match', created.headers.etag!)
    .send(input.publishAt ? { publishAt: input.publishAt } : {})
    .expect(200);
  return published.body as { id: string; slug: string; version: number };
}

/** Posts an entry as `headers` (a user's or a key's) and answers the response. */
export const postEntry = (t: TestApp, articleId: string, headers: Record<string, string>, body: Record<string, unknown>) =>
  t.http().post(`/v1/admin/articles/${articleId}/live-entries`).set(headers).send(body);
