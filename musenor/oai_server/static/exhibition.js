// The full-screen image sequence of an exhibition: a <dialog> walked with the arrow keys, the buttons or a
// swipe, closed with Escape (the dialog's own behaviour). The sequence is the page's works, as JSON.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var opener = document.querySelector(".slideshow-open");
    var dialog = document.querySelector("dialog.slideshow");
    if (!opener || !dialog) return;
    var sequence = JSON.parse(opener.getAttribute("data-sequence") || "[]");
    if (!sequence.length) { opener.hidden = true; return; }
    var img = dialog.querySelector("img"), caption = dialog.querySelector("figcaption");
    var current = 0, touchX = null;
    function show(n) {
      current = (n + sequence.length) % sequence.length;
      var item = sequence[current];
      img.src = item.image;
      img.alt = item.title;
      caption.textContent = (current + 1) + " / " + sequence.length + " — " + item.title +
        (item.caption ? " — " + item.caption : "") + (item.credit ? " (" + item.credit + ")" : "");
    }
    opener.addEventListener("click", function () { show(current); dialog.showModal(); });
    dialog.querySelector(".slideshow-previous").addEventListener("click", function () { show(current - 1); });
    dialog.querySelector(".slideshow-next").addEventListener("click", function () { show(current + 1); });
    dialog.querySelector(".slideshow-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    });
    dialog.addEventListener("touchstart", function (event) { touchX = event.changedTouches[0].clientX; },
                            { passive: true });
    dialog.addEventListener("touchend", function (event) {
      if (touchX === null) return;
      var dx = event.changedTouches[0].clientX - touchX;
      touchX = null;
      if (Math.abs(dx) > 40) show(current + (dx < 0 ? 1 : -1));
    });
    dialog.addEventListener("close", function () { opener.focus(); });
  });
})();
