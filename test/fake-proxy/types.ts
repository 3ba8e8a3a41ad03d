export interface FakeProxyOptions {
  /** The one API key the proxy accepts. Default 'test-token-0123456789'. */
  token?: string;
  /** Job lifecycle time scale; 1 = a job takes ~6 s to finish; 10 = ten times faster. Default 1. */
  speed?: number;
  /** Port of the main listener on 127.0.0.1. Default 0 (random). */
  port?: number;
  /** Port of the CDN listener on 127.0.0.2. Default 0 (random). */
  cdnPort?: number;
  /** Pause between SSE events when no fault says otherwise (a demo looks alive with ~30). Default 0. */
  streamDelayMs?: number;
}

export type Fault =
  | { type: 'latency'; ms: number }
  | {
      type: 'status';
      status: number;
      retryAfter?: string;
      retryAfterMs?: number;
      retryInfoDelay?: string;
      message?: string;
      /** Addition: the error's code word (OpenAI `error.code`, e.g. `insufficient_quota`). */
      code?: string;
    }
  | { type: 'html'; status?: number }
  | { type: 'kling-code'; code: number; message?: string }
  | { type: 'cut'; afterEvents: number }
  | { type: 'malformed'; afterEvents: number }
  | { type: 'trickle'; delayMs: number }
  | { type: 'pings'; everyMs: number; count: number }
  /** Addition: the first event, then an event that never ends, one byte every `byteMs`, until the client leaves. */
  | { type: 'drip'; byteMs: number }
  /** `afterEvents` (default 2) is an addition: how many normal events precede the error. */
  | { type: 'midstream-error'; afterEvents?: number }
  | { type: 'reset' }
  | { type: 'hang' }
  /** Addition: a binary download (Sora content, CDN file) sends its headers and `afterBytes` bytes, then the socket dies. */
  | { type: 'cut-bytes'; afterBytes: number };

export type StreamFault = Extract<
  Fault,
  { type: 'cut' | 'malformed' | 'trickle' | 'pings' | 'midstream-error' | 'drip' }
>;

export interface FaultRule {
  /** Substring of the request path (query included). */
  match?: string;
  method?: string;
  /** Default 1; Infinity allowed. */
  times?: number;
  fault: Fault;
}

export interface RecordedRequest {
  method: string;
  /** Path with query. */
  path: string;
  host: string;
  headers: Record<string, string>;
  body: Buffer;
  json?: unknown;
}

export interface FakeProxy {
  /** 'http://127.0.0.1:PORT': the base URL the app uses. */
  url: string;
  /** 'http://127.0.0.2:PORT2': a second listener acting as a foreign CDN host. */
  cdnUrl: string;
  token: string;
  /** Every request to either listener, in order (control endpoints excluded). */
  requests: RecordedRequest[];
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  setSpeed(speed: number): void;
  close(): Promise<void>;
}
