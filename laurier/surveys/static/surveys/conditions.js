// Shows a conditional question only while the choice it depends on is picked.
// Without this script every question stays visible, and the server ignores the answers of
// questions whose condition is not met, so the page works the same either way.
(function () {
  "use strict";

  function isPicked(form, fieldName, choice) {
    var picked = false;
    var inputs = form.querySelectorAll('[name="' + fieldName + '"]');
    inputs.forEach(function (input) {
      if (input.value === choice && input.checked) {
        picked = true;
      }
    });
    // A ranking picks every choice that received a rank.
    var rank = form.querySelector('[name="' + fieldName + "-rank-" + choice + '"]');
    if (rank && rank.value !== "") {
      picked = true;
    }
    return picked;
  }

  function questionOfField(form, fieldName) {
    var input = form.querySelector('[name="' + fieldName + '"], [name^="' + fieldName + '-rank-"]');
    return input ? input.closest(".survey-question") : null;
  }

  function update(form) {
    // Questions come in order, so a question's controller is settled before it; a few passes
    // settle a condition that points further down the page.
    var blocks = form.querySelectorAll(".survey-question[data-shown-if-field]");
    for (var pass = 0; pass < 3; pass += 1) {
      blocks.forEach(function (block) {
        var fieldName = block.getAttribute("data-shown-if-field");
        var controller = questionOfField(form, fieldName);
        var shown =
          (!controller || !controller.hidden) &&
          isPicked(form, fieldName, block.getAttribute("data-shown-if-choice"));
        block.hidden = !shown;
      });
    }
  }

  function start() {
    document.querySelectorAll(".survey-answers").forEach(function (form) {
      update(form);
      form.addEventListener("change", function () {
        update(form);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
