// On a phone the main menu folds behind its "Menu" button, so the page starts near the top.
(function () {
  var menu = document.querySelector("details.site-menu");
  if (menu && window.matchMedia("(max-width: 768px)").matches) {
    menu.open = false;
  }
})();
