import type { toolsChannels } from '../../shared/tools-channels';
import type { ToolServersService } from '../services/tools/tool-servers-service';
import type { HandlersOf } from './router';

export function toolsHandlers(service: ToolServersService): HandlersOf<keyof typeof toolsChannels> {
  return {
    'tools.servers': (request) => service.list(request.connect),
    'tools.addServer': (request) => service.add(request),
    'tools.updateServer': (request) => service.update(request.name, request.transport, request.newName),
    'tools.removeServer': async (request) => ({ removed: await service.remove(request.name) }),
    'tools.setEnabled': (request) => service.setEnabled(request.name, request.enabled),
    'tools.restart': (request) => service.restart(request.name),
    'tools.setAutoApprove': (request) => service.setAutoApprove(request.name, request.tool, request.auto),
    'tools.importJson': (request) => service.importJson(request.json),
    'tools.call': (request) =>
      service.call(request.name, request.tool, request.args, undefined, request.callId),
    'tools.cancelCall': (request) => ({ cancelled: service.cancelCall(request.callId) }),
    'tools.builtin': () => service.builtinTools(),
    'tools.setBuiltinAutoApprove': (request) => service.setBuiltinAutoApprove(request.tool, request.auto),
    'tools.signIn': (request) => service.signIn(request.name),
    'tools.signOut': (request) => service.signOut(request.name),
  };
}
