// The HTML shell: a Lightning Experience-like frame (global header, page header) around the
// package's c-credspark-setup, with the SLDS stylesheet from @salesforce-ux/design-system.
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CredSpark Setup · Preview</title>
<link rel="stylesheet" href="/slds/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #b0c4df; min-height: 100vh; }
  .preview-global { background: #fff; box-shadow: 0 2px 2px rgba(0,0,0,.1); }
  .preview-brand { height: 3rem; padding: 0 1rem; display: flex; align-items: center; gap: .75rem; }
  .preview-nav { height: 2.5rem; padding: 0 1rem; display: flex; align-items: center; border-top: 1px solid #dddbda; }
  .preview-nav .slds-context-bar__label-action { font-size: .875rem; }
  .preview-content { padding: .75rem; }
  .preview-banner { font-size: .75rem; }
  #toasts { position: fixed; top: 5.5rem; left: 0; right: 0; display: flex; flex-direction: column; align-items: center; z-index: 9999; }
</style>
</head>
<body>
<header class="preview-global">
  <div class="preview-brand">
    <span class="slds-icon_container slds-icon-utility-apps" title="App Launcher">
      <svg class="slds-icon slds-icon_small slds-icon-text-default" aria-hidden="true"><use href="/slds/icons/utility-sprite/svg/symbols.svg#apps"></use></svg>
    </span>
    <span class="slds-text-heading_small">CredSpark</span>
    <span class="preview-banner slds-badge slds-badge_lightest slds-m-left_medium">Local preview · data from the local Salesforce org</span>
  </div>
  <nav class="preview-nav slds-context-bar__secondary">
    <span class="slds-text-title_bold">CredSpark Setup</span>
  </nav>
</header>
<div class="preview-content">
  <div class="slds-page-header slds-m-bottom_small">
    <div class="slds-page-header__row"><div class="slds-page-header__col-title"><div class="slds-media">
      <div class="slds-media__figure"><span class="slds-icon_container slds-icon-standard-custom-notification">
        <svg class="slds-icon slds-page-header__icon" aria-hidden="true"><use href="/slds/icons/standard-sprite/svg/symbols.svg#custom_notification"></use></svg>
      </span></div>
      <div class="slds-media__body"><div class="slds-page-header__name"><div class="slds-page-header__name-title">
        <h1><span class="slds-page-header__title slds-truncate" title="CredSpark Setup">CredSpark Setup</span></h1>
      </div></div>
      <p class="slds-page-header__name-meta">Sync CredSpark responses to Contacts and Leads</p></div>
    </div></div></div>
  </div>
  <main id="main"></main>
</div>
<div id="toasts" aria-live="polite"></div>
<script type="module" src="/app.js"></script>
</body>
</html>`;
