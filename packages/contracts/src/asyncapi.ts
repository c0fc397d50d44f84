import { isObject, type Json } from './json.js';
import { excusedByMatchers } from './matchers.js';
import { bodyTreatment } from './media-types.js';
import type { AsyncCase, MessagePart, SyncCase } from './pact.js';
import { followRefs, inlineRefs } from './pointer.js';
import type { ContractResult, ResultCode } from './result.js';
import { forReceivedBody } from './schema.js';
import { failureText, instanceSuffix, schemaSuffix, type Validators } from './validator.js';

interface SpecMessage {
  message: Json;
  /** Where the message is defined (`[root].components.messages.userCreated`). */
  path: string;
}

interface Side {
  part: MessagePart;
  payloadAt: string;
  headersAt: string;
  /** Where the candidate messages are listed, for `message.no.match`. */
  listAt: string;
  /** A request is what the consumer sends; anything else is what it receives (stricter, see forReceivedBody). */
  direction: 'request' | 'response';
}

/**
 * Compares message interactions (asynchronous messages, and synchronous request/reply) with an
 * AsyncAPI 3.x document. An interaction names its operation in `comments.references.AsyncAPI`
 * (`{ "operationId": "receiveUserEvents" }`); it is compatible when one of the operation's
 * messages accepts its payload (JSON) and metadata (the message's `headers` schema).
 */
export class AsyncApiComparison {
  readonly #resolved = new Map<string, SpecMessage>();

  constructor(
    private readonly doc: Json,
    private readonly validators: Validators,
  ) {}

  compareAsync(c: AsyncCase): ContractResult[] {
    const operationId = this.operationOf(c, 'async');
    if (typeof operationId !== 'string') return [operationId];
    return this.matchOne(
      c,
      this.messagesOf(operationId, false),
      {
        part: c,
        payloadAt: `[root].interactions[${c.index}].contents.content`,
        headersAt: `[root].interactions[${c.index}].metadata`,
        listAt: `[root].operations.${operationId}.messages`,
        direction: 'response',
      },
      `[root].interactions[${c.index}]`,
    );
  }

  compareSync(c: SyncCase): ContractResult[] {
    const operationId = this.operationOf(c, 'sync');
    if (typeof operationId !== 'string') return [operationId];
    const noMatchAt = `[root].interactions[${c.index}].comments.references.AsyncAPI.operationId`;
    const out = this.matchOne(
      c,
      this.messagesOf(operationId, false),
      {
        part: c.request,
        payloadAt: `[root].interactions[${c.index}].request.contents.content`,
        headersAt: `[root].interactions[${c.index}].request.metadata`,
        listAt: `[root].operations.${operationId}.messages`,
        direction: 'request',
      },
      noMatchAt,
    );
    if (!out.some((r) => r.code === 'message.matched')) return out;

    const operation = this.doc.operations[operationId];
    const referenceAt = `[root].interactions[${c.index}].comments.references.AsyncAPI`;
    if (!operation.reply) {
      out.push(
        result(
          c,
          'message.reply.missing',
          `Operation "${operationId}" has no reply field in AsyncAPI spec`,
          referenceAt,
          `[root].operations.${operationId}`,
        ),
      );
      return out;
    }
    const replies = this.messagesOf(operationId, true);
    if (replies.length === 0) {
      out.push(
        result(
          c,
          'message.reply.missing',
          `Operation "${operationId}" reply defines no messages in AsyncAPI spec`,
          referenceAt,
          `[root].operations.${operationId}.reply.messages`,
        ),
      );
      return out;
    }
    if (c.responses.length === 0) {
      out.push(
        result(
          c,
          'message.response.missing',
          'Sync interaction defines no responses to validate against the reply',
          `[root].interactions[${c.index}].response`,
          `[root].operations.${operationId}.reply.messages`,
        ),
      );
      return out;
    }
    c.responses.forEach((part, j) => {
      out.push(
        ...this.matchOne(
          c,
          replies,
          {
            part,
            payloadAt: `[root].interactions[${c.index}].response[${j}].contents.content`,
            headersAt: `[root].interactions[${c.index}].response[${j}].metadata`,
            listAt: `[root].operations.${operationId}.reply.messages`,
            direction: 'response',
          },
          noMatchAt,
        ),
      );
    });
    return out;
  }

  /** The operation id the interaction references, or the result saying why there is none. */
  private operationOf(c: AsyncCase | SyncCase, kind: 'async' | 'sync'): string | ContractResult {
    const title = kind === 'async' ? 'Async' : 'Sync';
    const referenceAt = `[root].interactions[${c.index}].comments.references.AsyncAPI`;
    if (!c.asyncapi) {
      return result(
        c,
        'message.references.missing',
        `${title} interaction has no AsyncAPI references in comments.references.AsyncAPI`,
        referenceAt,
        '[root]',
      );
    }
    const operationId = c.asyncapi.operationId;
    if (typeof operationId !== 'string' || operationId === '') {
      return result(
        c,
        'message.references.missing',
        `${title} interaction has a malformed AsyncAPI reference in comments.references.AsyncAPI: expected an "operationId" property`,
        referenceAt,
        '[root]',
      );
    }
    if (!isObject(this.doc.operations?.[operationId])) {
      return result(
        c,
        'message.operation.unknown',
        `Operation not defined in AsyncAPI spec: ${operationId}`,
        `${referenceAt}.operationId`,
        '[root].operations',
      );
    }
    return operationId;
  }

