import { Router, type RequestHandler } from 'express';
import { AppError } from '../../errors.ts';
import { IdParams } from '../../shared/common.schemas.ts';
import { sendProblem } from '../../http/problem.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone, editorsPublish, staffRead } from '../../http/access.ts';
import {
  ArticleCorrectionList,
  CorrectedArticleSchema,
  CorrectionLogPage,
  CorrectionLogQuery,
  CorrectionParams,
  CreateCorrectionBody,
} from './articles.corrections.schemas.ts';
import { ArticleCorrectionSchema } from './articles.public.schemas.ts';
import type { ArticlesService } from './articles.service.ts';

const tag = 'Corrections';
const authorsNote = 'An author sees only articles they are an author of.';

export function correctionAdminRoutes(service: ArticlesService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles/{id}/corrections',
      operationId: 'addArticleCorrection',
      summary: 'Publish a correction, clarification or update of an article',
      tag,
      access: editorsPublish,
      description: [
        'Shown at once at the foot of the public article and in the corrections log (`/v1/corrections`, `/v1/feeds/corrections.xml`);',
        "the article's `displayUpdatedAt` («Обновлено») and JSON-LD `dateModified` move to now. Append-only: a correction is never",
        'changed or deleted (PATCH and DELETE answer 405); a wrong one is corrected by another. Sends the `article.corrected` webhook.',
      ].join(' '),
      params: IdParams,
      body: CreateCorrectionBody,
      status: 201,
      response: CorrectedArticleSchema,
      errors: { 409: 'The article is not published (`article_not_published`) or is in the trash (`article_in_trash`).' },
      audit: { action: 'article.correct', targetType: 'article' },
      handler: ({ params, body, actor }) => service.addCorrection(params.id, body, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/corrections',
      operationId: 'listArticleCorrections',
      summary: "An article's corrections, oldest first",
      tag,
      access: staffRead,
      description: authorsNote,
      params: IdParams,
      response: ArticleCorrectionList,
      handler: ({ params, actor }) => service.listCorrections(params.id, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/corrections/{correctionId}',
      operationId: 'getArticleCorrection',
      summary: 'Get a correction',
      tag,
      access: staffRead,
      description: `Corrections are never changed or deleted: PATCH, PUT and DELETE answer 405. ${authorsNote}`,
      params: CorrectionParams,
      response: ArticleCorrectionSchema,
      handler: ({ params, actor }) => service.getCorrection(params.id, params.correctionId, actor),
    }),
  ];
}

export function correctionPublicRoutes(service: ArticlesService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/corrections',
      operationId: 'listCorrections',
      summary: "The site's corrections log, newest first",
      tag,
      access: anyone,
      description: 'Every correction, clarification and update of the articles public now, each with its article’s slug and title.',
      query: CorrectionLogQuery,
      response: CorrectionLogPage,
      // A correction is a change of a public article, as is anything that takes an article out of the log.
      cache: { lists: ['articles'] },
      handler: ({ query }) => service.listPublicCorrections(query),
    }),
  ];
}

/** A method the corrections do not take: 405 with the ones they do, before any route or credentials are looked at. */
function notAllowed(allow: string): RequestHandler {
  return (req, res) => {
    res.set('Allow', allow);
    sendProblem(
      req,
      res,
      new AppError(
        405,
        'method_not_allowed',
        'Method not allowed',
        `Corrections are append-only: publish another one to correct one. Allowed: ${allow}.`,
      ),
    );
  };
}

/** Corrections are append-only: changing or deleting one answers 405. */
export function correctionMethodGuard(): Router {
  const router = Router();
  router.patch('/v1/admin/articles/:id/corrections/:correctionId', notAllowed('GET'));
  router.put('/v1/admin/articles/:id/corrections/:correctionId', notAllowed('GET'));
  router.delete('/v1/admin/articles/:id/corrections/:correctionId', notAllowed('GET'));
  for (const method of ['patch', 'put', 'delete'] as const) router[method]('/v1/admin/articles/:id/corrections', notAllowed('GET, POST'));
  return router;
}
