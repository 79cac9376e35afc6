import { vi } from 'vitest';

/**
 * XMLHttpRequest as the tests play it: each request the app opens is kept in `FakeXhr.requests`;
 * the test reports upload progress and answers (or fails) it.
 */
export class FakeXhr {
  static requests: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  withCredentials = false;
  status = 0;
  responseText = '';
  aborted = false;
  readonly upload = new EventTarget();
  private readonly events = new EventTarget();

  constructor() {
    FakeXhr.requests.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.events.dispatchEvent(new Event('abort'));
  }
  addEventListener(type: string, listener: EventListener) {
    this.events.addEventListener(type, listener);
  }

  // What the test does:
  progress(loaded: number, total: number) {
    const event = Object.assign(new Event('progress'), { lengthComputable: true, loaded, total });
    this.upload.dispatchEvent(event);
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.events.dispatchEvent(new Event('load'));
  }
  failNetwork() {
    this.events.dispatchEvent(new Event('error'));
  }

  /** Puts the fake in place of the browser's for the test. */
  static install() {
    FakeXhr.requests = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  }
  static last(): FakeXhr {
    const request = FakeXhr.requests.at(-1);
    if (!request) throw new Error('no upload was started');
    return request;
  }
}

/** A stored file as the server answers an upload. */
export function storedFile(
  overrides: Partial<{ id: string; name: string; size: number; type: string; width: number | null; height: number | null }> = {},
) {
  return { id: 'f_1', name: 'report.pdf', size: 1234, type: 'application/pdf', width: null, height: null, ...overrides };
}
