// The one zod the app uses: extended with `.openapi()` so a schema carries its own documentation.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
