/** The event ContentProvider sends when a document changes, and DetectContentLambda receives. */
export interface DocumentEvent {
  /** What happened, e.g. `ObjectCreated:Put` or `ObjectCreated:Delete`. */
  event: string;
  documentName: string;
  /** Initials of whoever made the change. */
  creator: string;
  /** The kind of document, e.g. `microsoft-word` or `microsoft-excel`. */
  documentType: string;
}
