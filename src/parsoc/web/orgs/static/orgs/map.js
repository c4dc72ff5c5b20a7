// The directory's map: points from a json_script block, tiles only if the site names a tile server.
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function nearMe() {
    var button = document.getElementById("near-me");
    if (!button || !("geolocation" in navigator)) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById("near-lat").value = position.coords.latitude.toFixed(5);
        document.getElementById("near-lon").value = position.coords.longitude.toFixed(5);
        button.form.submit();
      });
    });
  }
  function draw() {
    var element = document.getElementById("org-map");
    var points = data("org-points") || [];
    if (!element || typeof L === "undefined") { return; }
    var map = L.map(element, { worldCopyJump: true });
    var tiles = data("org-tiles");
    if (tiles && tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], { radius: 6, weight: 1, color: "#1f5130", fillColor: "#2e7d46", fillOpacity: 0.8 });
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name + " (" + p.kind + ")";
      marker.bindPopup(link);
      marker.addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 }); }
    else if (bounds.length === 1) { map.setView(bounds[0], 10); }
    else { map.setView([20, 0], 1); }
  }
  document.addEventListener("DOMContentLoaded", function () { nearMe(); draw(); });
})();
