// The map of a place page: Leaflet (vendored, static/vendor/leaflet) with the tiles of the server that
// musenor.toml names ([map] tile_url); the page's Content-Security-Policy lets images, and only images,
// come from it. The coordinates are also in the page as text, for readers without the map.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("place-map");
    if (!element || typeof L === "undefined") return;
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.long)];
    L.Icon.Default.imagePath = element.dataset.icons;
    var map = L.map(element, { scrollWheelZoom: false }).setView(point, 10);
    var tiles = L.tileLayer(element.dataset.tiles, {
      maxZoom: parseInt(element.dataset.maxZoom, 10) || 19,
      attribution: element.dataset.attribution
    });
    tiles.on("tileload", function () { element.dataset.state = "loaded"; });
    tiles.on("tileerror", function () { if (!element.dataset.state) element.dataset.state = "failed"; });
    tiles.addTo(map);
    L.marker(point, { title: element.dataset.label, alt: element.dataset.label }).addTo(map);
  });
})();
