// The award forms: choosing a moment proposes its date, choosing a recognition ticks the
// people who usually give it (until the manager ticks someone by hand), and the message shows
// how many characters are left. The server checks all of it again.
(function () {
  "use strict";
  function json(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }
  function countCharacters(form) {
    var message = form.querySelector("[name=message]");
    var counter = form.querySelector(".award-count");
    if (!message || !counter) {
      return;
    }
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var template = counter.getAttribute("data-template");
    function show() {
      counter.textContent = template.replace("%(count)s", String(limit - message.value.length));
    }
    counter.hidden = false;
    message.addEventListener("input", show);
    show();
  }
  function proposeMomentDates(form) {
    var dates = json("award-moment-dates");
    var moment = form.querySelector("[name=moment_key]");
    var day = form.querySelector("[name=planned_on]");
    if (!dates || !moment || !day) {
      return;
    }
    moment.addEventListener("change", function () {
      if (dates[moment.value]) {
        day.value = dates[moment.value];
      }
    });
  }
  function tickUsualGivers(form) {
    var usual = json("award-usual-givers");
    var option = form.querySelector("select[name=option]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("[name=givers]"));
    if (!usual || !option) {
      return;
    }
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
  function setUp() {
    var form = document.querySelector("form.award-form");
    if (!form) {
      return;
    }
    countCharacters(form);
    proposeMomentDates(form);
    tickUsualGivers(form);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
