// The writer's note: how many characters are left before the limit the card allows. The
// browser stops typing at the limit; the server checks it again.
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector("form.note-form");
    if (!form) {
      return;
    }
    var text = form.querySelector("textarea[name=text]");
    var counter = form.querySelector(".note-count");
    if (!text || !counter) {
      return;
    }
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var template = counter.getAttribute("data-template");
    function show() {
      counter.textContent = template.replace("%(count)s", String(Math.max(limit - text.value.length, 0)));
    }
    counter.hidden = false;
    text.addEventListener("input", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
