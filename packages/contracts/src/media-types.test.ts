import { describe, expect, it } from 'vitest';
import { bodyTreatment, findMediaType } from './media-types.js';

describe('findMediaType', () => {
  it('prefers an exact match, then the highest quality', () => {
    expect(findMediaType('application/json', ['text/html', 'application/json'])).toBe('application/json');
    expect(findMediaType('application/json;q=0.5, text/html', ['application/json', 'text/html'])).toBe(
      'text/html',
    );
  });

  it('ignores parameters and vendor prefixes', () => {
    expect(findMediaType('application/json; charset=utf-8', ['application/json'])).toBe('application/json');
    expect(findMediaType('application/hal+json', ['application/json'])).toBe('application/json');
  });

  it('honours wildcards on either side', () => {
    expect(findMediaType('image/png', ['image/*'])).toBe('image/*');
    expect(findMediaType('text/*', ['application/json', 'text/plain'])).toBe('text/plain');
    expect(findMediaType('*/*', ['application/xml'])).toBe('application/xml');
  });

  it('gives undefined when nothing is compatible', () => {
    expect(findMediaType('application/xml', ['application/json'])).toBeUndefined();
  });
});

describe('bodyTreatment', () => {
  it('validates JSON and forms, warns about other bodies, skips what has no content type', () => {
    expect(bodyTreatment('application/json', {})).toBe('validate');
    expect(bodyTreatment('multipart/form-data; boundary=x', 'a')).toBe('validate');
    expect(bodyTreatment('application/xml', '<a/>')).toBe('warn');
    expect(bodyTreatment('application/xml', undefined)).toBe('skip');
    expect(bodyTreatment(undefined, {})).toBe('skip');
  });
});
