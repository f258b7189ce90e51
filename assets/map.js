/* The map's browser side (dash-leaflet): how the small areas are painted from the hideout the
 * server sends, and the hooks tests and benchmarks read to see what was really drawn.
 *   window.explorerMap    the Leaflet map (centre, zoom)
 *   window.explorerPaint  {count, key, features, t} after every canvas draw of the small areas
 * and the indicator menu's closing.
 */
(function () {
  "use strict";
  var NO_DATA = "#d9d9d9";
  var currentKey = null;

  // The colours now shown: the page's first colours (the areas layer's hideout) until a switch
  // brings new ones through restyle().
  function colours(context) { return window.explorerColours || (context && context.hideout) || {}; }

  function areaStyle(feature, context) {
    var h = colours(context);
    var p = feature.properties;
    var c = h.cls ? h.cls[p.i] : null;
    var dim = !!h.keep && p.lad !== h.keep && p.ward !== h.keep;
    currentKey = h.key;
    return {
      fillColor: c === null || c === undefined ? NO_DATA : h.colours[c],
      fillOpacity: dim ? 0.15 : 0.85,
      color: "#ffffff", weight: 0.4, opacity: dim ? 0.3 : 0.9,
    };
  }

  function describe(feature, h) {
    var i = feature.properties.i, c = h.cls ? h.cls[i] : null;
    if (c === null || c === undefined) return "No data";
    if (h.values) {
      var v = h.values[i];
      return h.label + ": " + (v === null ? "no data" : v.toLocaleString("en-GB") + " " + h.unit);
    }
    return h.labels[c];
  }

  function areaTooltip(feature, layer, context) {
    layer.bindTooltip(function () {
      var h = colours(context);
      var el = document.createElement("span");
      el.appendChild(document.createTextNode(feature.properties.name));
      el.appendChild(document.createElement("br"));
      el.appendChild(document.createTextNode(describe(feature, h)));
      return el;
    }, {sticky: true});
  }

  function placeName(feature, latlng) {
    var el = document.createElement("span");
    el.textContent = feature.properties.name;
    return window.L.marker(latlng, {
      icon: window.L.divIcon({className: "map-label map-label--" + feature.properties.kind, html: el, iconSize: null}),
      interactive: false, keyboard: false, pane: "lines",
    });
  }

  function hook(L) {
    L.Map.addInitHook(function () {
      var map = this;
      window.explorerMap = map;
      window.explorerColours = null;  // a new map (another page) starts from its own hideout
      function far() { map.getContainer().classList.toggle("map--far", map.getZoom() < 12); }
      map.whenReady(far);
      map.on("zoomend", far);
    });
    var draw = L.Canvas.prototype._draw;
    L.Canvas.prototype._draw = function () {
      draw.apply(this, arguments);
      if (this.options.pane !== "areas") return;
      var n = 0;
      for (var o = this._drawFirst; o; o = o.next) n++;
      var prev = window.explorerPaint || {count: 0};
      window.explorerPaint = {count: prev.count + 1, key: currentKey, features: n, t: performance.now()};
    };
  }

  // The indicator menu (a <details>) closes after a choice, and on Escape with focus back on
  // its summary. Done here, in the page: the open attribute belongs to the browser.
  function closeMenu(target, refocus) {
    var menu = target && target.closest && target.closest("#indicator-menu");
    if (!menu || !menu.open) return;
    menu.open = false;
    if (refocus) menu.querySelector("summary").focus();
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#indicator-menu .option")) closeMenu(e.target, false);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeMenu(e.target, true);
  });

  if (window.L) hook(window.L);
  else console.error("explorer: Leaflet is not loaded; the map cannot draw");
  // A switch restyles the areas already on the map (one canvas redraw) instead of building them
  // again from the geometry. Called by a clientside callback with the new colours; returns
  // their key for the store that says what the map shows.
  function restyle(h) {
    window.explorerColours = h;
    if (window.explorerMap) {
      window.explorerMap.eachLayer(function (l) {
        if (l.feature && l.options.pane === "areas") l.setStyle(areaStyle(l.feature, null));
      });
    }
    return h.key;
  }

  window.explorer = {areaStyle: areaStyle, areaTooltip: areaTooltip, placeName: placeName};
  var clientside = window.dash_clientside = window.dash_clientside || {};
  clientside.explorer = Object.assign(clientside.explorer || {}, {restyle: restyle});
})();
