// The line form: choosing an option ticks the people who usually give it, until the manager
// ticks someone by hand; the moments offered are those the option is given at and, once a
// mentor is chosen, no other mentor's anniversary. The server checks all of it again.
(function () {
  "use strict";
  function json(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }
  function setUp() {
    var form = document.querySelector("form.plan-line-form");
    var usual = json("plan-usual-givers");
    var rules = json("plan-moment-rules");
    if (!form || !usual) {
      return;
    }
    var option = form.querySelector("[name=option]");
    var mentor = form.querySelector("[name=mentor]");
    var moment = form.querySelector("[name=moment]");
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
    if (!rules || !moment) {
      return;
    }
    function offerFittingMoments() {
      var who = mentor ? mentor.value : "";
      var kinds = option.value ? rules.offered[option.value] || [] : [];
      Array.prototype.forEach.call(moment.options, function (choice) {
        if (!choice.value) {
          return;
        }
        var owner = rules.owners[choice.value];
        var unfit = (owner && who && String(owner) !== who) ||
          (kinds.length && kinds.indexOf(rules.kinds[choice.value]) === -1);
        choice.disabled = Boolean(unfit);
        choice.hidden = Boolean(unfit);
        if (unfit && choice.selected) {
          moment.value = "";
        }
      });
    }
    option.addEventListener("change", offerFittingMoments);
    if (mentor) {
      mentor.addEventListener("change", offerFittingMoments);
    }
    offerFittingMoments();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
