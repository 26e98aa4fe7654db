// Builds the multipart/form-data body of an OSS upload (policy fields plus one file).
import { randomBytes } from 'node:crypto';

/** The file part of a multipart body. */
interface MultipartFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

/** Quotes and line breaks cannot appear inside a Content-Disposition parameter. */
const safe = (s: string): string => s.replace(/[\r\n]/g, ' ').replace(/"/g, '%22');

/**
 * A multipart/form-data body: the text fields in the given order, then the file — OSS PostObject
 * ignores every field after the file, so the file is always the last part.
 */
export function multipartBody(fields: readonly (readonly [string, string])[], file: MultipartFile, boundary = `----storyboard${randomBytes(12).toString('hex')}`): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${safe(name)}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${safe(file.name)}"; filename="${safe(file.filename)}"\r\n`
    + `Content-Type: ${file.contentType}\r\n\r\n`, 'utf8'));
  parts.push(Buffer.from(file.data), Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
