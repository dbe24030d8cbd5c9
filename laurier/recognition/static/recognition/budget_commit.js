// The commitment form: shows only the part (catalog option or other amounts) that is chosen,
// and what the chosen option costs × the quantity. The server computes the amounts again.
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector("form.budget-commit-form");
    var source = document.getElementById("option-costs-data");
    if (!form || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var output = document.getElementById("option-costs");
    var option = form.querySelector("[name=option]");
    var quantity = form.querySelector("[name=quantity]");
    var language = data.language || document.documentElement.lang || "fr-CA";

    function chosenSource() {
      var checked = form.querySelector("[name=source]:checked");
      return checked ? checked.value : "option";
    }
    function toggle() {
      var chosen = chosenSource();
      form.querySelectorAll("fieldset[data-source]").forEach(function (fieldset) {
        fieldset.hidden = fieldset.getAttribute("data-source") !== chosen;
      });
    }
    function showCosts() {
      if (!output || !option) {
        return;
      }
      var costs = data.options[option.value];
      var count = parseInt(quantity && quantity.value, 10);
      if (!costs || !(count >= 1)) {
        output.textContent = "";
        return;
      }
      var money = (parseFloat(costs.money) * count).toLocaleString(language, {
        style: "currency",
        currency: data.currency,
      });
      var hours = parseFloat(costs.staff_hours) * count;
      var items = costs.material_items * count;
      output.textContent = data.template
        .replace("{money}", money)
        .replace("{hours}", counted(data.hours, hours))
        .replace("{items}", counted(data.items, items));
    }
    // "1,5 heure" but "1.5 hours": the page's language decides the form (one or other).
    var plurals = new Intl.PluralRules(language);
    function counted(forms, value) {
      var form = plurals.select(value) === "one" ? forms.one : forms.other;
      return form.replace("{count}", value.toLocaleString(language));
    }
    form.querySelectorAll("[name=source]").forEach(function (radio) {
      radio.addEventListener("change", toggle);
    });
    if (option) {
      option.addEventListener("change", showCosts);
    }
    if (quantity) {
      quantity.addEventListener("input", showCosts);
    }
    toggle();
    showCosts();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
