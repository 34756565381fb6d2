// AlignmentHub progressive enhancements. Loaded as an external file: the CSP forbids inline script.
(() => {
  'use strict';

  const AUTODISMISS_MS = 8000;
  const FADE_MS = 600;

  // (a) <form data-confirm="Delete this goal?"> asks before submitting.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const message = form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // After a rejected form, move focus to the first field with an error so keyboard and screen-reader users land on it.
  document.addEventListener('DOMContentLoaded', () => {
    const invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid instanceof HTMLElement) invalid.focus();
  });

  // (b) <div class="alert ..." data-autodismiss> fades out after 8 s.
  const dismissAlert = (alert) => {
    if (window.bootstrap?.Alert && alert.classList.contains('fade')) {
      window.bootstrap.Alert.getOrCreateInstance(alert).close();
      return;
    }
    alert.classList.add('ah-fading');
    window.setTimeout(() => alert.remove(), FADE_MS);
  };

  const initAutodismiss = () => {
    document.querySelectorAll('.alert[data-autodismiss]').forEach((alert) => {
      let timer = window.setTimeout(() => dismissAlert(alert), AUTODISMISS_MS);
      // Keep the message while the user is reading or interacting with it.
      const pause = () => { window.clearTimeout(timer); timer = 0; };
      const resume = () => {
        if (!timer) timer = window.setTimeout(() => dismissAlert(alert), AUTODISMISS_MS);
      };
      alert.addEventListener('mouseenter', pause);
      alert.addEventListener('focusin', pause);
      alert.addEventListener('mouseleave', resume);
      alert.addEventListener('focusout', resume);
    });
  };

  // (c) <textarea data-maxlength-counter data-counter-target="id" maxlength="4000">
  //     writes "n / max" (or just "n characters") into the element with that id.
  const initCounters = () => {
    document.querySelectorAll('textarea[data-maxlength-counter]').forEach((textarea) => {
      const targetId = textarea.dataset.counterTarget;
      const output = targetId ? document.getElementById(targetId) : null;
      if (!output) return;

      const attr = textarea.getAttribute('maxlength') ?? textarea.dataset.maxlengthCounter;
      const max = Number.parseInt(attr ?? '', 10);
      const hasMax = Number.isFinite(max) && max > 0;
      if (!output.hasAttribute('aria-live')) output.setAttribute('aria-live', 'polite');

      const update = () => {
        const length = textarea.value.length;
        output.textContent = hasMax ? `${length} / ${max}` : `${length} characters`;
        output.classList.toggle('is-over', hasMax && length > max);
      };
      textarea.addEventListener('input', update);
      update();
    });
  };

  const init = () => {
    initAutodismiss();
    initCounters();
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init, { once: true });
  } else {
    init();
  }
})();
