// "Use the suggested risks": adds the known risks of paying mentors to the risks field, once, to be edited.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("use-suggested-risks");
  const data = document.getElementById("suggested-risks-data");
  const field = document.getElementById("id_risks");
  if (!button || !data || !field) {
    return;
  }
  const suggested = JSON.parse(data.textContent);
  button.hidden = false;
  button.addEventListener("click", () => {
    const current = field.value.trim();
    if (!current.includes(suggested)) {
      field.value = current ? `${current}\n${suggested}` : suggested;
    }
    field.focus();
  });
});
