export { startFakeProxy } from './server';
export type { FakeProxy, FakeProxyOptions, Fault, FaultRule, RecordedRequest, StreamFault } from './types';
