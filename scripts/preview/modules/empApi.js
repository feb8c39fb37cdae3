// Preview-only lightning/empApi. In Salesforce it streams platform events over CometD; here the
// preview server streams the CredSpark_Deployment__e events it publishes after a "deployment"
// over Server-Sent Events. Same API: subscribe(channel, replayId, callback) → Promise<subscription>
// and the callback receives { channel, data: { event: { replayId }, payload } }.
let source;
const listeners = new Map();
let nextId = 0;

function ensureSource() {
  if (source) return Promise.resolve();
  source = new EventSource('/preview-api/events');
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    listeners.forEach((l) => {
      if (l.channel === event.channel) l.callback(event);
    });
  };
  // Resolve once the stream is open: like CometD's handshake before subscribe() resolves.
  return new Promise((resolve) => {
    source.onopen = () => resolve();
  });
}

export async function subscribe(channel, replayId, callback) {
  await ensureSource();
  const id = ++nextId;
  listeners.set(id, { channel, callback });
  return { id, channel, replayId };
}

export function unsubscribe(subscription, callback) {
  if (subscription) listeners.delete(subscription.id);
  if (callback) callback({ successful: true });
  return Promise.resolve({ successful: true });
}

export function onError() {}
export function setDebugFlag() {}
export function isEmpEnabled() {
  return Promise.resolve(true);
}
