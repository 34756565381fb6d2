// The objective form with JavaScript (an external file: the CSP forbids inline script).
// Without it the form works the same through the server: "Add key result" and "Remove" are submit buttons
// (formAction=add / remove:{i}) that show the form again with one row more or less, and every field is visible.
// With it: rows are added from a <template> and removed in place, indices are renumbered so the rows still bind as
// KeyResults[0..n-1], and each row shows only the fields its metric type and direction use.
(() => {
  'use strict';

  const form = document.querySelector('[data-objective-form]');
  const rows = form?.querySelector('[data-kr-rows]');
  const template = document.getElementById('kr-row-template');
  if (!form || !rows || !(template instanceof HTMLTemplateElement)) return;

  const max = Number.parseInt(rows.dataset.krMax ?? '5', 10);
  const addButton = form.querySelector('[data-kr-add]');
  const note = form.querySelector('[data-kr-add-note]');

  const allRows = () => Array.from(rows.querySelectorAll('[data-kr-row]'));

  // KeyResults[3].Title (names, data-valmsg-for) and KeyResults_3__Title (ids, for, aria-describedby).
  const NAME_INDEX = /KeyResults\[(?:\d+|__index__)\]/g;
  const ID_INDEX = /KeyResults_(?:\d+|__index__)__/g;

  const renumber = () => {
    const list = allRows();
    list.forEach((row, i) => {
      row.querySelectorAll('[name]').forEach((el) => {
        if (el.getAttribute('name') !== 'formAction') {
          el.setAttribute('name', el.getAttribute('name').replace(NAME_INDEX, `KeyResults[${i}]`));
        }
      });
      row.querySelectorAll('[data-valmsg-for]').forEach((el) => {
        el.setAttribute('data-valmsg-for', el.getAttribute('data-valmsg-for').replace(NAME_INDEX, `KeyResults[${i}]`));
      });
      row.querySelectorAll('[id], [for], [aria-describedby]').forEach((el) => {
        for (const attr of ['id', 'for', 'aria-describedby']) {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(ID_INDEX, `KeyResults_${i}__`));
        }
      });
      const number = row.querySelector('[data-kr-number]');
      if (number) number.textContent = String(i + 1);
      const remove = row.querySelector('[data-kr-remove]');
      if (remove) {
        remove.value = `remove:${i}`;
        remove.setAttribute('aria-label', `Remove key result ${i + 1}`);
        remove.disabled = list.length <= 1;
      }
    });
    if (addButton) addButton.disabled = list.length >= max;
  };

  const say = (message) => {
    if (note) note.textContent = message;
  };

  // Only the inputs the metric type and direction use; a field with a message stays visible whatever it is.
  const updateRow = (row) => {
    const type = row.querySelector('[data-kr-type]')?.value;
    const direction = row.querySelector('[data-kr-direction]')?.value;
    const yesNo = type === 'Boolean' || type === 'Milestone';
    const show = {
      direction: !yesNo,
      values: !yesNo,
      band: !yesNo && direction === 'StayWithin',
      currency: type === 'Currency',
      unit: type === 'Number' || (type === 'Currency' && (row.querySelector('input[name$=".Unit"]')?.value.trim() ?? '') !== ''),
    };
    row.querySelectorAll('[data-kr-show]').forEach((wrapper) => {
      const hasError = wrapper.querySelector('[aria-invalid="true"]') !== null;
      wrapper.hidden = !(show[wrapper.dataset.krShow] ?? true) && !hasError;
    });
  };

  const addRow = () => {
    if (allRows().length >= max) return;
    const fragment = template.content.cloneNode(true);
    const row = fragment.querySelector('[data-kr-row]');
    rows.appendChild(fragment);
    renumber();
    updateRow(row);
    const count = allRows().length;
    say(count >= max ? `Key result ${count} added. That makes ${max}, the most an objective can have.` : `Key result ${count} added.`);
    row.querySelector('[data-kr-title]')?.focus();
  };

  const removeRow = (row) => {
    const list = allRows();
    if (list.length <= 1) return;
    const index = list.indexOf(row);
    const existing = row.querySelector('input[name$=".KeyResultId"]')?.value;
    const title = row.querySelector('[data-kr-title]')?.value.trim();
    row.remove();
    renumber();
    say(existing
      ? `Key result removed. “${title}” is retired when you save; its check-ins are kept.`
      : 'Key result removed.');
    const remaining = allRows();
    (remaining[Math.min(index, remaining.length - 1)]?.querySelector('[data-kr-title]') ?? addButton)?.focus();
  };

  form.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[name="formAction"]') : null;
    if (!button || !form.contains(button)) return;
    if (button.matches('[data-kr-add]')) {
      event.preventDefault();
      addRow();
    } else if (button.matches('[data-kr-remove]')) {
      event.preventDefault();
      removeRow(button.closest('[data-kr-row]'));
    }
  });

  form.addEventListener('change', (event) => {
    if (event.target instanceof Element && event.target.matches('[data-kr-type], [data-kr-direction]')) {
      updateRow(event.target.closest('[data-kr-row]'));
    }
  });

  // Alignment: the select of the chosen kind only (the server ignores the other one anyway).
  const alignment = form.querySelector('[data-alignment]');
  const updateAlignment = () => {
    if (!alignment) return;
    const chosen = alignment.querySelector('[data-align-choice]:checked')?.value;
    alignment.querySelectorAll('[data-align-target]').forEach((target) => {
      const hasError = target.querySelector('.field-validation-error:not(:empty)') !== null;
      target.hidden = target.dataset.alignTarget !== chosen && !hasError;
    });
  };
  alignment?.addEventListener('change', (event) => {
    if (event.target instanceof Element && event.target.matches('[data-align-choice]')) {
      updateAlignment();
    }
  });

  form.classList.add('kr-enhanced');
  allRows().forEach(updateRow);
  renumber();
  updateAlignment();
})();
