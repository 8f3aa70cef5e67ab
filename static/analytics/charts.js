/* Draws the analytics charts with the vendored Chart.js.

   A chart is a <canvas data-chart="ID"> next to <script type="application/json" id="ID"> made by Django's
   json_script: {type, title, labels, datasets: [{label, data, type?, stack?}], unit, horizontal, stacked}.
   Charts are (re)drawn when the page loads and whenever htmx swaps content in, so a filtered fragment gets
   its charts without any other code; a redrawn canvas first lets go of its old chart. */
(function () {
  "use strict";

  var PALETTE = ["#2f6fde", "#12a150", "#e5793b", "#8e57d8", "#d64545", "#1aa3b8", "#b8961a", "#596275"];

  function formatter(unit) {
    var lang = document.documentElement.lang || undefined;
    var digits = unit === "percent" || unit === "days" ? 1 : 0;
    var number = new Intl.NumberFormat(lang, { maximumFractionDigits: digits });
    return function (value) {
      if (value === null || value === undefined) return "—";
      return number.format(value) + (unit === "percent" ? " %" : "");
    };
  }

  var LABEL_LENGTH = 34;

  function shortened(label) {
    label = String(label);
    return label.length > LABEL_LENGTH ? label.slice(0, LABEL_LENGTH - 1) + "…" : label;
  }

  function dataset(spec, index) {
    var color = spec.color || PALETTE[index % PALETTE.length];
    var line = spec.type === "line";
    var styled = {
      backgroundColor: line ? color : color + "cc",
      borderColor: color,
      borderWidth: line ? 2 : 0,
      pointRadius: line ? 3 : 0,
      pointBackgroundColor: color,
      // Monotone curves never swing below zero between two months without sales.
      cubicInterpolationMode: "monotone",
      maxBarThickness: 36,
      // A line is drawn over the bars (a lower order is drawn later); the legend keeps the given order.
      order: line ? 0 : 1
    };
    Object.keys(spec).forEach(function (key) { if (key !== "color") styled[key] = spec[key]; });
    return styled;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    if (canvas.sdelkaChart) canvas.sdelkaChart.destroy();
    var format = formatter(spec.unit);
    var valueTicks = { callback: function (value) { return format(value); } };
    if (spec.unit === "int") valueTicks.precision = 0;
    var valueAxis = { beginAtZero: true, stacked: spec.stacked, ticks: valueTicks };
    var categoryAxis = {
      stacked: spec.stacked,
      ticks: {
        autoSkip: !spec.horizontal,
        callback: function (value) { return shortened(this.getLabelForValue(value)); }
      }
    };
    var datasets = spec.datasets.map(dataset);
    canvas.sdelkaChart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: {
            display: datasets.length > 1,
            labels: { sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } }
          },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? spec.labels[items[0].dataIndex] : ""; },
              label: function (item) {
                var value = spec.horizontal ? item.parsed.x : item.parsed.y;
                return item.dataset.label + ": " + format(value);
              }
            }
          }
        }
      }
    });
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("canvas[data-chart]")) draw(scope);
    scope.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.detail && event.detail.elt); });
})();
