import { chatCompletions } from './chat';
import { messages } from './claude';
import { embeddings } from './embeddings';
import { gemini } from './gemini';
import type { Ctx } from './http';
import { createKlingTask, getKlingTask } from './kling';
import { responses } from './responses';
import { createSeedanceTask, getSeedanceTask } from './seedance';
import { createVideo, deleteVideo, getVideo, listVideos, remixVideo, videoContent } from './sora';
import { transcriptions } from './transcription';
import { veo } from './veo';

export type Handler = (ctx: Ctx, params: string[]) => void | Promise<void>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** Every endpoint of docs/proxy-api.md §1.2 on the main listener. */
export const routes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/chat\/completions$/, handler: chatCompletions },
  { method: 'POST', pattern: /^\/v1\/responses$/, handler: responses },
  { method: 'POST', pattern: /^\/v1\/messages$/, handler: messages },
  {
    method: 'POST',
    pattern: /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/,
    handler: gemini,
  },
  { method: 'POST', pattern: /^\/v1\/embeddings$/, handler: embeddings },
  { method: 'POST', pattern: /^\/v1\/audio\/transcriptions$/, handler: transcriptions },
  { method: 'POST', pattern: /^\/v1\/videos$/, handler: createVideo },
  { method: 'GET', pattern: /^\/v1\/videos$/, handler: listVideos },
  { method: 'GET', pattern: /^\/v1\/videos\/([^/]+)$/, handler: getVideo },
  { method: 'DELETE', pattern: /^\/v1\/videos\/([^/]+)$/, handler: deleteVideo },
  { method: 'GET', pattern: /^\/v1\/videos\/([^/]+)\/content$/, handler: videoContent },
  { method: 'POST', pattern: /^\/v1\/videos\/([^/]+)\/remix$/, handler: remixVideo },
  { method: 'POST', pattern: /^\/seedance\/v3\/contents\/generations\/tasks$/, handler: createSeedanceTask },
  {
    method: 'GET',
    pattern: /^\/seedance\/v3\/contents\/generations\/tasks\/([^/]+)$/,
    handler: getSeedanceTask,
  },
  { method: 'POST', pattern: /^\/kling\/v1\/videos\/(text2video|image2video)$/, handler: createKlingTask },
  {
    method: 'GET',
    pattern: /^\/kling\/v1\/videos\/(text2video|image2video)\/([^/]+)$/,
    handler: getKlingTask,
  },
  {
    method: 'POST',
    pattern: /^\/v1(?:beta)?\/models\/([^/:]+):(predictLongRunning|fetchPredictOperation)$/,
    handler: veo,
  },
];

export function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match && (route.method === method || (route.method === 'GET' && method === 'HEAD'))) {
      return { route, params: match.slice(1).map((part) => decodeURIComponent(part)) };
    }
  }
  return undefined;
}
