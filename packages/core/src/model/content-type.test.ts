import { describe, expect, it } from 'vitest';
import { isContentTypeKey } from '../index.js';

describe('isContentTypeKey', () => {
  it('knows contentType and content-type in any letter case, and nothing else', () => {
    for (const key of ['contentType', 'content-type', 'Content-Type', 'CONTENTTYPE', 'contenttype']) {
      expect({ key, yes: isContentTypeKey(key) }).toEqual({ key, yes: true });
    }
    for (const key of ['content_type', 'type', 'content-type ', 'x-content-type', 'contentTypes', '']) {
      expect({ key, yes: isContentTypeKey(key) }).toEqual({ key, yes: false });
    }
  });
});
