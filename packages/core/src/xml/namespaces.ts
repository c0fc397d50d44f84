/** Bound to the `xml` prefix in every document; may not be bound to anything else. */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
/** The namespace of `xmlns` declarations themselves; may never be declared. */
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/**
 * Prefix bindings in scope, with an undo log so entering and leaving an element costs only
 * the declarations it makes (copying a map per element would be quadratic on deep documents).
 * The default namespace is the prefix `''`; the URI `''` means "no default namespace".
 */
export class NamespaceScope {
  private readonly bindings = new Map<string, string>([['xml', XML_NAMESPACE]]);
  private readonly undoPrefixes: string[] = [];
  private readonly undoUris: Array<string | undefined> = [];

  /** A point to `restore` to when the element that is about to declare things ends. */
  mark(): number {
    return this.undoPrefixes.length;
  }

  declare(prefix: string, uri: string): void {
    this.undoPrefixes.push(prefix);
    this.undoUris.push(this.bindings.get(prefix));
    this.bindings.set(prefix, uri);
  }

  lookup(prefix: string): string | undefined {
    return this.bindings.get(prefix);
  }

  /** The default namespace URI, or `undefined` when there is none. */
  defaultNamespace(): string | undefined {
    const uri = this.bindings.get('');
    return uri === '' ? undefined : uri;
  }

  restore(mark: number): void {
    while (this.undoPrefixes.length > mark) {
      const prefix = this.undoPrefixes.pop()!;
      const previous = this.undoUris.pop();
      if (previous === undefined) this.bindings.delete(prefix);
      else this.bindings.set(prefix, previous);
    }
  }
}

/** Sets an own enumerable key, even `__proto__` (a legal prefix) which plain assignment would swallow. */
export function setRecordEntry(record: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
