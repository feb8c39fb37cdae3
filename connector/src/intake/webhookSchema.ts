import { z } from 'zod';

/** The webhook payloads of SPEC §4 (contract). Types are inferred from these schemas. */

export const ANSWER_TYPES = [
  'first_name',
  'last_name',
  'email',
  'text',
  'long_text',
  'number',
  'boolean',
  'date',
  'datetime',
  'single_choice',
  'multiple_choice',
  'phone',
  'url',
] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];

/** A string stored in its own column: no NUL character (Postgres text cannot hold one, so it would
 *  otherwise fail the insert: a 5xx for bad input). */
const storedText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');
const id = storedText(1, 255);
/** Account ids are written to Account_Id__c, Text(64). */
const accountId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1–64 letters, digits, _ . : or -');
/** Interaction ids are written to Interaction_Id__c, Text(64). */
const interactionId = storedText(1, 64);
const interactionName = storedText(1, 255);
const isoDateTime = z.iso.datetime({ offset: true });
const fieldKey = z.string().min(1).max(255);

const answerBase = { key: fieldKey, label: z.string().max(1000) };
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

/** One schema per answer type so `value` is checked against its type (SPEC §4 list). */
export const answerSchema = z.discriminatedUnion('type', [
  z.object({
    ...answerBase,
    type: z.enum(['first_name', 'last_name', 'email', 'text', 'long_text', 'single_choice', 'phone', 'url']),
    value: nullable(z.string().max(131072)),
  }),
  z.object({ ...answerBase, type: z.literal('number'), value: nullable(z.number().finite()) }),
  z.object({ ...answerBase, type: z.literal('boolean'), value: nullable(z.boolean()) }),
  z.object({ ...answerBase, type: z.literal('date'), value: nullable(z.iso.date()) }),
  z.object({ ...answerBase, type: z.literal('datetime'), value: nullable(isoDateTime) }),
  z.object({
    ...answerBase,
    type: z.literal('multiple_choice'),
    value: nullable(z.array(z.string().max(1000)).max(1000)),
  }),
]);
export type Answer = z.infer<typeof answerSchema>;

const fieldSchema = z.object({ key: fieldKey, label: z.string().max(1000), type: z.enum(ANSWER_TYPES) });

const envelope = {
  id,
  createdAt: isoDateTime,
  accountId,
};

export const responseCompletedSchema = z.object({
  ...envelope,
  type: z.literal('response.completed'),
  data: z.object({
    responseId: id,
    interaction: z.object({ id: interactionId, name: interactionName }),
    completedAt: isoDateTime,
    score: z.number().finite().nullable().optional(),
    answers: z.array(answerSchema).max(1000),
  }),
});

export const responseDeletedSchema = z.object({
  ...envelope,
  type: z.literal('response.deleted'),
  data: z.object({ responseId: id }).loose(),
});

export const interactionUpdatedSchema = z.object({
  ...envelope,
  type: z.literal('interaction.updated'),
  data: z.object({
    interaction: z.object({
      id: interactionId,
      name: interactionName,
      fields: z.array(fieldSchema).max(1000),
    }),
  }),
});

export const KNOWN_TYPES = ['response.completed', 'response.deleted', 'interaction.updated'] as const;

/** What every event has, checked first so unknown types can be ignored (forward compatible). */
export const envelopeSchema = z.object({ ...envelope, type: z.string().min(1).max(255) }).loose();

export const knownEventSchema = z.discriminatedUnion('type', [
  responseCompletedSchema,
  responseDeletedSchema,
  interactionUpdatedSchema,
]);
export type KnownEvent = z.infer<typeof knownEventSchema>;
export type ResponseCompletedEvent = z.infer<typeof responseCompletedSchema>;

/** Zod issues as `path: message` lines for the 400 body (field-level errors). */
export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}
