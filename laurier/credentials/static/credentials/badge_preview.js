// The badge form's live preview: each change of shape, colours, emblem or text asks the server
// for the drawing of the new design. Without JavaScript the preview changes when the form is saved.
(function () {
  "use strict";
  var preview = document.getElementById("badge-preview");
  var form = preview && preview.closest("form");
  if (!form) {
    return;
  }
  var base = preview.getAttribute("data-preview-url");
  var timer = null;
  function checked(name) {
    var input = form.querySelector("[name=" + name + "]:checked");
    return input ? input.value : null;
  }
  function refresh() {
    var shape = checked("shape");
    var palette = checked("palette");
    var emblem = checked("emblem");
    var label = form.querySelector("[name=label]");
    if (!shape || !palette || !emblem) {
      return;
    }
    var query = new URLSearchParams({
      shape: shape,
      palette: palette,
      emblem: emblem,
      label: label ? label.value : "",
    });
    preview.src = base + "?" + query.toString();
  }
  // An unknown design (a label too long) answers 400: keep the last drawing rather than none.
  var lastGood = preview.src;
  preview.addEventListener("load", function () {
    lastGood = preview.src;
  });
  preview.addEventListener("error", function () {
    if (preview.src !== lastGood) {
      preview.src = lastGood;
    }
  });
  form.addEventListener("change", function (event) {
    if (["shape", "palette", "emblem", "label"].indexOf(event.target.name) !== -1) {
      refresh();
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.name === "label") {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    }
  });
})();
