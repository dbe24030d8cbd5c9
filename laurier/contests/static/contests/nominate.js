// The nomination's story: how many characters are left before the limit. The browser stops
// typing at the limit; the server checks it again.
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector("form.nominate-form");
    if (!form) {
      return;
    }
    var story = form.querySelector("textarea[name=story]");
    var counter = form.querySelector(".nominate-count");
    if (!story || !counter) {
      return;
    }
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var template = counter.getAttribute("data-template");
    function show() {
      counter.textContent = template.replace("%(count)s", String(Math.max(limit - story.value.length, 0)));
    }
    counter.hidden = false;
    story.addEventListener("input", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
