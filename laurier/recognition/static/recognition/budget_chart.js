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
    // Figures in the page's language (not the browser's), money with its currency.
    var format = new Intl.NumberFormat(
      data.language,
      data.currency ? { style: "currency", currency: data.currency } : {}
    ).format;
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
        // The box's CSS height (budgets.css) decides: at a 2:1 ratio a phone-wide chart
        // left a plot area about 10 px high under its legend.
        maintainAspectRatio: false,
        locale: data.language,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                return data.tooltip
                  .replace("{series}", context.dataset.label)
                  .replace("{value}", format(context.parsed.y));
              },
            },
          },
        },
        scales: {
          y: {
            beginAtZero: true,
            ticks: {
              callback: function (value) {
                return format(value);
              },
            },
          },
        },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
