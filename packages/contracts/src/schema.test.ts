import { describe, expect, it } from 'vitest';
import { forReceivedBody, sharedSchemas, toJsonSchema } from './schema.js';

const doc = {
  components: {
    schemas: {
      Node: {
        type: 'object',
        description: 'a tree',
        properties: { child: { $ref: '#/components/schemas/Node' } },
      },
      Base: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
    },
  },
};

describe('toJsonSchema', () => {
  it('copies referenced schemas into the result, circular ones once', () => {
    const schema = toJsonSchema({ $ref: '#/components/schemas/Node' }, doc);
    expect(schema.components.schemas.Node.properties.child).toEqual({ $ref: '#/components/schemas/Node' });
    expect(schema.components.schemas.Node.description).toBeUndefined();
  });

  it('turns nullable into a null type and boolean exclusive bounds into numbers', () => {
    expect(toJsonSchema({ type: 'string', nullable: true }, doc).type).toEqual(['string', 'null']);
    const bounded = toJsonSchema(
      { type: 'number', minimum: 1, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: false },
      doc,
    );
    expect(bounded).toEqual({ type: 'number', exclusiveMinimum: 1, maximum: 5 });
  });

  it('merges allOf branches, following their references', () => {
    const schema = toJsonSchema(
      { allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { name: { type: 'string' } } }] },
      doc,
    );
    expect(schema.allOf).toBeUndefined();
    expect(Object.keys(schema.properties)).toEqual(['id', 'name']);
  });

  it('makes a discriminator property required and drops a discriminator without oneOf', () => {
    const schema = toJsonSchema(
      { oneOf: [{ type: 'object' }], discriminator: { propertyName: 'kind', mapping: { a: '#/x' } } },
      doc,
    );
    expect(schema.required).toEqual(['kind']);
    expect(schema.discriminator).toEqual({ propertyName: 'kind' });
    expect(
      toJsonSchema({ type: 'object', discriminator: { propertyName: 'kind' } }, doc).discriminator,
    ).toBeUndefined();
  });
});

describe('forReceivedBody', () => {
  it('forbids unnamed properties and drops required, through references', () => {
    const schema = forReceivedBody(toJsonSchema({ $ref: '#/components/schemas/Base' }, doc));
    expect(schema.components.schemas.Base.additionalProperties).toBe(false);
    expect(schema.components.schemas.Base.required).toBeUndefined();
  });
});

describe('sharedSchemas', () => {
  it('prepares every referenced schema once, for operation schemas to refer to by id', () => {
    const shared = sharedSchemas(doc, 'covenant:test', true);
    // Node is referenced (by itself); Base is not, so it is left out.
    expect(shared.root.components.schemas.Node).toMatchObject({ additionalProperties: false });
    expect(shared.root.components.schemas.Base).toBeUndefined();
    expect(shared.root.anyOf).toBeUndefined();
    const schema = toJsonSchema({ type: 'array', items: { $ref: '#/components/schemas/Node' } }, doc, shared);
    expect(schema).toEqual({ type: 'array', items: { $ref: 'covenant:test#/components/schemas/Node' } });
  });
});
