// In-process mode's answers to Node's fetch. Node's Response turns any body into a web stream when
// it is made, which cost about a sixth of an in-process test (profiled at 1000 tests); most clients
// read the body once with json() or text(), which need no stream. This Response keeps the bytes and
// answers those from them; anything else (the body stream, blob(), formData(), clone() after a
// read) is served by a Response made with the body then. Defined on first use: the global Response
// loads Node's undici, which a suite that never calls fetch should not pay for.

// Read through a Response with the body, if this Node's Response has them (bytes() came in Node 22).
const STREAMED_READERS = ['arrayBuffer', 'blob', 'bytes', 'formData'] as const;
type BodyReader = (typeof STREAMED_READERS)[number];

let AnsweredResponse: (new (body: Uint8Array, init: ResponseInit) => Response) | undefined;

/** A Response with these bytes as its body, for a status the Fetch API allows (200 to 599). */
export function answeredResponse(body: Uint8Array, init: ResponseInit): Response {
  AnsweredResponse ??= defineAnsweredResponse();
  return new AnsweredResponse(body, init);
}

function defineAnsweredResponse() {
  const decoder = new TextDecoder();
  // typed as what this class uses of it: the DOM types declare Response's methods as properties,
  // which a subclass may not override with methods
  const Base = Response as unknown as new (body: null, init: ResponseInit) => { readonly url: string };
  class AnsweredResponse extends Base {
    readonly #bytes: Uint8Array;
    readonly #init: ResponseInit;
    #read = false;
    /** The same response with a real body, made when something needs more than the bytes. */
    #streamed: Response | undefined;

    constructor(bytes: Uint8Array, init: ResponseInit) {
      super(null, init);
      this.#bytes = bytes;
      this.#init = init;
    }

    #streamedResponse(): Response {
      if (!this.#streamed) {
        // the bytes come from a Buffer or an ArrayBuffer, never a SharedArrayBuffer
        this.#streamed = new Response(this.#bytes as Uint8Array<ArrayBuffer>, this.#init);
        // already read from the bytes: the stream is used up too, as it would be
        if (this.#read) void this.#streamed.arrayBuffer();
      }
      return this.#streamed;
    }

    /** The bytes, once, as reading a body does; a second read fails as Fetch says. */
    #take(): Uint8Array {
      if (this.#read) throw new TypeError('Body is unusable: Body has already been read');
      this.#read = true;
      return this.#bytes;
    }

    get body(): ReadableStream<Uint8Array> | null {
      return this.#streamedResponse().body;
    }

    get bodyUsed(): boolean {
      return this.#streamed ? this.#streamed.bodyUsed : this.#read;
    }

    text(): Promise<string> {
      if (this.#streamed) return this.#streamed.text();
      try {
        return Promise.resolve(decoder.decode(this.#take()));
      } catch (error) {
        return Promise.reject(error);
      }
    }

    json(): Promise<unknown> {
      return this.text().then((text) => JSON.parse(text) as unknown);
    }

    static {
      for (const reader of STREAMED_READERS) {
        if (typeof Response.prototype[reader as keyof Response] !== 'function') continue;
        Object.defineProperty(AnsweredResponse.prototype, reader, {
          value(this: AnsweredResponse) {
            return this.#delegate(reader);
          },
          writable: true,
          configurable: true,
        });
      }
    }

    #delegate(reader: BodyReader): Promise<unknown> {
      const streamed = this.#streamedResponse() as Response & Record<BodyReader, () => Promise<unknown>>;
      return streamed[reader]();
    }

    clone(): object {
      const copy: object =
        this.#streamed || this.#read
          ? this.#streamedResponse().clone()
          : new AnsweredResponse(this.#bytes, this.#init);
      // the URL fetch gave this response (set on it as an own property)
      Object.defineProperty(copy, 'url', { value: this.url });
      return copy;
    }
  }
  return AnsweredResponse as unknown as new (
    body: Uint8Array,
    init: ResponseInit,
  ) => Response;
}
