/**
 * The signed-in editor's languages first in page and snippet forms.
 *
 * Why a script of our own: wagtail-modeltranslation's locale picker
 * (wagtail_modeltranslation/js/language_toggles.js) has one default for
 * everybody, because Wagtail's editor-JS hooks never see the request. The
 * server writes this editor's order into #cms-editor-languages
 * (cms/users/editor_languages.py); this file only
 *
 * 1. hands it to the upstream picker through its own settings object
 *    (`wagtailModelTranslations`): button order, and which languages are
 *    open without a click (the others stay hidden, one click away);
 * 2. moves each translated field's copies into that order, so a Czech editor
 *    reads "Title [cs]" above "Title [en]".
 *
 * Hiding and toggling stay upstream's. The fields are moved when the page
 * has been parsed but before DOMContentLoaded, i.e. before Wagtail's Stimulus
 * controllers and the picker (both wait for DOMContentLoaded) start.
 */
(() => {
  const data = document.getElementById('cms-editor-languages');
  if (!data) return;
  const { order, open } = JSON.parse(data.textContent);

  const settings = window.wagtailModelTranslations;
  if (settings) {
    const known = settings.languages;
    settings.languages = [
      ...order.filter((code) => known.includes(code)),
      ...known.filter((code) => !order.includes(code)),
    ];
    settings.locale_picker_default = open.filter((code) => known.includes(code));
  }

  const rank = new Map(order.map((code, index) => [code, index]));
  const suffix = new RegExp(`^(.+)_(${order.join('|')})$`);
  const PANELS = 'section.w-panel, div.w-panel__wrapper';

  /** `{ base, code }` for a panel of one translated field ("title", "cs"), else null. */
  function translationOf(element) {
    if (!element.matches(PANELS)) return null;
    const field = element.querySelector('[data-contentpath]');
    const match = field && suffix.exec(field.dataset.contentpath);
    return match ? { base: match[1], code: match[2] } : null;
  }

  /** Put one field's consecutive language copies into the editor's order. */
  function sortRun(parent, run) {
    if (run.length < 2) return;
    const anchor = run[run.length - 1].element.nextSibling;
    run
      .slice()
      .sort((a, b) => rank.get(a.code) - rank.get(b.code))
      .forEach(({ element }) => parent.insertBefore(element, anchor));
  }

  function reorderFields() {
    const parents = new Set();
    document.querySelectorAll(`form ${PANELS.replace(', ', ', form ')}`).forEach((panel) => {
      parents.add(panel.parentElement);
    });
    parents.forEach((parent) => {
      let run = [];
      Array.from(parent.children).forEach((element) => {
        const translation = translationOf(element);
        if (translation && run.length && run[0].base === translation.base) {
          run.push({ element, ...translation });
          return;
        }
        sortRun(parent, run);
        run = translation ? [{ element, ...translation }] : [];
      });
      sortRun(parent, run);
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('readystatechange', function onInteractive() {
      document.removeEventListener('readystatechange', onInteractive);
      reorderFields();
    });
  } else {
    reorderFields();
  }
})();
