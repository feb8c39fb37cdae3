// Preview-only lightning/uiObjectInfoApi: getObjectInfo and getPicklistValues wire adapters backed
// by the local org's describe (the preview server turns describe into the UI API shapes).
function adapterFor(path, ready) {
  return class {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
    }
    connect() {}
    disconnect() {}
    update(config) {
      this.config = config;
      if (!ready(config)) return;
      fetch(path(config))
        .then(async (res) => {
          const body = await res.json();
          if (!res.ok) throw Object.assign(new Error(body.message), { body });
          return body;
        })
        .then(
          (data) => this.config === config && this.dataCallback({ data, error: undefined }),
          (error) => this.config === config && this.dataCallback({ data: undefined, error }),
        );
    }
  };
}

const objectName = (o) => (o && typeof o === 'object' ? o.objectApiName : o);

export const getObjectInfo = adapterFor(
  (c) => `/preview-api/ui-api/object-info/${encodeURIComponent(objectName(c.objectApiName))}`,
  (c) => Boolean(c && objectName(c.objectApiName)),
);

// fieldApiName is "Object.Field" (or a @salesforce/schema field reference).
const fieldPath = (f) => (f && typeof f === 'object' ? `${f.objectApiName}.${f.fieldApiName}` : f);

export const getPicklistValues = adapterFor(
  (c) => {
    const [object, field] = fieldPath(c.fieldApiName).split('.');
    return `/preview-api/ui-api/object-info/${encodeURIComponent(object)}/picklist-values/${encodeURIComponent(c.recordTypeId)}/${encodeURIComponent(field)}`;
  },
  (c) => Boolean(c && c.recordTypeId && fieldPath(c.fieldApiName)),
);
