import type { DocumentEvent } from './document-event.js';

/** A document DetectContentLambda can't process: it only reads Word documents. */
export class UnsupportedDocumentError extends Error {
  override readonly name = 'UnsupportedDocumentError';

  constructor(readonly documentType: string) {
    super(`Not a document DetectContentLambda can read: '${documentType}' (only microsoft-word)`);
  }
}

/** What DetectContentLambda did with a document event. */
export interface Detection {
  documentName: string;
  action: 'index' | 'remove';
}

/**
 * DetectContentLambda's handler: takes a document event from ContentProvider and decides what to
 * do with the document; rejects anything but `microsoft-word` documents.
 *
 * @example
 * detectContent({ event: 'ObjectCreated:Put', documentName: 'a.doc', creator: 'TP', documentType: 'microsoft-word' });
 * // → { documentName: 'a.doc', action: 'index' }
 */
export function detectContent(message: DocumentEvent): Detection {
  if (message.documentType !== 'microsoft-word') throw new UnsupportedDocumentError(message.documentType);
  return {
    documentName: message.documentName,
    action: message.event === 'ObjectCreated:Delete' ? 'remove' : 'index',
  };
}
