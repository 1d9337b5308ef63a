import * as core from '@actions/core'

/** The GitHub Action adapter. The pull-request bot (review, check run) lands with its own issue. */
export async function run(): Promise<void> {
  core.setFailed('kube-ratchet: the GitHub Action is not available yet; use the CLI (kube-ratchet diff).')
}
