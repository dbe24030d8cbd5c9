// Draws a budget's burn chart: cumulative committed and spent per month against the allocation.
// The table under it holds the same figures and stays the accessible source.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("budget-burn-chart");
    var source = document.getElementById("budget-burn-data");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.committed_label, data: data.committed, borderColor: "#b07d00", backgroundColor: "#b07d00", borderDash: [6, 4] },
          { label: data.spent_label, data: data.spent, borderColor: "#2f6b3a", backgroundColor: "#2f6b3a" },
          { label: data.allocated_label, data: data.allocated, borderColor: "#8a1c14", backgroundColor: "#8a1c14", pointRadius: 0, borderWidth: 2 },
        ],
      },
      options: {
        responsive: true,
        plugins: { legend: { position: "bottom" } },
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
