// Alignment page: a "select all on this page" box and a live count on the "Link selected" button.
// Without JavaScript the page still works: tick rows one by one, or use the "Link all … shown" button.
(() => {
  'use strict';

  const init = () => {
    const form = document.querySelector('form[data-relink-form]');
    if (!form) return;
    const boxes = Array.from(form.querySelectorAll('input[data-orphan-check]'));
    const all = form.querySelector('input[data-select-all]');
    const wrap = form.querySelector('[data-select-all-wrap]');
    const button = form.querySelector('[data-relink-selected]');
    if (boxes.length === 0) return;

    const update = () => {
      const ticked = boxes.filter((b) => b.checked).length;
      if (all) {
        all.checked = ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      }
      if (button) button.textContent = ticked > 0 ? `Link ${ticked} selected` : 'Link selected';
    };

    if (all && wrap) {
      wrap.hidden = false;
      all.addEventListener('change', () => {
        boxes.forEach((b) => { b.checked = all.checked; });
        update();
      });
    }
    boxes.forEach((b) => b.addEventListener('change', update));
    update();
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init, { once: true });
  } else {
    init();
  }
})();
