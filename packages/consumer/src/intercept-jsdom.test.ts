// @vitest-environment jsdom
import { itAnswersXhrInIntercept } from './test-support/xhr-intercept.js';

itAnswersXhrInIntercept('jsdom');
