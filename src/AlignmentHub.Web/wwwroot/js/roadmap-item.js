// Item form: the owner list follows the chosen team (an owner is a member of the item's team).
// Without JavaScript every team's members are listed, grouped by team, and the server checks the choice.
(() => {
  'use strict';

  const init = () => {
    const team = document.querySelector('select[data-item-team]');
    const owner = document.querySelector('select[data-item-owner]');
    if (!(team instanceof HTMLSelectElement) || !(owner instanceof HTMLSelectElement)) return;

    const groups = Array.from(owner.querySelectorAll('optgroup[data-team]'));
    const apply = (onChange) => {
      const selectedGroup = owner.selectedOptions[0]?.parentElement;
      if (!onChange && owner.value !== '' && selectedGroup?.dataset.team !== team.value) {
        // On load, a refused owner from another team stays visible (and submitted) beside its message.
        return;
      }
      let selectedStillShown = owner.value === '';
      groups.forEach((group) => {
        const shown = group.dataset.team === team.value;
        group.hidden = !shown;
        Array.from(group.querySelectorAll('option')).forEach((option) => {
          option.disabled = !shown;
          if (shown && option.selected) selectedStillShown = true;
        });
      });
      if (!selectedStillShown) {
        // The same person may be in several teams: keep them if they are a member of the new team too.
        const previous = owner.value;
        const same = groups.find((g) => g.dataset.team === team.value)?.querySelector(`option[value="${CSS.escape(previous)}"]`);
        if (same instanceof HTMLOptionElement) {
          same.selected = true;
        } else {
          owner.value = '';
        }
      }
    };

    team.addEventListener('change', () => apply(true));
    apply(false);
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
