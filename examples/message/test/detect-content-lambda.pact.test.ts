// DetectContentLambda's message contract tests (the consumer side): each message ContentProvider
// may send is handed to the handler; the ones it accepts become
// pacts/detectcontentlambda-contentprovider.json. With PUBLISH_PACT (`--publish-pact 2`) the pact
// is published to the broker, with RUN_BROKER (`--run-broker`) one is started when none answers.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerClient } from '@covenant/broker-client';
import { like, MessagePact } from '@covenant/consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSettings, type ExampleBroker, ensureBroker } from '../../broker/src/broker.js';
import { detectContent, UnsupportedDocumentError } from '../src/detect-content-lambda.js';
import type { DocumentEvent } from '../src/document-event.js';

const pactDir = join(import.meta.dirname, '..', 'pacts');
const pactFile = join(pactDir, 'detectcontentlambda-contentprovider.json');
const consumerVersion = process.env.PUBLISH_PACT;

const messagePact = new MessagePact({
  consumer: 'DetectContentLambda',
  provider: 'ContentProvider',
  dir: pactDir,
  fileNameStyle: 'lowercase',
  // the pact holds what this run's tests accepted, nothing from earlier runs
  mode: 'overwrite',
});

let broker: ExampleBroker | undefined;
beforeAll(async () => {
  if (process.env.RUN_BROKER) broker = await ensureBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe('DetectContentLambda', () => {
  it('indexes a Word document ContentProvider created', async () => {
    const detection = await messagePact
      .given('A document created successfully')
      .expectsToReceive('a document created event')
      .withContent<DocumentEvent>({
        event: 'ObjectCreated:Put',
        documentName: like('document.doc'),
        creator: like('TP'),
        documentType: 'microsoft-word',
      })
      .withMetadata({ 'Content-Type': 'application/json' })
      .verify((message) => detectContent(message.contents));
    expect(detection).toEqual({ documentName: 'document.doc', action: 'index' });
  });

  it('removes a Word document ContentProvider deleted', async () => {
    const detection = await messagePact
      .given('A document deleted successfully')
      .expectsToReceive('a document deleted event')
      .withContent<DocumentEvent>({
        event: 'ObjectCreated:Delete',
        documentName: like('document.doc'),
        creator: like('TP'),
        documentType: 'microsoft-word',
      })
      .withMetadata({ 'Content-Type': 'application/json' })
      .verify((message) => detectContent(message.contents));
    expect(detection).toEqual({ documentName: 'document.doc', action: 'remove' });
  });

  it('rejects a document that is not a Word document, and the pact does not promise it', async () => {
    const rejected = messagePact
      .given('A spreadsheet created successfully')
      .expectsToReceive('a spreadsheet created event')
      .withContent<DocumentEvent>({
        event: 'ObjectCreated:Put',
        documentName: like('spreadsheet.xls'),
        creator: like('WI'),
        documentType: 'microsoft-excel',
      })
      .withMetadata({ 'Content-Type': 'application/json' })
      .verify((message) => detectContent(message.contents));
    await expect(rejected).rejects.toThrow(UnsupportedDocumentError);
    const descriptions = existsSync(pactFile)
      ? (
          JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: Array<{ description: string }> }
        ).interactions.map((i) => i.description)
      : [];
    expect(descriptions).not.toContain('a spreadsheet created event');
  });

  it.runIf(consumerVersion)(`publishes the pact to the broker as version ${consumerVersion}`, async () => {
    const settings = brokerSettings();
    const client = new BrokerClient({
      baseUrl: settings.url,
      username: settings.username,
      password: settings.password,
    });
    const { notices } = await client.publishPacts({
      consumer: 'DetectContentLambda',
      version: consumerVersion!,
      branch: process.env.PACT_BRANCH ?? 'main',
      pacts: [JSON.parse(readFileSync(pactFile, 'utf8'))],
    });
    for (const notice of notices) console.log(notice.text);
    expect(notices.map((n) => n.text).join('\n')).toContain(`DetectContentLambda version ${consumerVersion}`);
  });
});
