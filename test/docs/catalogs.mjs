// Every package's error catalog, by package name. Add a package's catalog here when it gets one.
import { brokerErrors } from '@covenant/broker';
import { brokerClientErrors } from '@covenant/broker-client';
import { cliErrors } from '@covenant/cli';
import { consumerErrors } from '@covenant/consumer';
import { contractsErrors } from '@covenant/contracts';
import { coreErrors } from '@covenant/core';
import { verifierErrors } from '@covenant/verifier';

export const catalogs = {
  '@covenant/core': coreErrors,
  '@covenant/consumer': consumerErrors,
  '@covenant/broker-client': brokerClientErrors,
  '@covenant/verifier': verifierErrors,
  '@covenant/broker': brokerErrors,
  '@covenant/contracts': contractsErrors,
  '@covenant/cli': cliErrors,
};
