/**
 * Browser mode's HTTP transport sends an input with one field of bytes (an import chunk) as those bytes
 * in the body, with the field's name and the other fields (JSON) in these headers: renderer/api/transportHttp.ts
 * writes them, core/host/hostServer.ts reads them back into the one input the shared schema validates.
 */
export const BINARY_FIELD_HEADER = 'x-roadshow-binary-field';
export const BINARY_REST_HEADER = 'x-roadshow-input';
