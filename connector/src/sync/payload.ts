import { responseCompletedSchema, type Answer } from '../intake/webhookSchema';
import type { ClaimedResponse } from '../store/types';

/** What the sync engine needs from a stored `response.completed` body. */
export interface ResponsePayload {
  responseId: string;
  interactionId: string;
  interactionName: string;
  completedAt: Date;
  score: number | null;
  answers: Map<string, Answer['value']>;
}

/** Parses the stored webhook body (validated at intake, re-checked here: a boundary). */
export function parsePayload(r: ClaimedResponse): ResponsePayload | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch {
    return { error: 'The stored event body is not JSON' };
  }
  const parsed = responseCompletedSchema.safeParse(json);
  if (!parsed.success)
    return {
      error: `The stored event is not a valid response.completed: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    };
  const d = parsed.data.data;
  return {
    responseId: d.responseId,
    interactionId: d.interaction.id,
    interactionName: d.interaction.name,
    completedAt: new Date(d.completedAt),
    score: d.score ?? null,
    answers: new Map(d.answers.map((a) => [a.key, a.value])),
  };
}

/** The value of a mappable CredSpark field: an answer key or one of SPEC §4's `$` fields. */
export function sourceValue(p: ResponsePayload, key: string): unknown {
  switch (key) {
    case '$response_id':
      return p.responseId;
    case '$interaction_name':
      return p.interactionName;
    case '$completed_at':
      return p.completedAt.toISOString();
    case '$score':
      return p.score;
    default:
      return p.answers.get(key);
  }
}
