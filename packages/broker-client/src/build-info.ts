import { execFileSync } from 'node:child_process';

/** What a CI run or a git checkout says about the build: the version to publish under, its branch and its build page. */
export interface BuildInfo {
  /** The commit SHA, used as the version number when none is given. */
  commit: string | undefined;
  branch: string | undefined;
  buildUrl: string | undefined;
  /** Where the values came from, e.g. `GitHub Actions` or `git`, for the CLI to say. */
  source: string | undefined;
}

type Env = Record<string, string | undefined>;

interface CiProvider {
  name: string;
  detect(env: Env): boolean;
  commit(env: Env): string | undefined;
  branch(env: Env): string | undefined;
  buildUrl(env: Env): string | undefined;
}

const nonEmpty = (...values: Array<string | undefined>) => values.find((v) => v !== undefined && v !== '');

/** Jenkins and others report `origin/main` or `refs/heads/main`: the branch is `main`. */
function plainBranch(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  return ref.replace(/^refs\/heads\//, '').replace(/^origin\//, '');
}

// Ordered: the most specific variables first (GIT_BRANCH is set by Jenkins but also by hand).
const providers: CiProvider[] = [
  {
    name: 'GitHub Actions',
    detect: (env) => env.GITHUB_ACTIONS === 'true',
    commit: (env) => env.GITHUB_SHA,
    // on a pull request GITHUB_REF_NAME is `42/merge`; the head ref is the branch
    branch: (env) =>
      nonEmpty(
        env.GITHUB_HEAD_REF,
        env.GITHUB_REF?.startsWith('refs/heads/') ? env.GITHUB_REF_NAME : undefined,
      ),
    buildUrl: (env) =>
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
  },
  {
    name: 'GitLab CI',
    detect: (env) => env.GITLAB_CI === 'true',
    commit: (env) => env.CI_COMMIT_SHA,
    branch: (env) =>
      nonEmpty(env.CI_COMMIT_BRANCH, env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, env.CI_COMMIT_REF_NAME),
    buildUrl: (env) => nonEmpty(env.CI_JOB_URL, env.CI_PIPELINE_URL),
  },
  {
    name: 'Buildkite',
    detect: (env) => env.BUILDKITE === 'true',
    commit: (env) => env.BUILDKITE_COMMIT,
    branch: (env) => env.BUILDKITE_BRANCH,
    buildUrl: (env) => env.BUILDKITE_BUILD_URL,
  },
  {
    name: 'CircleCI',
    detect: (env) => env.CIRCLECI === 'true',
    commit: (env) => env.CIRCLE_SHA1,
    branch: (env) => env.CIRCLE_BRANCH,
    buildUrl: (env) => env.CIRCLE_BUILD_URL,
  },
  {
    name: 'Travis CI',
    detect: (env) => env.TRAVIS === 'true',
    commit: (env) => env.TRAVIS_COMMIT,
    branch: (env) => nonEmpty(env.TRAVIS_PULL_REQUEST_BRANCH, env.TRAVIS_BRANCH),
    buildUrl: (env) => env.TRAVIS_BUILD_WEB_URL,
  },
  {
    name: 'Azure Pipelines',
    detect: (env) => env.TF_BUILD === 'True' || env.TF_BUILD === 'true',
    commit: (env) => env.BUILD_SOURCEVERSION,
    branch: (env) => plainBranch(nonEmpty(env.SYSTEM_PULLREQUEST_SOURCEBRANCH, env.BUILD_SOURCEBRANCH)),
    buildUrl: (env) =>
      env.SYSTEM_COLLECTIONURI && env.SYSTEM_TEAMPROJECT && env.BUILD_BUILDID
        ? `${env.SYSTEM_COLLECTIONURI}${env.SYSTEM_TEAMPROJECT}/_build/results?buildId=${env.BUILD_BUILDID}`
        : undefined,
  },
  {
    name: 'Bitbucket Pipelines',
    detect: (env) => env.BITBUCKET_BUILD_NUMBER !== undefined,
    commit: (env) => env.BITBUCKET_COMMIT,
    branch: (env) => env.BITBUCKET_BRANCH,
    buildUrl: (env) =>
      env.BITBUCKET_GIT_HTTP_ORIGIN && env.BITBUCKET_BUILD_NUMBER
        ? `${env.BITBUCKET_GIT_HTTP_ORIGIN}/addon/pipelines/home#!/results/${env.BITBUCKET_BUILD_NUMBER}`
        : undefined,
  },
  {
    name: 'Jenkins',
    detect: (env) =>
      env.JENKINS_URL !== undefined || env.BUILD_URL !== undefined || env.GIT_BRANCH !== undefined,
    commit: (env) => env.GIT_COMMIT,
    branch: (env) => plainBranch(nonEmpty(env.CHANGE_BRANCH, env.BRANCH_NAME, env.GIT_BRANCH)),
    buildUrl: (env) => env.BUILD_URL,
  },
];

function git(args: string[], cwd: string): string | undefined {
  try {
    const out = execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out === '' ? undefined : out;
  } catch {
    // not a git checkout, or git not installed: nothing to detect
    return undefined;
  }
}

/**
 * Detects the commit, branch and build URL of the current build from the variables of common CI
 * systems (GitHub Actions, GitLab, Buildkite, CircleCI, Travis, Azure, Bitbucket, Jenkins), falling
 * back to `git` in `cwd` for what the CI does not say.
 *
 * @example
 * const build = detectBuildInfo();
 * await broker.publishPacts({ consumer: 'Web', version: build.commit ?? '0.0.0', branch: build.branch, pacts });
 */
export function detectBuildInfo(options: { env?: Env; cwd?: string; useGit?: boolean } = {}): BuildInfo {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const ci = providers.find((p) => p.detect(env));
  let commit = ci ? nonEmpty(ci.commit(env)) : undefined;
  let branch = ci ? nonEmpty(ci.branch(env)) : undefined;
  const buildUrl = ci ? nonEmpty(ci.buildUrl(env)) : undefined;
  let source = ci?.name;
  if (options.useGit !== false && (commit === undefined || branch === undefined)) {
    const gitCommit = commit ?? git(['rev-parse', 'HEAD'], cwd);
    // a detached HEAD (common in CI checkouts) names no branch
    const head = branch ?? git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd);
    const gitBranch = head === 'HEAD' ? undefined : head;
    if ((gitCommit && !commit) || (gitBranch && !branch)) source = source ? `${source} and git` : 'git';
    commit = gitCommit;
    branch = gitBranch;
  }
  return { commit, branch, buildUrl, source };
}
