// Dashboard charts. Each <canvas data-dash-chart="effort|trend|focus" data-chart="{json}"> carries its data, written
// by the server and HTML-attribute-encoded by Razor; no inline script (the CSP forbids it). Every chart has a table
// with the same figures beside it, so without JavaScript nothing is lost.
(() => {
  'use strict';

  const COLORS = {
    bar: '#4f46e5',      // indigo, the app's primary colour
    inversion: '#b45309', // amber: effort against rank
    line: '#4f46e5',
    grid: '#e5e7eb',
    text: '#4b5563',
  };

  const percentAxis = (max) => ({
    beginAtZero: true,
    suggestedMax: max,
    ticks: { color: COLORS.text, callback: (v) => `${v} %` },
    grid: { color: COLORS.grid },
  });

  // Long goal titles crowd a phone-width chart: the table beside it has them in full.
  const shorten = (label, max) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

  const build = (kind, data, canvas) => {
    switch (kind) {
      case 'effort':
      case 'focus':
        return {
          type: 'bar',
          data: {
            labels: data.labels.map((l) => shorten(l, canvas.clientWidth < 420 ? 16 : 28)),
            datasets: [{
              label: 'Share of aligned effort',
              data: data.share,
              backgroundColor: data.labels.map((_, i) => (data.inversion && data.inversion[i] ? COLORS.inversion : COLORS.bar)),
              borderRadius: 3,
            }],
          },
          options: {
            indexAxis: 'y',
            maintainAspectRatio: false,
            layout: { padding: { left: 4, right: 8 } },
            animation: false,
            plugins: {
              legend: { display: false },
              tooltip: { callbacks: { title: (items) => data.labels[items[0].dataIndex], label: (item) => `${item.parsed.x} % of aligned effort` } },
            },
            scales: { x: percentAxis(100), y: { ticks: { color: COLORS.text }, grid: { display: false } } },
          },
        };
      case 'trend':
        return {
          type: 'line',
          data: {
            labels: data.labels,
            datasets: [{ label: 'Alignment score', data: data.score, borderColor: COLORS.line, backgroundColor: COLORS.line, tension: 0.2, pointRadius: 4 }],
          },
          options: {
            maintainAspectRatio: false,
            animation: false,
            plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => `Score ${item.parsed.y} / 100` } } },
            scales: {
              y: { min: 0, max: 100, ticks: { color: COLORS.text }, grid: { color: COLORS.grid } },
              x: { ticks: { color: COLORS.text }, grid: { display: false } },
            },
          },
        };
      default:
        return null;
    }
  };

  const draw = (canvas) => {
    let data;
    try {
      data = JSON.parse(canvas.dataset.chart ?? '');
    } catch {
      return;
    }

    const config = build(canvas.dataset.dashChart, data, canvas);
    if (config) {
      // eslint-disable-next-line no-new
      new window.Chart(canvas, config);
    }
  };

  const start = () => {
    if (typeof window.Chart !== 'function') return;
    document.querySelectorAll('canvas[data-dash-chart]').forEach(draw);
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
