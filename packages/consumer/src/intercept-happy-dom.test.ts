// @vitest-environment happy-dom
import { itAnswersXhrInIntercept } from './test-support/xhr-intercept.js';

itAnswersXhrInIntercept('happy-dom');
