import { z } from 'zod';

/**
 * Every path of docs/proxy-api.md §1.2, held in one map. Several are assumptions (marked there), so each
 * profile may override any of them. `{model}`, `{id}` are filled in by the HTTP core.
 */
export const defaultEndpoints = {
  'openai.chat': { method: 'POST', path: '/v1/chat/completions', confidence: 'seed doc' },
  'openai.responses': { method: 'POST', path: '/v1/responses', confidence: 'seed doc' },
  'openai.embeddings': { method: 'POST', path: '/v1/embeddings', confidence: 'inferred' },
  'openai.transcriptions': { method: 'POST', path: '/v1/audio/transcriptions', confidence: 'found' },
  'claude.chat': { method: 'POST', path: '/v1/chat/completions', confidence: 'assumed' },
  'claude.messages': { method: 'POST', path: '/v1/messages', confidence: 'found' },
  'deepseek.chat': { method: 'POST', path: '/v1/chat/completions', confidence: 'assumed' },
  'gemini.generate': {
    method: 'POST',
    path: '/v1beta/models/{model}:generateContent',
    confidence: 'inferred',
  },
  'gemini.stream': {
    method: 'POST',
    path: '/v1beta/models/{model}:streamGenerateContent?alt=sse',
    confidence: 'found',
  },
  'sora.create': { method: 'POST', path: '/v1/videos', confidence: 'found' },
  'sora.status': { method: 'GET', path: '/v1/videos/{id}', confidence: 'inferred' },
  'sora.content': { method: 'GET', path: '/v1/videos/{id}/content', confidence: 'inferred' },
  'sora.remix': { method: 'POST', path: '/v1/videos/{id}/remix', confidence: 'inferred' },
  'sora.list': { method: 'GET', path: '/v1/videos', confidence: 'inferred' },
  'sora.delete': { method: 'DELETE', path: '/v1/videos/{id}', confidence: 'inferred' },
  'seedance.create': { method: 'POST', path: '/seedance/v3/contents/generations/tasks', confidence: 'found' },
  'seedance.status': {
    method: 'GET',
    path: '/seedance/v3/contents/generations/tasks/{id}',
    confidence: 'inferred',
  },
  'kling.text2video': { method: 'POST', path: '/kling/v1/videos/text2video', confidence: 'found' },
  'kling.text2video.status': {
    method: 'GET',
    path: '/kling/v1/videos/text2video/{id}',
    confidence: 'inferred',
  },
  'kling.image2video': { method: 'POST', path: '/kling/v1/videos/image2video', confidence: 'inferred' },
  'kling.image2video.status': {
    method: 'GET',
    path: '/kling/v1/videos/image2video/{id}',
    confidence: 'inferred',
  },
  'veo.create': { method: 'POST', path: '/v1/models/{model}:predictLongRunning', confidence: 'assumed' },
  'veo.status': { method: 'POST', path: '/v1/models/{model}:fetchPredictOperation', confidence: 'assumed' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'DELETE'; path: string; confidence: string }>;

export type EndpointKey = keyof typeof defaultEndpoints;
export const endpointKeys = Object.keys(defaultEndpoints) as EndpointKey[];
export const endpointKeySchema = z.enum(endpointKeys as [EndpointKey, ...EndpointKey[]]);

/** A path override must be an absolute path on the profile's own host: never a full URL. */
export const endpointPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .regex(/^\/[^\s]*$/, 'must start with "/" and contain no spaces (a path, not a URL)');

export const endpointOverridesSchema = z.partialRecord(endpointKeySchema, endpointPathSchema);
export type EndpointOverrides = z.infer<typeof endpointOverridesSchema>;

export function resolveEndpointPath(key: EndpointKey, overrides: EndpointOverrides | undefined): string {
  return overrides?.[key] ?? defaultEndpoints[key].path;
}
