// The line form: choosing an option ticks the people who usually give it, until the manager
// ticks someone by hand. The server checks the givers again.
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector("form.plan-line-form");
    var source = document.getElementById("plan-usual-givers");
    if (!form || !source) {
      return;
    }
    var usual = JSON.parse(source.textContent);
    var option = form.querySelector("[name=option]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("[name=givers]"));
    if (!option) {
      return;
    }
    // Ticked by hand (or kept from the saved line): the manager's choice stays.
    var touched = boxes.some(function (box) { return box.checked; });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () { touched = true; });
    });
    option.addEventListener("change", function () {
      var givers = usual[option.value] || [];
      if (touched || !givers.length) {
        return;
      }
      boxes.forEach(function (box) {
        box.checked = givers.indexOf(box.value) !== -1;
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