  private messagesOf(operationId: string, reply: boolean): SpecMessage[] {
    const operation = this.doc.operations[operationId];
    const list = reply ? operation.reply?.messages : operation.messages;
    if (!Array.isArray(list)) return [];
    const base = `[root].operations.${operationId}${reply ? '.reply' : ''}.messages`;
    const out: SpecMessage[] = [];
    list.forEach((entry, i) => {
      if (!isObject(entry)) return;
      if (typeof entry.$ref !== 'string') {
        out.push({ message: entry, path: `${base}[${i}]` });
        return;
      }
      let resolved = this.#resolved.get(entry.$ref);
      if (!resolved) {
        const { target, ref } = followRefs(entry, this.doc);
        if (!isObject(target)) return;
        const path = `[root].${(ref ?? entry.$ref).replace(/^#\//, '').replace(/\//g, '.')}`;
        resolved = {
          path,
          message: {
            ...target,
            payload: target.payload ? inlineRefs(target.payload, this.doc) : undefined,
            headers: target.headers ? inlineRefs(target.headers, this.doc) : undefined,
          },
        };
        this.#resolved.set(entry.$ref, resolved);
      }
      out.push(resolved);
    });
    return out;
  }

  /** The first message that accepts the part wins (`message.matched`); else `message.no.match`. */
  private matchOne(
    c: AsyncCase | SyncCase,
    candidates: SpecMessage[],
    side: Side,
    noMatchAt: string,
  ): ContractResult[] {
    for (const candidate of candidates) {
      const findings = [...this.checkPayload(c, candidate, side), ...this.checkHeaders(c, candidate, side)];
      if (findings.every((r) => r.type !== 'error')) {
        return [
          ...findings,
          {
            code: 'message.matched',
            type: 'info',
            message: `Matched message at ${candidate.path}`,
            interaction: { index: c.index, description: null, state: null },
            pactLocation: null,
            specLocation: candidate.path,
          },
        ];
      }
    }
    return [
      result(
        c,
        'message.no.match',
        'No message in the operation matched the interaction',
        noMatchAt,
        side.listAt,
      ),
    ];
  }

  private checkPayload(c: AsyncCase | SyncCase, candidate: SpecMessage, side: Side): ContractResult[] {
    const { payload, contentType } = side.part;
    const treatment = bodyTreatment(contentType, payload);
    if (treatment === 'skip') return [];
    if (treatment === 'warn') {
      return [
        result(
          c,
          'message.payload.unvalidatable',
          `Body with content type '${contentType}' is not supported by the spec comparator`,
          side.payloadAt,
          candidate.path,
        ),
      ];
    }
    const schema = candidate.message.payload;
    if (!schema) {
      return payload === undefined
        ? []
        : [
            result(
              c,
              'message.payload.unknown',
              'No schema found for message payload',
              side.payloadAt,
              candidate.path,
            ),
          ];
    }
    return this.validate(
      c,
      `${candidate.path}.payload`,
      schema,
      payload,
      side,
      'message.payload.incompatible',
      side.payloadAt,
      'Message payload is incompatible with the schema in the spec file',
    );
  }

  private checkHeaders(c: AsyncCase | SyncCase, candidate: SpecMessage, side: Side): ContractResult[] {
    const schema = candidate.message.headers;
    if (!schema || side.part.metadata === undefined) return [];
    return this.validate(
      c,
      `${candidate.path}.headers`,
      schema,
      side.part.metadata,
      side,
      'message.headers.incompatible',
      side.headersAt,
      'Message headers are incompatible with the schema in the spec file',
    );
  }

  private validate(
    c: AsyncCase | SyncCase,
    schemaAt: string,
    schema: Json,
    value: unknown,
    side: Side,
    code: ResultCode,
    pactAt: string,
    sentence: string,
  ): ContractResult[] {
    const rules = code === 'message.payload.incompatible' ? side.part.rules : undefined;
    const failures = this.validators.check(
      `${schemaAt}#${side.direction}`,
      () => (side.direction === 'response' ? forReceivedBody(structuredClone(schema)) : schema),
      value,
    );
    const relevant = failures.filter((f) => !excusedByMatchers(f, rules));
    return relevant.map((f) =>
      result(
        c,
        code,
        `${sentence}: ${failureText(f)}`,
        `${pactAt}${instanceSuffix(f)}`,
        `${schemaAt}.${schemaSuffix(f)}`,
      ),
    );
  }
}

const WARNINGS = new Set<ResultCode>([
  'message.payload.unvalidatable',
  'message.payload.unknown',
  'message.response.missing',
]);

function result(
  c: AsyncCase | SyncCase,
  code: ResultCode,
  message: string,
  pactAt: string,
  specAt: string,
): ContractResult {
  return {
    code,
    type: WARNINGS.has(code) ? 'warning' : 'error',
    message,
    interaction: { index: c.index, description: c.description, state: c.state },
    pactLocation: pactAt,
    specLocation: specAt,
  };
}
