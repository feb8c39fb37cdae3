/** Error text for logs: the message only. */
export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Name and code only: Salesforce messages can quote field values (e.g. an invalid email). */
export function errorKind(err: unknown): { name: string; code?: string } {
  if (!(err instanceof Error)) return { name: typeof err };
  const code = (err as { code?: unknown; errorCode?: unknown }).errorCode ?? (err as { code?: unknown }).code;
  return { name: err.name, ...(typeof code === 'string' ? { code } : {}) };
}
