import { describe, expect, it } from 'vitest';
import { Router } from './router.js';

const target = (path: string) => ({ path, method: 'get', operation: {} });

describe('Router', () => {
  it('prefers a literal segment to a parameter', () => {
    const router = new Router(false);
    router.add('get', '/pets/{id}', target('/pets/{id}'));
    router.add('get', '/pets/mine', target('/pets/mine'));
    expect(router.find('GET', '/pets/mine')?.target.path).toBe('/pets/mine');
    expect(router.find('GET', '/pets/42')).toEqual({ target: target('/pets/{id}'), params: { id: '42' } });
  });

  it('needs a non-empty parameter, the same method and the same number of segments', () => {
    const router = new Router(false);
    router.add('get', '/pets/{id}', target('/pets/{id}'));
    expect(router.find('GET', '/pets/')).toBeUndefined();
    expect(router.find('POST', '/pets/1')).toBeUndefined();
    expect(router.find('GET', '/pets/1/toys')).toBeUndefined();
  });

  it('matches label and matrix prefixes, drops dashes from names and decodes values', () => {
    const router = new Router(false);
    router.add('get', '/a/{.pet-id*}', target('/a'));
    router.add('get', '/b/{;id}', target('/b'));
    expect(router.find('GET', '/a/.1.2')?.params).toEqual({ petid: '1.2' });
    expect(router.find('GET', '/b/;x%20y')?.params).toEqual({ id: 'x y' });
    expect(router.find('GET', '/a/1.2')).toBeUndefined();
  });

  it('is case sensitive unless told otherwise, and a trailing * takes the rest of the path', () => {
    const strict = new Router(false);
    strict.add('get', '/Pets', target('/Pets'));
    expect(strict.find('GET', '/pets')).toBeUndefined();
    const relaxed = new Router(true);
    relaxed.add('get', '/Pets', target('/Pets'));
    expect(relaxed.find('GET', '/pets')?.target.path).toBe('/Pets');
    strict.add('get', '/files/**', target('/files/**'));
    expect(strict.find('GET', '/files/a/b.txt')?.target.path).toBe('/files/**');
  });
});
