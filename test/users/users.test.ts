import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const password = 'a-long-enough-password-1';

describeEachDialect('managing users', (dialect) => {
  const { t, admin } = useTestApp(dialect, { roles: ['admin'] });

  const createUser = (fields: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/v1/admin/users')
      .set(admin.headers)
      .send({ email: `${randomUUID()}@test.example`, password, displayName: 'Ольга Смирнова', role: 'author', ...fields });

  // The user's current ETag, for If-Match.
  const etagOf = async (id: string) => `"${(await t.container.db.prisma.user.findUnique({ where: { id } }))?.version ?? 1}"`;

  const expectNoPassword = (res: { text: string }) => {
    expect(res.text).not.toContain(password);
    expect(res.text).not.toMatch(/password/i);
    expect(res.text).not.toMatch(/scrypt\$/);
  };

  it('when an admin creates, reads, lists, updates and deletes a user, then each step answers as documented', async () => {
    const created = await createUser({
      email: 'Olga.Smirnova@Test.Example',
      displayName: 'Ольга Смирнова',
      role: 'author',
      bio: 'Пишет о науке',
    }).expect(201);
    expect(created.body).toMatchObject({
      email: 'olga.smirnova@test.example',
      displayName: 'Ольга Смирнова',
      slug: 'olga-smirnova',
      role: 'author',
      bio: 'Пишет о науке',
      isActive: true,
    });
    const id = created.body.id as string;

    const read = await t.http().get(`/v1/admin/users/${id}`).set(admin.headers).expect(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.etag).toBe('"1"');

    const list = await t.http().get('/v1/admin/users').set(admin.headers).expect(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toContain(id);

    const updated = await t
      .http()
      .patch(`/v1/admin/users/${id}`)
      .set(admin.headers)
      .set('If-Match', read.headers.etag!)
      .send({ role: 'editor', displayName: 'Ольга С.' })
      .expect(200);
    expect(updated.body).toMatchObject({ id, role: 'editor', displayName: 'Ольга С.', slug: 'olga-smirnova', version: 2 });

    await t.http().delete(`/v1/admin/users/${id}`).set(admin.headers).set('If-Match', updated.headers.etag!).expect(204);
    await t.http().get(`/v1/admin/users/${id}`).set(admin.headers).expect(404);
  });

  it('when the list is longer than a page, then the cursor walks it without repeats', async () => {
    for (let i = 0; i < 3; i++) await createUser().expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t
        .http()
        .get('/v1/admin/users')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(admin.headers)
        .expect(200);
      seen.push(...res.body.items.map((u) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await t.container.db.prisma.user.count());
  });

  it('when the e-mail is taken, in any case, then 409', async () => {
    await createUser({ email: 'taken@test.example' }).expect(201);
    const res = await createUser({ email: 'Taken@Test.example' }).expect(409);
    expect(res.body.code).toBe('email_taken');
  });

  it("when an update takes another user's e-mail, then 409", async () => {
    const first = await createUser().expect(201);
    const second = await createUser().expect(201);
    await t
      .http()
      .patch(`/v1/admin/users/${second.body.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(second.body.id))
      .send({ email: first.body.email.toUpperCase() })
      .expect(409);
  });

  it('when the password is shorter than 12 characters, then 422 naming it', async () => {
    const res = await createUser({ password: 'short-pass1' }).expect(422);
    expect(res.body.errors).toEqual([{ field: 'body.password', message: 'Use at least 12 characters' }]);
    const existing = await createUser().expect(201);
    await t
      .http()
      .patch(`/v1/admin/users/${existing.body.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(existing.body.id))
      .send({ password: 'too-short' })
      .expect(422);
  });

  it('when the role is unknown or a field is unknown, then 422', async () => {
    await createUser({ role: 'owner' }).expect(422);
    const res = await createUser({ passwordHash: 'scrypt$1$1$1$x$y' }).expect(422);
    expect(res.body.errors).toEqual([{ field: 'body.passwordHash', message: 'Unknown field: passwordHash' }]);
  });

  it('when users are created, read, listed and updated, then no answer carries a password or its hash', async () => {
    const created = await createUser().expect(201);
    const answers = [
      created,
      await t.http().get(`/v1/admin/users/${created.body.id}`).set(admin.headers).expect(200),
      await t.http().get('/v1/admin/users').set(admin.headers).expect(200),
      await t
        .http()
        .patch(`/v1/admin/users/${created.body.id}`)
        .set(admin.headers)
        .set('If-Match', await etagOf(created.body.id))
        .send({ password: `${password}-2` })
        .expect(200),
      await t.http().get('/v1/auth/me').set(admin.headers).expect(200),
    ];
    answers.forEach(expectNoPassword);
  });

  it('when an admin demotes themselves, then 409', async () => {
    const res = await t
      .http()
      .patch(`/v1/admin/users/${admin.user.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(admin.user.id))
      .send({ role: 'editor' })
      .expect(409);
    expect(res.body.code).toBe('self_lockout');
  });

  it('when an admin disables themselves, then 409', async () => {
    await t
      .http()
      .patch(`/v1/admin/users/${admin.user.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(admin.user.id))
      .send({ isActive: false })
      .expect(409);
  });

  it('when an admin deletes themselves, then 409 and the account stays', async () => {
    await t
      .http()
      .delete(`/v1/admin/users/${admin.user.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(admin.user.id))
      .expect(409);
    await t.http().get(`/v1/admin/users/${admin.user.id}`).set(admin.headers).expect(200);
  });

  it('when an admin edits their own name, then that is fine', async () => {
    await t
      .http()
      .patch(`/v1/admin/users/${admin.user.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(admin.user.id))
      .send({ displayName: 'Главный админ', role: 'admin' })
      .expect(200);
  });

  it('when another admin demotes an admin, then 200 and their very next request is refused: the new role needs a new sign-in', async () => {
    const other = await t.signIn('admin');
    await t.http().get('/v1/admin/users').set(other.headers).expect(200);
    await t
      .http()
      .patch(`/v1/admin/users/${other.user.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(other.user.id))
      .send({ role: 'editor' })
      .expect(200);
    await t.http().get('/v1/admin/users').set(other.headers).expect(401);
  });

  it('when the user is an author of an article, then deleting them is 409 and disabling them works', async () => {
    const author = await createUser().expect(201);
    await t.container.db.prisma.article.create({
      data: {
        title: 'Заметка',
        slug: `zametka-${randomUUID()}`,
        body: [],
        keyPoints: [],
        searchText: '',
        authors: { create: { userId: author.body.id, position: 0 } },
      },
    });
    const res = await t
      .http()
      .delete(`/v1/admin/users/${author.body.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(author.body.id))
      .expect(409);
    expect(res.body.code).toBe('still_referenced');
    await t
      .http()
      .patch(`/v1/admin/users/${author.body.id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(author.body.id))
      .send({ isActive: false })
      .expect(200);
  });

  it('when the user does not exist, then 404 for get, update and delete', async () => {
    const id = randomUUID();
    await t.http().get(`/v1/admin/users/${id}`).set(admin.headers).expect(404);
    await t
      .http()
      .patch(`/v1/admin/users/${id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(id))
      .send({ displayName: 'Никто' })
      .expect(404);
    await t
      .http()
      .delete(`/v1/admin/users/${id}`)
      .set(admin.headers)
      .set('If-Match', await etagOf(id))
      .expect(404);
  });

  it('when an editor or an author manages users, then 403', async () => {
    for (const role of ['editor', 'author'] as const) {
      const caller = await t.signIn(role);
      await t.http().get('/v1/admin/users').set(caller.headers).expect(403);
      await t.http().patch(`/v1/admin/users/${caller.user.id}`).set(caller.headers).send({ role: 'admin' }).expect(403);
    }
  });
});
