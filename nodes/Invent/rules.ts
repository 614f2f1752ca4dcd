/** Invent: `allowed_types` holds at most 255 entries of at most 255 characters (API docs). */
export const MAX_ALLOWED_TYPES = 255;
export const MAX_ALLOWED_TYPE_LENGTH = 255;

/** One entry of `allowed_types`: a MIME type, or a pattern with `*` as its type or subtype. */
export const MIME_PATTERN = /^(\*|[\w.+-]+)\/(\*|[\w.+-]+)$/;
