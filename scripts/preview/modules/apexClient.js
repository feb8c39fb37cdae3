// Preview-only: how the page reaches "Apex". In Salesforce, @salesforce/apex/<Class>.<method>
// imports call the Apex method over the Lightning data service; here they POST to the preview
// server's small API (scripts/preview/src/previewApi.ts), which reads and writes the local org.
// Errors are shaped like Apex AuraHandledException errors ({ body: { message } }) so that
// c/ldsUtils reduceErrors handles them as it does in Salesforce.
export async function callApex(method, params, className = 'CredSparkSetupController') {
  const res = await fetch(`/preview-api/apex/${className}.${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params || {}),
  });
  const body = await res.json().catch(() => ({ message: res.statusText }));
  if (!res.ok) {
    const error = new Error(body.message || res.statusText);
    error.body = { message: body.message || res.statusText };
    error.status = res.status;
    throw error;
  }
  return body.result;
}

// Wired results by the object handed to the component, so refreshApex(result) finds its adapter.
export const wiredResults = new WeakMap();

/** An Apex method import: callable imperatively and usable with @wire (cacheable=true methods). */
export function apexMethod(method, className) {
  const fn = (params) => callApex(method, params, className);
  fn.adapter = class ApexWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = {};
      this.connected = false;
    }
    // The engine calls connect() and then update(config) (also for a wire without parameters):
    // the call happens in update, once the config is known.
    connect() {
      this.connected = true;
    }
    update(config) {
      this.config = config || {};
      if (this.connected) this.fetch();
    }
    disconnect() {
      this.connected = false;
    }
    fetch() {
      // Like Salesforce's Apex wire adapter: no call while a reactive parameter is undefined.
      if (Object.values(this.config).some((v) => v === undefined)) return Promise.resolve();
      return callApex(method, this.config, className).then(
        (data) => this.emit({ data, error: undefined }),
        (error) => this.emit({ data: undefined, error }),
      );
    }
    emit(result) {
      wiredResults.set(result, this);
      if (this.connected) this.dataCallback(result);
    }
  };
  return fn;
}
