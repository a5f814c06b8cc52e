import { IdParams } from '../../shared/common.schemas.ts';
import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import { editorsPublish, editorsRead, editorsWrite, staffRead } from '../../http/access.ts';
import {
  CreatePronunciationBody,
  KeyPointSuggestionsSchema,
  ListPronunciationsQuery,
  NarrationRequestSchema,
  PronunciationPage,
  PronunciationSchema,
  UpdatePronunciationBody,
} from './narration.schemas.ts';
import type { NarrationService } from './narration.service.ts';

const tag = 'Narration';
const targetType = 'pronunciation';

export function narrationAdminRoutes(service: NarrationService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles/{id}/narration',
      operationId: 'narrateArticle',
      summary: 'Narrate an article now',
      tag,
      access: editorsPublish,
      description: [
        'Queues a job that reads the title, the lead and the body (blocks marked `speak: false` left out) with the configured voice,',
        'stores the audio in the media library (`source: "tts"`) and makes it the narration, unless one was set by hand:',
        "that one is kept. Follow it in the article's `narrationStatus`; the `article.narrated` webhook tells when it is ready.",
      ].join(' '),
      params: IdParams,
      status: 202,
      response: NarrationRequestSchema,
      errors: { 409: 'The article is in the trash (`article_in_trash`).' },
      audit: { action: 'article.narrate', targetType: 'article' },
      handler: async ({ params, actor }) => new HttpResult(202, await service.request(params.id, actor)),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/key-point-suggestions',
      operationId: 'suggestKeyPoints',
      summary: 'Suggest key points: the most central sentences of the body',
      tag,
      access: staffRead,
      description:
        'Up to five sentences of paragraphs, quotes and list items, ranked by TextRank over stemmed words; each with its block (and item) index and offsets to highlight it. The same text gives the same answer.',
      params: IdParams,
      response: KeyPointSuggestionsSchema,
      handler: ({ params, actor }) => service.keyPointSuggestions(params.id, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/pronunciations',
      operationId: 'listPronunciations',
      summary: 'The pronunciation dictionary, alphabetically',
      tag,
      access: editorsRead,
      query: ListPronunciationsQuery,
      response: PronunciationPage,
      handler: ({ query }) => service.listPronunciations(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/pronunciations/{id}',
      operationId: 'getPronunciation',
      summary: 'Get a pronunciation',
      tag,
      access: editorsRead,
      params: IdParams,
      response: PronunciationSchema,
      handler: ({ params }) => service.getPronunciation(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/pronunciations',
      operationId: 'createPronunciation',
      summary: 'Say how narrations read a word',
      tag,
      access: editorsWrite,
      description:
        'Applied to whole words, case-insensitively (ё as е), before numbers and abbreviations are read; next narrations use it.',
      body: CreatePronunciationBody,
      status: 201,
      response: PronunciationSchema,
      errors: { 409: 'The term is in the dictionary already (`already_exists`).' },
      audit: { action: 'pronunciation.create', targetType },
      handler: ({ body }) => service.createPronunciation(body),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/pronunciations/{id}',
      operationId: 'updatePronunciation',
      summary: 'Change a pronunciation',
      tag,
      access: editorsWrite,
      params: IdParams,
      body: UpdatePronunciationBody,
      response: PronunciationSchema,
      errors: { 409: 'The term is in the dictionary already (`already_exists`).' },
      ifMatch: true,
      audit: { action: 'pronunciation.update', targetType },
      handler: ({ params, body, expectedVersion }) => service.updatePronunciation(params.id, body, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/pronunciations/{id}',
      operationId: 'deletePronunciation',
      summary: 'Delete a pronunciation',
      tag,
      access: editorsWrite,
      params: IdParams,
      status: 204,
      ifMatch: true,
      audit: { action: 'pronunciation.delete', targetType },
      handler: ({ params, expectedVersion }) => service.deletePronunciation(params.id, expectedVersion),
    }),
  ];
}
