// Draws the hours-per-month bar chart from the JSON the dashboard embeds.
// The table next to it stays the accessible source of the same figures.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("hours-chart");
    var source = document.getElementById("hours-chart-data");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.hours, backgroundColor: "#2f6b3a" }],
      },
      options: {
        responsive: true,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true } },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
