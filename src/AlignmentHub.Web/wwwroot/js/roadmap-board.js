// Roadmap board: drag and drop between and within the Now / Next / Later columns, and the cards' Move forms without a
// page load. Both post the same form the cards use without JavaScript (/roadmap/items/{id}/move), asking for JSON, then
// redraw the board from the server and announce the result in the board's live region.
// Loaded as a file: the CSP forbids inline script. Without it, the Move forms post normally and the page reloads.
(() => {
  'use strict';

  const root = document.querySelector('[data-roadmap-board]');
  if (!root) return;

  const live = document.getElementById('board-live');
  const CARD = '[data-card]';
  let dragged = null;
  let marker = null;

  const announce = (message) => {
    if (!live) return;
    // Clear first so that the same sentence twice in a row is still read out.
    live.textContent = '';
    window.setTimeout(() => { live.textContent = message; }, 60);
  };

  const token = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';

  const enhance = () => {
    root.classList.add('is-enhanced');
    root.querySelectorAll(`${CARD}[data-can-move="true"]`).forEach((card) => card.setAttribute('draggable', 'true'));
  };

  const fallbackMessage = (status) => {
    if (status === 403) return 'You cannot move this item. The board now shows the current state.';
    if (status === 404) return 'This item no longer exists. The board now shows the current state.';
    return 'The move did not go through. The board now shows the current state.';
  };

  // Posts a move; resolves to { ok, message } whatever happens (network errors included).
  const post = async (itemId, fields) => {
    const body = new URLSearchParams(fields);
    if (!body.has('__RequestVerificationToken')) body.set('__RequestVerificationToken', token());
    try {
      const response = await fetch(`/roadmap/items/${encodeURIComponent(itemId)}/move`, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      let data = null;
      try { data = await response.json(); } catch { data = null; }
      if (data && typeof data.message === 'string') return { ok: response.ok && data.ok === true, message: data.message };
      return { ok: false, message: fallbackMessage(response.status) };
    } catch {
      return { ok: false, message: fallbackMessage(0) };
    }
  };

  // Redraws the board (cards, counts, efforts, versions) from the server, then puts the focus back.
  const refresh = async (focus) => {
    let fresh = null;
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (response.ok) {
        const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
        fresh = doc.querySelector('[data-roadmap-board]');
      }
    } catch {
      fresh = null;
    }

    if (!fresh) {
      window.location.reload();
      return;
    }

    root.innerHTML = fresh.innerHTML;
    root.dataset.returnQuery = fresh.dataset.returnQuery ?? root.dataset.returnQuery;
    enhance();
    focus?.();
  };

  const cardById = (id) => root.querySelector(`${CARD}[data-item-id="${CSS.escape(String(id))}"]`);

  const focusTitle = (id) => () => {
    const link = cardById(id)?.querySelector('.board-card-title a');
    link?.focus();
    link?.scrollIntoView({ block: 'nearest' });
  };

  const move = async (card, horizon, before) => {
    const id = card.dataset.itemId;
    // Show the card in its new place at once; the redraw from the server follows.
    const zone = root.querySelector(`[data-drop-zone][data-horizon="${CSS.escape(horizon)}"]`);
    if (zone) zone.insertBefore(card, before);
    card.classList.add('is-saving');
    const result = await post(id, {
      Horizon: horizon,
      BeforeItemId: before?.dataset.itemId ?? '',
      Version: card.dataset.version ?? '',
      returnQuery: root.dataset.returnQuery ?? '',
    });
    announce(result.message);
    await refresh(focusTitle(id));
  };

  // ---- Drag and drop ----

  const zoneOf = (target) => {
    if (!(target instanceof Element)) return null;
    return target.closest('[data-drop-zone]') ?? target.closest('[data-column]')?.querySelector('[data-drop-zone]') ?? null;
  };

  // The card the dragged one would land before at height y (null = the end of the column).
  const cardBefore = (zone, y) => [...zone.querySelectorAll(`:scope > ${CARD}`)]
    .filter((card) => card !== dragged)
    .find((card) => {
      const box = card.getBoundingClientRect();
      return y < box.top + (box.height / 2);
    }) ?? null;

  const clearMarker = () => {
    marker?.remove();
    marker = null;
    root.querySelectorAll('.is-drop-target').forEach((el) => el.classList.remove('is-drop-target'));
  };

  const showMarker = (zone, before) => {
    if (!marker) {
      marker = document.createElement('li');
      marker.className = 'board-drop-marker';
      marker.setAttribute('aria-hidden', 'true');
    }
    if (marker.parentElement !== zone || marker.nextElementSibling !== before) zone.insertBefore(marker, before);
    root.querySelectorAll('.is-drop-target').forEach((el) => { if (el !== zone) el.classList.remove('is-drop-target'); });
    zone.classList.add('is-drop-target');
  };

  const endDrag = () => {
    dragged?.classList.remove('is-dragging');
    dragged = null;
    clearMarker();
  };

  root.addEventListener('dragstart', (event) => {
    const card = event.target instanceof Element ? event.target.closest(`${CARD}[draggable="true"]`) : null;
    if (!card) return;
    dragged = card;
    card.classList.add('is-dragging');
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', card.dataset.itemId ?? '');
    }
  });

  root.addEventListener('dragover', (event) => {
    const zone = zoneOf(event.target);
    if (!zone || !dragged) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    showMarker(zone, cardBefore(zone, event.clientY));
  });

  root.addEventListener('dragleave', (event) => {
    if (!(event.relatedTarget instanceof Node) || !root.contains(event.relatedTarget)) clearMarker();
  });

  root.addEventListener('drop', (event) => {
    const zone = zoneOf(event.target);
    const card = dragged;
    if (!zone || !card) return;
    event.preventDefault();
    const before = cardBefore(zone, event.clientY);
    endDrag();
    const next = card.nextElementSibling?.matches(CARD) ? card.nextElementSibling : null;
    if (card.parentElement === zone && next === before) {
      announce(`“${card.dataset.title}” is already there.`);
      return;
    }
    move(card, zone.dataset.horizon, before);
  });

  root.addEventListener('dragend', endDrag);

  // ---- The cards' Move forms (the keyboard way), without a page load ----

  root.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('[data-move-form]')) return;
    const card = form.closest(CARD);
    if (!card) return;
    event.preventDefault();

    const fields = new URLSearchParams(new FormData(form));
    const submitter = event.submitter;
    if (submitter instanceof HTMLButtonElement && submitter.name) fields.set(submitter.name, submitter.value);
    const buttons = [...card.querySelectorAll('.board-card-move button')];
    const which = submitter ? buttons.indexOf(submitter) : -1;
    card.classList.add('is-saving');

    const id = card.dataset.itemId;
    const result = await post(id, fields);
    announce(result.message);
    await refresh(() => {
      // Back to the same control on the moved card, its Move menu open, so the next step is one key away.
      const moved = cardById(id);
      const details = moved?.querySelector('details.board-card-move');
      if (!moved || !details) {
        focusTitle(id)();
        return;
      }
      details.open = true;
      const again = [...moved.querySelectorAll('.board-card-move button')][which];
      const target = again && !again.disabled ? again : details.querySelector('summary');
      target?.focus();
      moved.scrollIntoView({ block: 'nearest' });
    });
  });

  enhance();
})();
