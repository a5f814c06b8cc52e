import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const pdfHeader = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%');
/** A PDF of exactly `length` bytes, different each time. */
const pdfOf = (length: number) => Buffer.concat([pdfHeader, randomBytes(length - pdfHeader.length)]);

describeEachDialect('an Idempotency-Key on uploads fingerprints the bytes', (dialect) => {
  const { t, editor } = useTestApp(dialect, { mediaDir: true, roles: ['editor'] });
  const upload = (data: Buffer, key: string, caption = 'Отчёт') =>
    t
      .http()
      .post('/v1/admin/media/upload')
      .query({ caption })
      .set(editor.headers)
      .set('Idempotency-Key', key)
      .set('Content-Type', 'application/pdf')
      .send(data);
  const stored = async () => ({
    media: await t.container.db.prisma.media.count(),
    files: readdirSync(t.container.config.mediaDir, { recursive: true }).length,
  });
  const isStored = async (data: Buffer) =>
    (await t.container.db.prisma.media.count({ where: { contentHash: createHash('sha256').update(data).digest('hex') } })) === 1;

  it('when another file of the same length is sent with the same key, then 422 idempotency_key_reused and it is not stored', async () => {
    const key = randomUUID();
    const first = pdfOf(3000);
    const second = pdfOf(3000);
    const created = await upload(first, key).expect(201);
    const before = await stored();
    const refused = await upload(second, key).expect(422);
    expect(refused.body).toMatchObject({ code: 'idempotency_key_reused' });
    expect(refused.headers['idempotent-replayed']).toBeUndefined();
    expect(await stored()).toEqual(before);
    expect(await isStored(second)).toBe(false);
    // The same file under a new key is an upload like any other.
    const other = await upload(second, randomUUID()).expect(201);
    expect(other.body.id).not.toBe(created.body.id);
  });

  it('when the same file is sent again with the same key, then the first answer is replayed', async () => {
    const key = randomUUID();
    const file = pdfOf(2500);
    const created = await upload(file, key).expect(201);
    const before = await stored();
    const replayed = await upload(file, key).expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(created.body);
    expect(await stored()).toEqual(before);
  });

  it('when the same file is sent with the same key but other metadata, then 422: the metadata is part of the request', async () => {
    const key = randomUUID();
    const file = pdfOf(2200);
    await upload(file, key, 'Первый').expect(201);
    const refused = await upload(file, key, 'Второй').expect(422);
    expect(refused.body.code).toBe('idempotency_key_reused');
  });

  it('when the same form is sent twice with the same key, then the second is a replay', async () => {
    const key = randomUUID();
    const file = pdfOf(2100);
    const send = () =>
      t
        .http()
        .post('/v1/admin/media/upload')
        .set(editor.headers)
        .set('Idempotency-Key', key)
        .field('credit', 'Архив редакции')
        .attach('file', file, { filename: 'report.pdf', contentType: 'application/pdf' });
    const created = await send().expect(201);
    const replayed = await send().expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.id).toBe(created.body.id);
  });

  it('when an upload was refused before its body was read whole, then its key is not kept: a retry with a fixed file runs', async () => {
    const key = randomUUID();
    await upload(Buffer.alloc(5000, 0x41), key).expect(415);
    const file = pdfOf(5000);
    const created = await upload(file, key).expect(201);
    expect(created.headers['idempotent-replayed']).toBeUndefined();
    expect(await isStored(file)).toBe(true);
  });
});
