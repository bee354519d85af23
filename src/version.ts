/**
 * Bump PIPELINE_VERSION whenever extraction, mapping or validation can change
 * what is stored for the same bytes. Documents are content-addressed by
 * sha256 + this version: a new version re-reads them, the same version skips them.
 */
export const PIPELINE_VERSION = '4';
export const OGI_VERSION = '0.1.0';
