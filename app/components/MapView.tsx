/**
 * "Show on a map": the results of a search near a postcode on OpenStreetMap tiles (Leaflet), as
 * progressive enhancement. The results are always listed on the page; the button appears only
 * once JavaScript runs, and Leaflet (script and stylesheet) is fetched only when it is pressed, so
 * no page's first visit carries it. Markers are keyboard-reachable buttons named after what they
 * mark; each opens a popup linking to it. Tiles come from MAP_TILE_URL (the loader passes it), the
 * one origin the Content-Security-Policy adds to img-src.
 */
import { useEffect, useRef, useState } from "react";
import leafletCss from "leaflet/dist/leaflet.css";
import markerIcon from "leaflet/dist/images/marker-icon.png";
import markerIcon2x from "leaflet/dist/images/marker-icon-2x.png";
import markerShadow from "leaflet/dist/images/marker-shadow.png";

export type MapPoint = { key: string; name: string; url: string; detail: string; latitude: number; longitude: number };
/** OpenStreetMap's licence asks for this credit wherever its tiles are shown. */
const ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>';

/** Leaflet's stylesheet, added to the document once (a file of this site's own, so style-src 'self' allows it). */
function loadStylesheet(): Promise<void> {
  if (document.querySelector("link[data-leaflet]")) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = leafletCss;
    link.dataset.leaflet = "";
    link.onload = () => resolve();
    link.onerror = () => resolve();
    document.head.appendChild(link);
  });
}

export function MapView({ label, centre, points, tiles }: { label: string; centre: { latitude: number; longitude: number; name: string }; points: MapPoint[]; tiles: string | null }) {
  const [scripted, setScripted] = useState(false);
  const [shown, setShown] = useState(false);
  const [failed, setFailed] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => setScripted(true), []);

  const placed = points.filter((p) => Number.isFinite(p.latitude) && Number.isFinite(p.longitude));
  const signature = JSON.stringify([centre, placed.map((p) => [p.key, p.latitude, p.longitude])]);

  useEffect(() => {
    if (!shown || !box.current || !tiles) return;
    let cancelled = false;
    let map: { remove(): void } | null = null;
    const element = box.current;
    Promise.all([import("leaflet"), loadStylesheet()])
      .then(([{ default: L }]) => {
        if (cancelled) return;
        const m = L.map(element, { scrollWheelZoom: false, attributionControl: false });
        map = m;
        L.control.attribution({ prefix: false }).addTo(m);
        L.tileLayer(tiles, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(m);
        const icon = L.icon({ iconUrl: markerIcon, iconRetinaUrl: markerIcon2x, shadowUrl: markerShadow, iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41] });
        const bounds = L.latLngBounds([[centre.latitude, centre.longitude]]);
        L.circleMarker([centre.latitude, centre.longitude], { radius: 8, color: "#005eb8", fillColor: "#ffeb3b", fillOpacity: 1, weight: 3, interactive: false }).addTo(m);
        for (const p of placed) bounds.extend([p.latitude, p.longitude]);
        m.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
        // Markers that would overlap at this zoom are one marker for them all (its popup lists
        // each), so every marker is a target of its own (WCAG 2.5.8); redrawn on zoom.
        const layer = L.layerGroup().addTo(m);
        const draw = () => {
          layer.clearLayers();
          const groups: Array<{ x: number; y: number; items: MapPoint[] }> = [];
          for (const p of placed) {
            const at = m.latLngToLayerPoint([p.latitude, p.longitude]);
            const near = groups.find((g) => Math.abs(g.x - at.x) < 30 && Math.abs(g.y - at.y) < 46);
            if (near) near.items.push(p);
            else groups.push({ x: at.x, y: at.y, items: [p] });
          }
          for (const g of groups) {
            const first = g.items[0];
            const describe = (p: MapPoint) => `${p.name}, ${p.detail}`;
            const name = g.items.length === 1 ? describe(first) : `${g.items.length} places here: ${g.items.map(describe).join("; ")}`;
            const popup = document.createElement("ul");
            popup.className = "nhsuk-list nhsuk-u-margin-bottom-0 rt-map__popup";
            for (const p of g.items) {
              const item = document.createElement("li");
              const link = document.createElement("a");
              link.href = p.url;
              link.textContent = p.name;
              item.append(link, document.createTextNode(` (${p.detail})`));
              popup.append(item);
            }
            L.marker([first.latitude, first.longitude], { icon, alt: name, title: g.items.length === 1 ? first.name : `${g.items.length} places here`, keyboard: true }).bindPopup(popup).addTo(layer);
          }
        };
        draw();
        m.on("zoomend", draw);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      map?.remove();
    };
    // The points are compared by value: a new search with the same results keeps the map.
  }, [shown, signature, tiles]);

  if (!scripted || !tiles) return null;
  return (
    <div className="rt-map">
      <button type="button" className="nhsuk-button nhsuk-button--secondary rt-map__toggle" aria-expanded={shown} aria-controls="results-map" onClick={() => setShown((v) => !v)}>
        {shown ? "Hide the map" : "Show on a map"}
      </button>
      {shown ? (
        <>
          <p className="nhsuk-body-s" id="results-map-hint">
            {placed.length === 1 ? "1 place" : `${placed.length} places`} near {centre.name} (the yellow dot). Tab to a marker and press Enter for its name and link; the same results are listed below.
          </p>
          {failed ? <p className="nhsuk-body-s">The map could not be loaded. The results are listed below.</p> : null}
          <div id="results-map" ref={box} className="rt-map__canvas" role="region" aria-label={label} aria-describedby="results-map-hint" />
        </>
      ) : null}
    </div>
  );
}
