/**
 * Dataset rights (the access-rights manager, clarus-arm's role): who may do what on which
 * dataset, under which conditions. The attribute vocabulary is shared with the privacy proxy
 * (briefs: "Shared attribute vocabulary for dataset rights"): the rights manager writes rules
 * over exactly these attributes, and the proxy sends requests carrying them. Used by the api
 * (rights routes, managed-policy generator), the CLI and the GUI.
 */
import { z } from 'zod';

/** XACML categories and attribute ids of the shared vocabulary. */
export const RIGHTS_VOCABULARY = {
  accessSubject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  environment: 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment',
  user: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  group: 'urn:safax:1.0:subject:group',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  dataset: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
  resourceType: 'urn:safax:1.0:resource:type',
  column: 'urn:safax:1.0:resource:column',
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  purpose: 'urn:safax:1.0:environment:purpose',
  currentTime: 'urn:oasis:names:tc:xacml:1.0:environment:current-time',
  currentDateTime: 'urn:oasis:names:tc:xacml:1.0:environment:current-dateTime',
} as const;

/** The resource kind a dataset request carries (`urn:safax:1.0:resource:type`). */
export const DATASET_RESOURCE_TYPE = 'dataset';

/** The fixed PolicyId of the one managed rights policy of a domain. */
export const MANAGED_RIGHTS_POLICY_ID = 'urn:safax:managed:dataset-rights';

export const SUBJECT_KINDS = ['user', 'group', 'role'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** `read` = SELECT; `ddl` = CREATE/ALTER/DROP/TRUNCATE…; the others as in SQL. */
export const DATASET_ACTIONS = ['read', 'insert', 'update', 'delete', 'ddl'] as const;
export type DatasetAction = (typeof DATASET_ACTIONS)[number];

/** A user, group, role or purpose name: printable, no spaces, at most 200 characters. */
export const RIGHTS_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.@+:-]{0,199}$/;
/** `schema.table` as PostgreSQL resolves unquoted identifiers: lower case, at most 63 each. */
export const DATASET_PATTERN = /^[a-z_][a-z0-9_$]{0,62}\.[a-z_][a-z0-9_$]{0,62}$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

const nameSchema = (what: string) =>
  z.string().regex(RIGHTS_NAME_PATTERN, `${what}: letters, digits and _ . @ + : - only (no spaces), starting with a letter, digit or _, at most 200 characters`);

export const rightsSubjectSchema = z.strictObject({
  kind: z.enum(SUBJECT_KINDS),
  name: nameSchema('subject name'),
});
export type RightsSubject = z.infer<typeof rightsSubjectSchema>;

export const datasetSchema = z.string().regex(DATASET_PATTERN, 'dataset: schema.table in lower case as PostgreSQL resolves it, e.g. public.patients');

/** `HH:MM[:SS]` → `HH:MM:SS`. */
const timeSchema = z
  .string()
  .regex(TIME_PATTERN, 'a time of day HH:MM or HH:MM:SS')
  .transform((t) => (t.length === 5 ? `${t}:00` : t));

export const rightsConditionsSchema = z
  .strictObject({
    /** Time of day (PDP's current-time) from which the right holds, inclusive. */
    timeFrom: timeSchema.optional(),
    /** Time of day until which it holds, inclusive; may be before timeFrom (overnight). */
    timeUntil: timeSchema.optional(),
    /** Validity period (PDP's current-dateTime), ISO 8601 with offset. */
    validFrom: z.iso.datetime({ offset: true }).optional(),
    validUntil: z.iso.datetime({ offset: true }).optional(),
    /** Declared purposes, any of which the request must carry. */
    purposes: z.array(nameSchema('purpose')).min(1).max(20).optional(),
  })
  .refine((c) => (c.timeFrom === undefined) === (c.timeUntil === undefined), { message: 'a time window needs both timeFrom and timeUntil' })
  .refine((c) => c.validFrom === undefined || c.validUntil === undefined || Date.parse(c.validFrom) < Date.parse(c.validUntil), { message: 'validFrom must be before validUntil' });
export type RightsConditions = z.infer<typeof rightsConditionsSchema>;

const actionsSchema = z.array(z.enum(DATASET_ACTIONS)).min(1).max(DATASET_ACTIONS.length);

/** One right as the managed policy holds it: one Permit rule. */
export const datasetRightSchema = z.strictObject({
  subject: rightsSubjectSchema,
  dataset: datasetSchema,
  actions: actionsSchema,
  conditions: rightsConditionsSchema.optional(),
});
export type DatasetRight = z.infer<typeof datasetRightSchema>;

export const grantRightsSchema = datasetRightSchema;
export type GrantRightsInput = z.input<typeof grantRightsSchema>;

/**
 * A revocation: the actions (default all) of the subject on the dataset; with `conditions`,
 * only the grant made with exactly those conditions, else every grant of the pair.
 */
export const revokeRightsSchema = z.strictObject({
  subject: rightsSubjectSchema,
  dataset: datasetSchema,
  actions: actionsSchema.optional(),
  conditions: rightsConditionsSchema.optional(),
});
export type RevokeRightsInput = z.input<typeof revokeRightsSchema>;
