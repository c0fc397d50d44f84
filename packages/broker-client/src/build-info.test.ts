import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectBuildInfo } from './build-info.js';

const ci = (env: Record<string, string>) => detectBuildInfo({ env, useGit: false });

describe('detectBuildInfo', () => {
  it('reads GitHub Actions, taking the head branch of a pull request', () => {
    const base = {
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: 'abc',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '5',
    };
    expect(ci({ ...base, GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' })).toEqual({
      commit: 'abc',
      branch: 'main',
      buildUrl: 'https://github.com/o/r/actions/runs/5',
      source: 'GitHub Actions',
    });
    expect(
      ci({ ...base, GITHUB_REF: 'refs/pull/4/merge', GITHUB_REF_NAME: '4/merge', GITHUB_HEAD_REF: 'feat' })
        .branch,
    ).toBe('feat');
    expect(ci({ ...base, GITHUB_REF: 'refs/tags/v1', GITHUB_REF_NAME: 'v1' }).branch).toBeUndefined();
  });

  it('reads GitLab, Buildkite, CircleCI and Jenkins', () => {
    expect(
      ci({ GITLAB_CI: 'true', CI_COMMIT_SHA: 'g', CI_COMMIT_REF_NAME: 'dev', CI_JOB_URL: 'https://gl/j/1' }),
    ).toMatchObject({ commit: 'g', branch: 'dev', buildUrl: 'https://gl/j/1' });
    expect(
      ci({
        BUILDKITE: 'true',
        BUILDKITE_COMMIT: 'b',
        BUILDKITE_BRANCH: 'main',
        BUILDKITE_BUILD_URL: 'https://bk/1',
      }),
    ).toMatchObject({ commit: 'b', branch: 'main', buildUrl: 'https://bk/1', source: 'Buildkite' });
    expect(
      ci({ CIRCLECI: 'true', CIRCLE_SHA1: 'c', CIRCLE_BRANCH: 'x', CIRCLE_BUILD_URL: 'https://circle/1' }),
    ).toMatchObject({ commit: 'c', branch: 'x' });
    expect(
      ci({
        JENKINS_URL: 'https://j',
        GIT_COMMIT: 'j',
        GIT_BRANCH: 'origin/release',
        BUILD_URL: 'https://j/job/1',
      }),
    ).toMatchObject({ commit: 'j', branch: 'release', buildUrl: 'https://j/job/1', source: 'Jenkins' });
  });

  it('falls back to git for what the CI does not say, and finds nothing outside a checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-build-info-'));
    try {
      expect(detectBuildInfo({ env: {}, cwd: dir })).toEqual({
        commit: undefined,
        branch: undefined,
        buildUrl: undefined,
        source: undefined,
      });
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: dir } }).trim();
      git('init', '-q', '-b', 'topic');
      writeFileSync(join(dir, 'f'), 'x');
      git('add', 'f');
      git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'x');
      const sha = git('rev-parse', 'HEAD');
      expect(detectBuildInfo({ env: {}, cwd: dir })).toMatchObject({
        commit: sha,
        branch: 'topic',
        source: 'git',
      });
      expect(
        detectBuildInfo({ env: { BUILDKITE: 'true', BUILDKITE_BRANCH: 'ci-branch' }, cwd: dir }),
      ).toMatchObject({ commit: sha, branch: 'ci-branch', source: 'Buildkite and git' });
      git('checkout', '-q', '--detach');
      expect(detectBuildInfo({ env: {}, cwd: dir }).branch).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
