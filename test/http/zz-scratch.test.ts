import { it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import sharp from 'sharp';

describeEachDialect('probe', (dialect) => {
  const { t, admin } = useTestApp(dialect, { roles: ['admin'], mediaDir: true });
  it('probe upload', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    const r1 = await t.http().post('/v1/admin/media/upload').set(admin.headers).field('caption', 'a\u0000b').attach('file', png, 'x.png');
    const png2 = await sharp({ create: { width: 9, height: 8, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    const r2 = await t.http().post('/v1/admin/media/upload').set(admin.headers).attach('file', png2, 'x\u0000y.png');
    console.log(dialect, r1.status, r1.body.code, r1.body.detail, '|', r2.status, r2.body.code, r2.body.detail);
  });
});
