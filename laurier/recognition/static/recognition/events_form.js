// The event form: for professional development, the training hours are proposed from the
// event's duration (when it starts and ends the same day) until the manager types their own,
// and a note says whether attending counts as training. The server checks all of it again.
(function () {
  "use strict";
  var form = document.querySelector(".event-form");
  var source = document.getElementById("event-professional-kinds");
  if (!form || !source) {
    return;
  }
  var professional = JSON.parse(source.textContent);
  function field(name) {
    return form.querySelector("[name=" + name + "]");
  }
  var kind = field("kind");
  var hours = field("training_hours");
  var startDate = field("start_date");
  var startTime = field("start_time");
  var endDate = field("end_date");
  var endTime = field("end_time");
  var decimalSeparator = (document.documentElement.lang || "fr").indexOf("fr") === 0 ? "," : ".";
  var typedByHand = hours && hours.value !== "" && hours.value !== "0" && hours.value !== "0,00" && hours.value !== "0.00";

  function minutes(time) {
    var parts = (time || "").split(":");
    return parts.length < 2 ? null : parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }
  function duration() {
    if (!startDate.value || (endDate.value && endDate.value !== startDate.value)) {
      return null;
    }
    var start = minutes(startTime.value);
    var end = minutes(endTime.value);
    if (start === null || end === null || end <= start) {
      return null;
    }
    // To the quarter hour, as the server proposes it.
    return Math.round((end - start) / 15) / 4;
  }
  function isProfessional() {
    return professional.indexOf(kind.value) !== -1;
  }
  function update() {
    var pd = isProfessional();
    form.querySelector("[data-professional]").hidden = !pd;
    form.querySelector("[data-not-professional]").hidden = pd;
    if (!hours || typedByHand) {
      return;
    }
    var proposed = pd ? duration() : null;
    hours.value = proposed === null ? "" : proposed.toFixed(2).replace(".", decimalSeparator);
  }
  if (hours) {
    hours.addEventListener("input", function () {
      typedByHand = hours.value !== "";
    });
  }
  [kind, startDate, startTime, endDate, endTime].forEach(function (input) {
    if (input) {
      input.addEventListener("change", update);
    }
  });
  update();
})();
