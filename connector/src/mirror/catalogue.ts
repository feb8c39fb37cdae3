import { createHash } from 'node:crypto';
import type { InteractionCatalogueRecord } from '../store/types';
import type { KnownEvent } from '../intake/webhookSchema';

type CatalogueInput = Omit<InteractionCatalogueRecord, 'mirroredHash'>;

/**
 * The interaction catalogue an event tells us about (SPEC §4): `interaction.updated` carries the
 * fields; a `response.completed` carries them as its answers (key, label, type). The content hash
 * decides whether the org's CredSpark_Interaction__mdt record must be rewritten.
 */
export function catalogueFromEvent(event: KnownEvent, now: Date): CatalogueInput | undefined {
  let interactionId: string;
  let name: string;
  let fields: { key: string; label: string; type: string }[];
  if (event.type === 'interaction.updated') {
    ({ id: interactionId, name } = event.data.interaction);
    fields = event.data.interaction.fields.map(({ key, label, type }) => ({ key, label, type }));
  } else if (event.type === 'response.completed') {
    ({ id: interactionId, name } = event.data.interaction);
    fields = event.data.answers.map(({ key, label, type }) => ({ key, label, type }));
  } else {
    return undefined;
  }
  const fieldsJson = JSON.stringify(fields);
  const contentHash = createHash('sha256')
    .update(JSON.stringify([name, fieldsJson]))
    .digest('hex');
  return { accountId: event.accountId, interactionId, name, fieldsJson, contentHash, updatedAt: now };
}
