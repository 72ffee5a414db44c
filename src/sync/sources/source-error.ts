import { AppError } from '../../errors/app-errors'

/** A source document that cannot be used: malformed, truncated, of the wrong type or shape. */
export class SourceFormatError extends AppError {
  readonly code = 'bad_source_document'
}
