// Trend charts of key results (objective page). Each <canvas data-okr-chart="{json}"> carries its data, written by
// the server (OkrText.ChartJson) and HTML-attribute-encoded by Razor; no inline script (the CSP forbids it).
// Without JavaScript, or if Chart.js fails to load, the check-in table next to the canvas is the whole story.
(() => {
  'use strict';

  const COLORS = {
    value: '#4f46e5',      // indigo, the app's primary colour
    target: '#15803d',     // green: where we want to be
    baseline: '#6b7280',   // grey: where we started
    confidence: '#b45309', // amber
    grid: '#e5e7eb',
    text: '#4b5563',
  };

  const format = (value, unit, yesNo) => {
    if (value === null || value === undefined) return '—';
    if (yesNo) return value >= 1 ? 'Done' : 'Not yet';
    const text = Number(value).toLocaleString('en-GB', { maximumFractionDigits: 2 });
    return unit ? `${text} ${unit}` : text;
  };

  // Dates as the server writes them elsewhere ("d MMM", invariant English, UTC); Intl's en-GB would say "Sept".
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n) => String(n).padStart(2, '0');
  const dayLabel = (ms) => {
    const d = new Date(ms);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  };
  const fullDate = (ms) => {
    const d = new Date(ms);
    return `${dayLabel(ms)} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  };

  const flatLine = (label, value, count, color, dash) => ({
    label,
    data: Array(count).fill(value),
    borderColor: color,
    backgroundColor: color,
    borderWidth: 1.5,
    borderDash: dash,
    pointRadius: 0,
    pointHoverRadius: 0,
    fill: false,
    yAxisID: 'y',
    order: 3,
  });

  const draw = (canvas) => {
    let data;
    try {
      data = JSON.parse(canvas.dataset.okrChart ?? '');
    } catch {
      return;
    }
    if (!data || !Array.isArray(data.values) || data.values.length === 0 || !Array.isArray(data.at)) return;

    const count = data.at.length;
    const labels = data.at.map(dayLabel);
    const datasets = [{
      label: data.yesNo ? 'Status' : `Value${data.unit ? ` (${data.unit})` : ''}`,
      data: data.values,
      borderColor: COLORS.value,
      backgroundColor: COLORS.value,
      borderWidth: 2.5,
      pointRadius: count > 40 ? 0 : 3,
      pointHoverRadius: 5,
      stepped: data.yesNo ? 'before' : false,
      tension: 0,
      yAxisID: 'y',
      order: 1,
    }];

    if (data.target !== null && data.target !== undefined) {
      datasets.push(flatLine(data.yesNo ? 'Done' : 'Target', data.target, count, COLORS.target, [6, 4]));
    }
    if (data.bandLow !== null && data.bandLow !== undefined) {
      datasets.push(flatLine('Band (low)', data.bandLow, count, COLORS.target, [6, 4]));
    }
    if (data.bandHigh !== null && data.bandHigh !== undefined) {
      datasets.push(flatLine('Band (high)', data.bandHigh, count, COLORS.target, [6, 4]));
    }
    if (data.baseline !== null && data.baseline !== undefined) {
      datasets.push(flatLine('Baseline', data.baseline, count, COLORS.baseline, [2, 3]));
    }

    datasets.push({
      label: 'Confidence (0–10)',
      data: data.confidence,
      borderColor: COLORS.confidence,
      backgroundColor: COLORS.confidence,
      borderWidth: 1.5,
      borderDash: [1, 3],
      pointRadius: count > 40 ? 0 : 2,
      pointStyle: 'rectRot',
      tension: 0,
      yAxisID: 'confidence',
      order: 2,
    });

    // A calm value axis: a little room around the data, the target and the band, never below zero for data that
    // cannot be negative; Chart.js rounds these suggestions to tidy ticks.
    const levels = [...data.values, data.target, data.bandLow, data.bandHigh, data.baseline]
      .filter((v) => v !== null && v !== undefined).map(Number);
    const low = Math.min(...levels);
    const high = Math.max(...levels);
    const pad = (high - low) * 0.12 || Math.abs(high) * 0.1 || 1;
    const suggestedMin = low >= 0 ? Math.max(0, low - pad) : low - pad;
    const suggestedMax = high + pad;

    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const chart = new window.Chart(canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: {
            position: 'bottom',
            labels: { boxWidth: 18, boxHeight: 2, color: COLORS.text, font: { size: 12 } },
          },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? fullDate(data.at[items[0].dataIndex]) : ''),
              label: (item) => {
                if (item.dataset.yAxisID === 'confidence') return `Confidence: ${item.raw} of 10`;
                return `${item.dataset.label}: ${format(item.raw, data.unit, data.yesNo)}`;
              },
            },
          },
        },
        scales: {
          x: {
            grid: { display: false },
            ticks: { color: COLORS.text, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 },
          },
          y: {
            position: 'left',
            grid: { color: COLORS.grid },
            ticks: {
              color: COLORS.text,
              maxTicksLimit: data.yesNo ? 2 : 6,
              callback: (value) => (data.yesNo ? format(value, null, true) : format(value, null, false)),
            },
            title: { display: !data.yesNo && !!data.unit, text: data.unit ?? '', color: COLORS.text, font: { size: 11 } },
            ...(data.yesNo ? { min: 0, max: 1 } : { suggestedMin, suggestedMax }),
          },
          confidence: {
            position: 'right',
            min: 0,
            max: 10,
            grid: { drawOnChartArea: false },
            ticks: { color: COLORS.confidence, stepSize: 5 },
            title: { display: true, text: 'Confidence', color: COLORS.confidence, font: { size: 11 } },
          },
        },
      },
    });
    canvas.dataset.okrChartDrawn = 'true';
    return chart;
  };

  const init = () => {
    if (typeof window.Chart !== 'function') return;
    document.querySelectorAll('canvas[data-okr-chart]').forEach(draw);
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init, { once: true });
  } else {
    init();
  }
})();
