// Every package's error catalog, by package name. Add a package's catalog here when it gets one.
import { consumerErrors } from '@covenant/consumer';
import { coreErrors } from '@covenant/core';

export const catalogs = {
  '@covenant/core': coreErrors,
  '@covenant/consumer': consumerErrors,
};
