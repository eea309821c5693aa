/* geomap: incident layers, popups, tooltips, heat map and search, built in the browser.
 *
 * The payload (see geomap/render/payload.py) holds only text that Python has already
 * HTML-escaped; this file concatenates those strings and never decodes them, so nothing
 * that came from a report can become markup or code. Colours and icon names are geomap's
 * own constants, checked in Python.
 */
(function () {
  "use strict";
  var DAY = 86400000;
  var G = (window.geomap = window.geomap || {});
  G.records = []; // one per incident type: its timeline, cluster and markers
  G.overlays = {}; // layer-control overlays by a stable key, for scripts and tests
  G.started = false;

  G.setData = function (map, data) {
    G.map = map;
    G.data = data;
  };

  function str(i) {
    return (i && G.data.s[i]) || "";
  }

  function casualties(layer, i) {
    return (layer.k[i] || 0) + (layer.j[i] || 0);
  }

  G.markerSize = function (people) {
    return people > 0 ? Math.min(44, Math.round(18 + 5 * Math.sqrt(people))) : 16;
  };

  // An icon from the page's sprite, as icon_svg in geomap/render/elements.py.
  G.iconSvg = function (name) {
    return '<svg class="gm-icon" aria-hidden="true"><use href="#gm-i-' + name + '"></use></svg>';
  };

  var icons = {};
  function icon(li, size) {
    var key = li + ":" + size;
    if (!icons[key]) {
      var layer = G.data.L[li];
      icons[key] = L.divIcon({
        className: "gm-marker",
        html:
          '<div class="gm-dot" style="background:' + layer.color + ";width:" + size +
          "px;height:" + size + "px;font-size:" + Math.max(8, Math.round(size * 0.5)) +
          'px">' + G.iconSvg(layer.icon) + "</div>",
        iconSize: [size, size],
        iconAnchor: [size / 2, size / 2],
        popupAnchor: [0, -size / 2],
        tooltipAnchor: [0, -size / 2]
      });
    }
    return icons[key];
  }

  G.clusterIcon = function (li) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
      return L.divIcon({
        className: "gm-cluster",
        html:
          '<div style="border-color:' + G.data.L[li].color + ";background:" +
          G.data.L[li].color + '"><span>' + n + "</span></div>",
        iconSize: [size, size]
      });
    };
  };

  function isoDay(t) {
    return new Date(t * DAY).toISOString().slice(0, 10);
  }

  G.dateText = function (t, precision) {
    if (t === null || t === undefined) return "date not given";
    if (precision === 2) return "week of " + isoDay(t);
    if (precision === 3) return isoDay(t).slice(0, 7);
    return isoDay(t);
  };

  // The time slider's label (the slider's own formatter needs moment.js).
  G.sliderLabel = function (ms) {
    return ms === undefined || ms === null || !isFinite(ms)
      ? ""
      : "up to " + new Date(ms).toISOString().slice(0, 10);
  };

  function row(label, value) {
    return value ? "<tr><th>" + label + "</th><td>" + value + "</td></tr>" : "";
  }

  function people(n, atLeast) {
    if (n === null || n === undefined) return "not reported";
    return (atLeast ? "at least " : "") + n;
  }

  function placeName(layer, i) {
    return str(G.data.P[layer.p[i]][2]) || "unnamed place";
  }

  function placeText(layer, i) {
    var place = G.data.P[layer.p[i]];
    var parts = [placeName(layer, i)];
    if (str(place[3]) && str(place[3]) !== str(place[2])) parts.push(str(place[3]));
    if (str(place[4])) parts.push(str(place[4]));
    var relation = str(layer.r[i]);
    return (relation ? relation + " " : "") + parts.join(", ");
  }

  function muted(text) {
    return ' <span class="gm-muted">' + text + "</span>";
  }

  G.popup = function (li, i) {
    var D = G.data;
    var layer = D.L[li];
    var flags = layer.m[i];
    var label = str(layer.l[i]);
    var source = str(layer.o[i]);
    var url = str(layer.u[i]);
    var link = url
      ? '<a href="' + url + '" target="_blank" rel="noopener noreferrer nofollow">' +
        (source || url) + "</a>"
      : source;
    var quote = str(layer.q[i]);
    return (
      '<div class="gm-popup">' +
      '<div class="gm-popup-type"><span class="gm-dot gm-dot-small" style="background:' +
      layer.color + '">' + G.iconSvg(layer.icon) + "</span> " +
      str(layer.name) + (label ? muted("(" + label + ")") : "") + "</div><table>" +
      row("Date", G.dateText(layer.t[i], flags & 3) + muted("(" + D.tp[flags & 3] + ")")) +
      row("Place", placeText(layer, i) + muted("(" + D.gp[(flags >> 2) & 7] + ")")) +
      row("Actor", str(layer.x[i])) +
      row("Target", str(layer.y[i])) +
      row("Killed", people(layer.k[i], flags & 32)) +
      row("Injured", people(layer.j[i], flags & 64)) +
      row("Source", link) +
      "</table>" +
      (quote ? '<blockquote class="gm-quote">' + quote + "</blockquote>" : "") +
      "</div>"
    );
  };

  G.tooltip = function (li, i) {
    var layer = G.data.L[li];
    return (
      "<b>" + str(layer.name) + "</b><br>" + placeName(layer, i) + "<br>" +
      G.dateText(layer.t[i], layer.m[i] & 3)
    );
  };

  function markerFor(rec, i) {
    var m = rec.markers[i];
    if (!m) {
      var layer = G.data.L[rec.li];
      var place = G.data.P[layer.p[i]];
      var size = G.markerSize(casualties(layer, i));
      m = L.marker([place[0], place[1]], { icon: icon(rec.li, size), keyboard: false });
      m._gm = [rec.li, i];
      rec.markers[i] = m;
    }
    return m;
  }

  // Popups pan clear of the title box at the top of the map.
  function popupPadding() {
    var title = G.map && G.map.getContainer().querySelector(".gm-top");
    var top = 10;
    if (title) {
      var box = title.getBoundingClientRect();
      top = box.bottom - G.map.getContainer().getBoundingClientRect().top + 10;
    }
    return L.point(10, Math.max(10, top));
  }

  function onClick(e) {
    var m = e.layer;
    if (!m || !m._gm) return;
    if (!m.getPopup()) {
      m.bindPopup(G.popup(m._gm[0], m._gm[1]), { maxWidth: 380, minWidth: 260 });
    }
    m.getPopup().options.autoPanPaddingTopLeft = popupPadding();
    m.openPopup();
  }

  function onHover(e) {
    var m = e.layer;
    if (!m || !m._gm || m.getTooltip()) return;
    m.bindTooltip(G.tooltip(m._gm[0], m._gm[1]), { direction: "top" });
    m.openTooltip();
  }

  // Show in the cluster exactly the incidents the timeline has at its current time: each
  // incident shows from its date (an undated one from the first date) to the last date.
  function sync(rec) {
    if (!G.started || !rec.cluster._map || rec.busy) {
      rec.dirty = true;
      return;
    }
    rec.dirty = false;
    var n = rec.starts.length;
    var time = rec.timeline.time;
    var want = new Uint8Array(n);
    for (var k = 0; k < n; k++) want[k] = rec.starts[k] <= time && time <= rec.last ? 1 : 0;
    var add = [];
    var remove = [];
    for (var i = 0; i < n; i++) {
      if (want[i] && !rec.shown[i]) add.push(markerFor(rec, i));
      else if (!want[i] && rec.shown[i]) remove.push(rec.markers[i]);
    }
    rec.shown = want;
    if (remove.length) rec.cluster.removeLayers(remove);
    if (add.length) {
      rec.busy = true;
      rec.cluster.addLayers(add, true);
    }
    changed();
  }

  G.progress = function (li) {
    return function (done, total) {
      var rec = G.records[li];
      if (!rec || done < total) return;
      rec.busy = false;
      if (rec.dirty) sync(rec);
      checkReady();
    };
  };

  // One Leaflet.timeline per incident type, drawn through its cluster. The timeline gives
  // the slider its times, start and end; the incidents stay in the payload's columns
  // (an interval tree of 100,000 features would cost seconds to build, and all that is
  // asked of it here is "dated on or before the slider's time").
  G.incidentLayer = function (li, cluster) {
    var D = G.data;
    var layer = D.L[li];
    var n = layer.n;
    var first = D.T ? D.T[0] * DAY : 0;
    var last = D.T ? D.T[1] * DAY : 0;
    var starts = new Float64Array(n);
    var times = [last];
    for (var i = 0; i < n; i++) {
      starts[i] = layer.t[i] === null ? first : layer.t[i] * DAY;
      times.push(starts[i]);
    }
    times.sort(function (a, b) {
      return a - b;
    });
    var timeline = L.timeline(null, {});
    timeline.times = times.filter(function (t, k) {
      return k === 0 || t !== times[k - 1];
    });
    timeline.start = timeline.times[0];
    timeline.end = last;
    timeline.time = timeline.start;
    var rec = {
      li: li,
      timeline: timeline,
      cluster: cluster,
      starts: starts,
      last: last,
      markers: new Array(n),
      shown: new Uint8Array(n),
      busy: false,
      dirty: true
    };
    G.records[li] = rec;
    timeline.updateDisplayedLayers = function () {
      sync(rec);
    };
    cluster.on("add", function () {
      sync(rec);
      changed();
    });
    cluster.on("remove", changed);
    cluster.on("click", onClick);
    cluster.on("mouseover", onHover);
    G.overlays["type" + li] = cluster;
    return timeline;
  };

  var heatTimer = null;
  function changed() {
    if (G.heat && G.heat._map && heatTimer === null) heatTimer = setTimeout(refreshHeat, 30);
  }

  function refreshHeat() {
    heatTimer = null;
    if (!G.heat || !G.heat._map) return;
    var counts = {};
    var max = 1;
    G.records.forEach(function (rec) {
      if (!rec.cluster._map) return;
      var p = G.data.L[rec.li].p;
      for (var i = 0; i < rec.shown.length; i++) {
        if (rec.shown[i]) counts[p[i]] = (counts[p[i]] || 0) + 1;
      }
    });
    var points = [];
    Object.keys(counts).forEach(function (p) {
      var place = G.data.P[p];
      var weight = Math.sqrt(counts[p]);
      if (weight > max) max = weight;
      points.push([place[0], place[1], weight]);
    });
    G.heat.setOptions({ max: max });
    G.heat.setLatLngs(points);
  }

  G.heatLayer = function (options) {
    G.heat = L.heatLayer([], options);
    G.heat.on("add", function () {
      setTimeout(refreshHeat, 0);
    });
    G.overlays.heat = G.heat;
    return G.heat;
  };

  G.mentionLayer = function () {
    var group = L.featureGroup();
    (G.data.M || []).forEach(function (m) {
      var marker = L.circleMarker([m[0], m[1]], {
        radius: 5,
        color: "#444",
        weight: 1.5,
        fillColor: "#ffffff",
        fillOpacity: 0.9
      });
      marker.bindTooltip(
        "<b>" + str(m[2]) + "</b>" + muted("mentioned " + m[3] + (m[3] === 1 ? " time" : " times"))
      );
      group.addLayer(marker);
    });
    G.overlays.mentions = group;
    return group;
  };

  // The search box compares escaped text with escaped text, so type names as you read them.
  function escapeText(s) {
    return s
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;")
      .replace(/`/g, "&#96;")
      .replace(/\$/g, "&#36;")
      .replace(/\{/g, "&#123;")
      .replace(/\}/g, "&#125;")
      .replace(/\\/g, "&#92;");
  }

  // Searched in memory: no layer of its own on the map, however many places there are.
  G.searchControl = function (options) {
    var records = null; // built at the first search
    function build() {
      records = {};
      function add(lat, lon, title) {
        if (title && !records[title]) records[title] = L.latLng(lat, lon);
      }
      G.data.P.forEach(function (place) {
        var name = str(place[2]);
        var admin1 = str(place[3]);
        add(place[0], place[1], name + (admin1 && admin1 !== name ? ", " + admin1 : ""));
      });
      (G.data.M || []).forEach(function (m) {
        add(m[0], m[1], str(m[2]));
      });
    }
    options.sourceData = function (text, respond) {
      if (records === null) build();
      respond(records);
      return { abort: function () {} };
    };
    options.formatData = function (data) {
      return data;
    };
    options.filterData = function (text, all) {
      var query = escapeText(text).toLowerCase();
      var found = {};
      Object.keys(all).forEach(function (key) {
        if (key.toLowerCase().indexOf(query) !== -1) found[key] = all[key];
      });
      return found;
    };
    return L.control.search(options);
  };

  // The offline basemap (geomap/render/basemap.py): Natural Earth countries from the page's
  // TopoJSON, the divisions of the countries with incidents, and labels shown once a shape
  // is large enough on screen. Drawn on canvas, under the incident layers.
  var SEA = "gm-sea";
  function pane(map, name, zIndex) {
    if (!map.getPane(name)) {
      var el = map.createPane(name);
      el.style.zIndex = zIndex;
      el.style.pointerEvents = "none";
    }
    return name;
  }

  // Division outlines arrive as [name, polygons of rings], each ring a flat list of
  // integers: the first point, then the steps to each next one (geomap/render/basemap.py).
  function divisionFeatures(divisions, scale) {
    return divisions.map(function (d) {
      var polygons = d[1].map(function (rings) {
        return rings.map(function (flat) {
          var ring = [];
          var x = 0;
          var y = 0;
          for (var k = 0; k < flat.length; k += 2) {
            x += flat[k];
            y += flat[k + 1];
            ring.push([x / scale, y / scale]);
          }
          return ring;
        });
      });
      return {
        type: "Feature",
        properties: { name: d[0] },
        geometry: { type: "MultiPolygon", coordinates: polygons }
      };
    });
  }

  // Countries at the detail a zoom level can show: each ring simplified (Douglas-Peucker,
  // in degrees) to about a pixel, parts that shrink below a triangle dropped. Leaflet
  // projects every point of a layer at each zoom, so coarse levels keep zooming quick.
  function simplified(countries, tolerance) {
    var features = [];
    countries.features.forEach(function (f) {
      if (!f.geometry) return;
      var polygons =
        f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      var kept = [];
      polygons.forEach(function (rings) {
        var out = [];
        for (var k = 0; k < rings.length; k++) {
          var points = rings[k].map(function (p) {
            return L.point(p[0], p[1]);
          });
          var thin = L.LineUtil.simplify(points, tolerance);
          if (thin.length >= 4) {
            out.push(
              thin.map(function (p) {
                return [p.x, p.y];
              })
            );
          } else if (k === 0) {
            return; // the outline itself is below a pixel: the part is dropped
          }
        }
        kept.push(out);
      });
      if (kept.length) {
        features.push({
          type: "Feature",
          id: f.id,
          properties: f.properties,
          geometry: { type: "MultiPolygon", coordinates: kept }
        });
      }
    });
    return { type: "FeatureCollection", features: features };
  }

  var FULL_DETAIL_ZOOM = 7; // Natural Earth 1:50m holds no more detail than this shows

  G.basemapLayer = function (map, dataId) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var countries = topojson.feature(data.topology, data.topology.objects.countries);
    var focus = {};
    data.focus.forEach(function (id) {
      focus[id] = true;
    });
    G.basemapData = { countries: countries };
    var shapes = pane(map, "gmBasemap", 150);
    var renderer = L.canvas({ pane: shapes, padding: 0.5 });
    var levels = {};
    function landAt(zoom) {
      var level = Math.max(0, Math.min(FULL_DETAIL_ZOOM, Math.round(zoom)));
      if (!levels[level]) {
        var tolerance = 360 / (256 * Math.pow(2, level)); // degrees in a pixel
        var shapes = level >= FULL_DETAIL_ZOOM ? countries : simplified(countries, tolerance);
        levels[level] = L.geoJSON(shapes, {
          renderer: renderer,
          interactive: false,
          style: function (f) {
            return {
              fillColor: focus[f.id] ? "#fbfaf6" : "#ece8df",
              fillOpacity: 1,
              color: "#8f877a",
              weight: 0.9
            };
          }
        });
      }
      return levels[level];
    }
    var land = null;
    function showLand() {
      var wanted = landAt(map.getZoom());
      if (wanted === land) return;
      if (land) group.removeLayer(land);
      land = wanted;
      group.addLayer(land);
      land.bringToBack();
      G.basemapParts.countries = land;
    }
    var divisions = L.geoJSON(divisionFeatures(data.divisions, data.scale), {
      renderer: renderer,
      interactive: false,
      style: { color: "#a89f90", weight: 0.8, dashArray: "4 3", fill: false }
    });
    var labelPane = pane(map, "gmLabels", 450);
    var labels = L.layerGroup();
    var all = [];
    data.countryLabels.forEach(function (l) {
      all.push({ l: l, cls: "gm-label gm-label-country" });
    });
    data.divisionLabels.forEach(function (l) {
      all.push({ l: l, cls: "gm-label gm-label-division" });
    });
    function update() {
      if (!map.hasLayer(group)) return;
      labels.clearLayers();
      var zoom = map.getZoom();
      var view = map.getBounds().pad(0.25);
      all.forEach(function (item) {
        var l = item.l;
        if (l[3] > zoom || !view.contains([l[0], l[1]])) return;
        if (!item.marker) {
          item.marker = L.marker([l[0], l[1]], {
            icon: L.divIcon({ className: item.cls, html: "<span>" + l[2] + "</span>", iconSize: [0, 0] }),
            interactive: false,
            keyboard: false,
            pane: labelPane
          });
        }
        labels.addLayer(item.marker);
      });
    }
    var group = L.layerGroup([divisions, labels], {
      attribution: "Basemap: Natural Earth"
    });
    function onZoom() {
      showLand();
      update();
    }
    group.on("add", function () {
      map.getContainer().classList.add(SEA);
      map.on("zoomend", onZoom);
      map.on("moveend", update);
      onZoom();
    });
    group.on("remove", function () {
      map.getContainer().classList.remove(SEA);
      map.off("zoomend", onZoom);
      map.off("moveend", update);
      if (land) group.removeLayer(land);
      land = null;
    });
    G.basemap = group;
    G.basemapParts = { countries: landAt(map.getZoom()), divisions: divisions, labels: labels };
    return group;
  };

  // A tile layer that loads no tile (no network, a blocked host) gives way to the basemap.
  G.tileFallback = function (map, basemap, tiles) {
    tiles.forEach(function (tile) {
      var loaded = 0;
      var failed = 0;
      tile.on("add", function () {
        loaded = 0;
        failed = 0;
      });
      tile.on("tileload", function () {
        loaded++;
      });
      tile.on("tileerror", function () {
        failed++;
        if (loaded === 0 && failed >= 2 && map.hasLayer(tile)) {
          map.removeLayer(tile);
          map.addLayer(basemap);
          G.flash(map, "The online tiles did not load (no network?): showing the offline basemap.");
        }
      });
    });
  };

  G.flash = function (map, text) {
    var el = L.DomUtil.create("div", "gm-flash gm-top", map.getContainer());
    el.textContent = text;
    setTimeout(function () {
      L.DomUtil.remove(el);
    }, 8000);
    return el;
  };

  // The overview map: the basemap's countries, in a Leaflet.MiniMap.
  G.overviewMap = function (map, options) {
    var layer = L.geoJSON(simplified(G.basemapData.countries, 0.5), {
      renderer: L.canvas({ padding: 0.2 }),
      interactive: false,
      style: { fillColor: "#ece8df", fillOpacity: 1, color: "#8f877a", weight: 0.5 }
    });
    var control = new L.Control.MiniMap(layer, options);
    map.addControl(control);
    return control;
  };

  G.htmlControl = function (map, position, className, html) {
    var el;
    if (position === "center" || position === "top") {
      el = L.DomUtil.create("div", className + " gm-" + position, map.getContainer());
    } else {
      var control = L.control({ position: position });
      control.onAdd = function () {
        return L.DomUtil.create("div", className);
      };
      control.addTo(map);
      el = control.getContainer();
    }
    el.innerHTML = html;
    L.DomEvent.disableClickPropagation(el);
    L.DomEvent.disableScrollPropagation(el);
    return el;
  };

  // Nothing is drawn before this: the slider's own first moves cost nothing.
  G.start = function (slider) {
    G.slider = slider || null;
    G.started = true;
    if (slider) {
      slider.setTime(slider.end);
    } else {
      G.records.forEach(function (rec) {
        rec.timeline.setTime(rec.timeline.end);
      });
    }
    checkReady();
  };

  // G.readyAt: when every incident layer had loaded (ms since the page started loading).
  G.readyAt = null;
  function checkReady() {
    if (G.readyAt === null && G.isReady()) G.readyAt = performance.now();
  }

  G.isReady = function () {
    return (
      G.started &&
      G.records.every(function (rec) {
        return !rec.busy && !(rec.dirty && rec.cluster._map);
      })
    );
  };

  G.drawn = function () {
    var n = 0;
    G.records.forEach(function (rec) {
      n += rec.cluster.getLayers().length;
    });
    return n;
  };
})();
