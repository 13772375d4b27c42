/** What a generate or remove run did, relative to the repository root. */
export interface ResourceChanges {
  written: string[];
  edited: string[];
  deleted: string[];
  notes: string[];
}

/** The run cannot go ahead in this repository (a name is taken, the resource is not there). */
export class ResourceConflictError extends Error {}
