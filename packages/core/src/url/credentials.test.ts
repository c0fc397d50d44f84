import { describe, expect, it } from 'vitest';
import { isHttpUrl, redactUrl, urlCredentials } from './credentials.js';

describe('urlCredentials', () => {
  it('splits user and password out and keeps the rest of the URL as given', () => {
    expect(urlCredentials('https://ci:secret@broker.example:9292/pacts?x=1#f')).toEqual({
      url: 'https://broker.example:9292/pacts?x=1#f',
      username: 'ci',
      password: 'secret',
    });
    expect(urlCredentials('http://ci:secret@Broker.Example')).toEqual({
      url: 'http://Broker.Example',
      username: 'ci',
      password: 'secret',
    });
  });

  it('percent-decodes the credentials and takes the last @ as the end of the user info', () => {
    expect(urlCredentials('http://a%20b:p%40ss%3Aw@h/x')).toEqual({
      url: 'http://h/x',
      username: 'a b',
      password: 'p@ss:w',
    });
    expect(urlCredentials('http://u:p@ss@h/x')).toEqual({
      url: 'http://h/x',
      username: 'u',
      password: 'p@ss',
    });
    expect(urlCredentials('http://u:%zz@h')).toEqual({ url: 'http://h', username: 'u', password: '%zz' });
  });

  it('tells a user without password from an empty password', () => {
    expect(urlCredentials('http://token@h')).toEqual({ url: 'http://h', username: 'token' });
    expect(urlCredentials('http://user:@h')).toEqual({ url: 'http://h', username: 'user', password: '' });
  });

  it('leaves URLs without credentials, an @ in the path, and non-URLs alone', () => {
    expect(urlCredentials('https://broker.example/pacts')).toEqual({ url: 'https://broker.example/pacts' });
    expect(urlCredentials('https://h/users/@me')).toEqual({ url: 'https://h/users/@me' });
    expect(urlCredentials('localhost:9292')).toEqual({ url: 'localhost:9292' });
    expect(urlCredentials('user:pw@host')).toEqual({ url: 'user:pw@host' });
  });
});

describe('redactUrl', () => {
  it('hides the password of any scheme and keeps the user name', () => {
    expect(redactUrl('https://ci:secret@broker.example/pacts')).toBe('https://ci:***@broker.example/pacts');
    expect(redactUrl('postgres://app:s3cret@db:5432/pacts')).toBe('postgres://app:***@db:5432/pacts');
    expect(redactUrl('mysql://u:p@ss@h/db')).toBe('mysql://u:***@h/db');
    expect(redactUrl('http://user:@h')).toBe('http://user:***@h');
  });

  it('leaves URLs without a password unchanged', () => {
    expect(redactUrl('http://token@h/x')).toBe('http://token@h/x');
    expect(redactUrl('https://h/users/@me:x')).toBe('https://h/users/@me:x');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});

describe('isHttpUrl', () => {
  it('takes absolute http(s) URLs only', () => {
    for (const url of ['http://localhost:9292', 'HTTPS://broker.example/x', 'http://u:p@h'])
      expect(isHttpUrl(url), url).toBe(true);
    for (const url of ['localhost:9292', 'ftp://h', '/pacts', 'broker.example', '', 'http//h'])
      expect(isHttpUrl(url), url).toBe(false);
  });
});
