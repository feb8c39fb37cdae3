// Compiles the REAL force-app LWC components (the same files, not copies) for the browser with
// LWC's rollup plugin: c/* → force-app/main/default/lwc, lightning/* → the open-source Lightning
// base components, and preview-only stand-ins (scripts/preview/modules) for what Salesforce
// provides at runtime (Apex imports, UI API wire adapters, empApi, toasts, @salesforce/schema).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import lwc from '@lwc/rollup-plugin';
import { rollup, type Plugin } from 'rollup';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const LWC_DIR = path.join(ROOT, 'force-app', 'main', 'default', 'lwc');
const PREVIEW = path.resolve(__dirname, '..');
const MODULES = path.join(PREVIEW, 'modules');

/** Modules Salesforce provides at runtime, answered by preview-only files. */
const RUNTIME: Record<string, string> = {
  '@salesforce/apex': 'apex.js',
  '@salesforce/apex/CredSparkSetupController.getSetup': 'getSetup.js',
  '@salesforce/apex/CredSparkSetupController.getInteractionDetails': 'getInteractionDetails.js',
  '@salesforce/apex/CredSparkSetupController.saveSyncRule': 'saveSyncRule.js',
  'lightning/uiObjectInfoApi': 'uiObjectInfoApi.js',
  'lightning/empApi': 'empApi.js',
  'lightning/platformShowToastEvent': 'platformShowToastEvent.js',
};

const SCHEMA = '@salesforce/schema/';
// Any other Apex method import (`@salesforce/apex/<Class>.<method>`) becomes a preview call to the
// same class and method (scripts/preview/src/previewServer.ts answers the ones it knows).
const APEX = /^@salesforce\/apex\/(\w+)\.(\w+)$/;

/** Resolves the runtime modules before the LWC resolver sees them. */
function salesforceRuntime(): Plugin {
  return {
    name: 'credspark-preview-runtime',
    resolveId(source) {
      if (RUNTIME[source]) return path.join(MODULES, RUNTIME[source]);
      if (source.startsWith(SCHEMA)) return `\0schema:${source.slice(SCHEMA.length)}`;
      if (APEX.test(source)) return `\0apex:${source.slice('@salesforce/apex/'.length)}`;
      return null;
    },
    // The base components ask import.meta.env.SSR (set by their SSR build); this is the browser.
    transform(code, id) {
      if (!id.includes('lightning-base-components') || !code.includes('import.meta.env')) return null;
      return { code: code.replace(/import\.meta\.env\.SSR/g, 'false'), map: null };
    },
    // @salesforce/schema/Object or Object.Field → the same { objectApiName, fieldApiName } shape
    // Salesforce hands the component (unpackaged names, as in a scratch org).
    load(id) {
      if (id.startsWith('\0apex:')) {
        const [className, method] = id.slice('\0apex:'.length).split('.');
        const client = JSON.stringify(path.join(MODULES, 'apexClient.js'));
        return `import { apexMethod } from ${client};\nexport default apexMethod(${JSON.stringify(method)}, ${JSON.stringify(className)});`;
      }
      if (!id.startsWith('\0schema:')) return null;
      const [objectApiName, fieldApiName] = id.slice('\0schema:'.length).split('.');
      const value = fieldApiName ? { objectApiName, fieldApiName } : { objectApiName };
      return `export default ${JSON.stringify(value)};`;
    },
  };
}

/** c/<name> for every component folder of the package. */
function packageModules() {
  return readdirSync(LWC_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: `c/${d.name}`, path: path.join(LWC_DIR, d.name, `${d.name}.js`) }));
}

/** Builds app/main.js into ES module chunks by file name (the icon templates load on demand). */
export async function buildBundle(): Promise<Map<string, string>> {
  const bundle = await rollup({
    input: path.join(PREVIEW, 'app', 'main.js'),
    plugins: [
      salesforceRuntime(),
      lwc({
        rootDir: path.join(PREVIEW, 'app'),
        modules: [...packageModules(), { npm: 'lightning-base-components' }],
        // Lightning Experience runs components in synthetic shadow, where the global SLDS stylesheet
        // reaches inside base components; the page loads @lwc/synthetic-shadow first for the same look.
        enableDynamicComponents: true,
        // Base components (combobox) call attachInternals, which synthetic shadow allows only with this.
        enableSyntheticElementInternals: true,
      }),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      // The base components' own template warnings (duplicate slots in card) are theirs, not ours.
      if (
        warning.id?.includes(`${path.sep}lightning-base-components${path.sep}`) ||
        warning.message.includes('lightning-base-components/')
      )
        return;
      warn(warning);
    },
  });
  try {
    const { output } = await bundle.generate({
      format: 'esm',
      entryFileNames: 'app.js',
      // The engine and base components read process.env.NODE_ENV, as bundlers define it for browsers.
      banner: "var process = { env: { NODE_ENV: 'production' } };",
    });
    return new Map(output.map((o) => [o.fileName, o.type === 'chunk' ? o.code : String(o.source)]));
  } finally {
    await bundle.close();
  }
}
