import { toGlobalId } from '../../src/domain/ids';

/** A well-formed global ID of `type` that no row has. */
export const unknownId = (type: string): string => toGlobalId(type, 999_999);

/** base64url of `text`: hand-made IDs and cursors, well-formed or not. */
export const b64 = (text: string): string => Buffer.from(text).toString('base64url');
