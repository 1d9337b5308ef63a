import type { Container } from '../../extract/pod-template.js'
import { asString } from '../../extract/json.js'
import type { ObjectPath } from '../../model.js'

/**
 * A container image reference split the way the runtime reads it:
 * `[host[:port]/]path[:tag][@algorithm:hex]`. A colon names a tag only after the last slash, so
 * `localhost:5000/app` has no tag, and `app:1.2@sha256:…` has both a tag and a digest.
 */
export interface ImageReference {
  /** registry host (with port) and repository path, without tag or digest */
  name: string
  /** null when the reference names none (the runtime then pulls `latest`) */
  tag: string | null
  /** `algorithm:encoded`; null when the reference is not pinned by a valid digest */
  digest: string | null
}

/** OCI image-spec digest grammar: `algorithm:encoded`. */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/

/** Every character a reference can hold: name, `host:port`, `[v6]` hosts, tag and digest. */
const REFERENCE_CHARACTERS = /^[A-Za-z0-9._\-/:@[\]+=]+$/

/**
 * Parses an image reference; null for what cannot be judged: an empty string, or any character no
 * reference can hold. That covers whitespace (the API server rejects it) and the placeholders
 * other tools fill in before deployment: `${IMAGE}`, `{{ .Values.image }}`, `<YOUR-IMAGE>`.
 * An invalid digest (`app@latest`, `app@sha256:`) reads as no digest: it pins nothing.
 */
export function parseImageReference(reference: string): ImageReference | null {
  if (!REFERENCE_CHARACTERS.test(reference)) return null
  const at = reference.indexOf('@')
  const named = at < 0 ? reference : reference.slice(0, at)
  const digest = at < 0 ? null : reference.slice(at + 1)
  const colon = named.lastIndexOf(':')
  const hasTag = colon > named.lastIndexOf('/')
  const tag = hasTag ? named.slice(colon + 1) : ''
  return {
    name: hasTag ? named.slice(0, colon) : named,
    tag: tag === '' ? null : tag,
    digest: digest !== null && DIGEST.test(digest) ? digest : null,
  }
}

/** How the runtime resolves a reference to content. */
export type ImagePinning = 'untagged' | 'latest' | 'tag' | 'digest'

/** A digest pins content whatever the tag says; otherwise no tag and `latest` are mutable by definition. */
export function pinningOf(reference: ImageReference): ImagePinning {
  if (reference.digest !== null) return 'digest'
  if (reference.tag === null) return 'untagged'
  return reference.tag === 'latest' ? 'latest' : 'tag'
}

/** A container's image with its path; absent for a missing, non-string or unparseable image. */
export function containerImage(
  container: Container,
): { image: string; reference: ImageReference; pinning: ImagePinning; path: ObjectPath } | undefined {
  const image = asString(container.spec.image)
  const reference = image === undefined ? null : parseImageReference(image)
  if (image === undefined || !reference) return undefined
  return { image, reference, pinning: pinningOf(reference), path: [...container.path, 'image'] }
}
