// Draws every insights chart from the JSON the page embeds (`insights-charts`), one canvas per
// key: <canvas data-chart="key">. Each chart is followed by a table with the same figures.
//
// A chart's spec, as the views build it:
//   {type: "bar" | "line", labels: [...], datasets: [{label, data: [...]}],
//    horizontal: bool, stacked: bool, percent: bool (values are 0–100 shares),
//    min: number, max: number (value axis), legend: bool}
(function () {
  "use strict";
  // Dark enough for text contrast on white, and told apart by people with colour-blindness.
  var COLOURS = ["#2f6b3a", "#b8860b", "#1f5f8b", "#a4412c", "#6b4c9a", "#4d4d4d"];

  function axis(spec) {
    var value = { beginAtZero: true, stacked: !!spec.stacked, ticks: { precision: 0 } };
    if (spec.min !== undefined) { value.min = spec.min; }
    if (spec.max !== undefined) { value.max = spec.max; }
    if (spec.percent) {
      value.max = spec.max !== undefined ? spec.max : 100;
      value.ticks.callback = function (tick) { return tick + " %"; };
    }
    var category = { stacked: !!spec.stacked, offset: true };
    return spec.horizontal ? { x: value, y: category } : { x: category, y: value };
  }

  // Bars laid sideways get a row each; other charts a fixed height that reads on a phone too.
  function height(spec) {
    if (spec.horizontal) {
      var bars = spec.labels.length * (spec.stacked ? 1 : spec.datasets.length);
      return Math.max(140, 60 + bars * 26);
    }
    return window.innerWidth < 600 ? 240 : 300;
  }

  function draw(canvas, spec) {
    canvas.parentNode.style.height = height(spec) + "px";
    new Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          var colour = dataset.colour || COLOURS[index % COLOURS.length];
          return {
            label: dataset.label,
            data: dataset.data,
            borderColor: colour,
            backgroundColor: colour,
            spanGaps: true,
            pointRadius: 4,
          };
        }),
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: spec.legend !== undefined ? spec.legend : spec.datasets.length > 1 } },
        scales: axis(spec),
      },
    });
  }

  function drawAll() {
    var source = document.getElementById("insights-charts");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    // Figures to read, not a show: drawn at once (also kinder to people who avoid motion).
    Chart.defaults.animation = false;
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.dataset.chart];
      if (spec) {
        draw(canvas, spec);
      }
    });
  }

  // Custom dates matter only for "Dates of my choice".
  function followPeriod() {
    var period = document.getElementById("id_period");
    if (!period) {
      return;
    }
    function update() {
      document.querySelectorAll("[data-custom-period]").forEach(function (label) {
        label.hidden = period.value !== "custom";
      });
    }
    period.addEventListener("change", update);
    update();
  }

  function start() {
    drawAll();
    followPeriod();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
