import type { DocumentEvent } from './document-event.js';

/** A document as ContentProvider stores it. */
export interface StoredDocument {
  name: string;
  owner: string;
  type: 'microsoft-word' | 'microsoft-excel';
}

/**
 * ContentProvider's side: the events it publishes when documents are created or deleted. (How
 * they travel, a queue or a topic, is outside the contract: the pact covers the message itself.)
 *
 * @example
 * const event = documentCreated({ name: 'report.doc', owner: 'TP', type: 'microsoft-word' });
 */
export function documentCreated(document: StoredDocument): DocumentEvent {
  return {
    event: 'ObjectCreated:Put',
    documentName: document.name,
    creator: document.owner,
    documentType: document.type,
  };
}

/** The event published when a document is deleted. */
export function documentDeleted(document: StoredDocument): DocumentEvent {
  return {
    event: 'ObjectCreated:Delete',
    documentName: document.name,
    creator: document.owner,
    documentType: document.type,
  };
}
