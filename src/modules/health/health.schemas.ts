import { z } from '../../shared/zod.ts';

export const HealthSchema = z.object({ status: z.enum(['ok', 'unavailable']) }).openapi('Health');
