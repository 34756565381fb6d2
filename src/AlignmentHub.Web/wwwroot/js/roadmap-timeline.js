// Roadmap timeline: where the table scrolls sideways (phones), start the scroll at the current quarter; the previous
// quarter is mostly history and would otherwise fill the first screen. Without JavaScript the table starts at the left.
(() => {
  'use strict';
  const start = () => {
    document.querySelectorAll('.timeline-scroll').forEach((frame) => {
      const current = frame.querySelector('thead th.timeline-quarter.is-current');
      const itemColumn = frame.querySelector('thead th:first-child');
      if (!current || !itemColumn || frame.scrollWidth <= frame.clientWidth) {
        return;
      }

      // The item column is sticky: scroll so the current quarter sits just right of it.
      frame.scrollLeft = Math.max(0, current.offsetLeft - itemColumn.offsetWidth);
    });
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
