/** Why a field geometry was refused. Each code names one problem an operator can fix. */
export type FieldProblem =
  | 'open-ring'
  | 'too-few-points'
  | 'bad-coordinate'
  | 'swapped-coordinates'
  | 'projected-coordinates'
  | 'self-intersection'
  | 'hole-outside-boundary'
  | 'zero-area'
  | 'too-small'
  | 'too-large'
  | 'too-many-vertices';

/** Invalid field geometry; `fieldName` says which field of a file, `problem` what is wrong. */
export class FieldGeometryError extends Error {
  override readonly name = 'FieldGeometryError';
  constructor(
    readonly problem: FieldProblem,
    readonly fieldName: string,
    message: string,
  ) {
    super(`${fieldName}: ${message}`);
  }
}

/** Why a file could not be imported at all. */
export type ImportProblem =
  | 'unknown-format'
  | 'parse-error'
  | 'unsupported-geometry'
  | 'no-fields'
  | 'invalid-geometry'
  | 'read-error'
  /** The file (or what a zip would unpack to) is bigger than any field file. */
  | 'too-large';

/** A failed import; nothing from the file is kept when this is returned. */
export class FieldImportError extends Error {
  override readonly name = 'FieldImportError';
  constructor(
    readonly problem: ImportProblem,
    message: string,
    readonly geometryProblem?: FieldProblem,
  ) {
    super(message);
  }
}

/** A planning request that cannot be met (no compatible tractor, bad width, unknown section). */
export class PlanningError extends Error {
  override readonly name = 'PlanningError';
}
