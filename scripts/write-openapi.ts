// `npm run openapi`: regenerates openapi.yaml from the routes' zod schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/db/schema-source.ts';
import { generateOpenApiYaml } from '../src/openapi-file.ts';

writeFileSync(join(projectRoot, 'openapi.yaml'), generateOpenApiYaml());
console.log('wrote openapi.yaml');
