// Draws the "Mentor voice" charts from the JSON the page embeds.
// Each chart is followed by a table with the same figures, the accessible source.
(function () {
  "use strict";
  var COLOURS = ["#2f6b3a", "#c9a227", "#1f5f8b", "#a4412c", "#6b4c9a"];

  function motivations(canvas, data) {
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.counts, backgroundColor: COLOURS[0] }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function factors(canvas, data) {
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (dataset, index) {
          var colour = COLOURS[index % COLOURS.length];
          return {
            label: dataset.label,
            data: dataset.data,
            borderColor: colour,
            backgroundColor: colour,
            spanGaps: true,
            pointRadius: 5,
          };
        }),
      },
      options: { responsive: true, scales: { x: { offset: true }, y: { min: 1, max: 5 } } },
    });
  }

  function intention(canvas, data) {
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.label, data: data.averages, borderColor: COLOURS[0], backgroundColor: COLOURS[0] },
        ],
      },
      options: {
        responsive: true,
        plugins: { legend: { display: false } },
        scales: { x: { offset: true }, y: { min: 0, max: 10 } },
      },
    });
  }

  function draw() {
    var source = document.getElementById("voice-chart-data");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    // Figures to read, not a show: drawn at once (also kinder to people who avoid motion).
    Chart.defaults.animation = false;
    var data = JSON.parse(source.textContent);
    var charts = [
      ["motivations-chart", motivations, data.motivations],
      ["factors-chart", factors, data.factors],
      ["intention-chart", intention, data.intention],
    ];
    charts.forEach(function (chart) {
      var canvas = document.getElementById(chart[0]);
      if (canvas) {
        chart[1](canvas, chart[2]);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
