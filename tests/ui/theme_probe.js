// Reads, for each widget of the theme gallery, what the page really shows: every nnteach text
// element's computed colour and the backgrounds behind it, and every image's pixels over its
// background. Each widget is measured alone: the <style> blocks other widgets brought are
// switched off meanwhile (a widget's own blocks and its copy of the page stylesheet stay on).
// The contrast arithmetic is done in Python (test_theme_contrast.py), from the numbers returned.
async () => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const rgbaCache = new Map();
  // Any CSS colour (rgb, hex, color(), oklch...) as 8-bit [r, g, b, a] via the canvas.
  const rgba = (css) => {
    if (!rgbaCache.has(css)) {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "rgba(0, 0, 0, 0)";
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      rgbaCache.set(css, Array.from(ctx.getImageData(0, 0, 1, 1).data));
    }
    return rgbaCache.get(css);
  };
  const describe = (el) =>
    el.tagName.toLowerCase() + (el.classList.length ? "." + Array.from(el.classList).join(".") : "");
  const nnteachClass = (el) => {
    const own = Array.from(el.classList).find((c) => c.includes("nnteach"));
    if (own) return own;
    const holder = el.closest("[class*=nnteach]");
    return holder ? Array.from(holder.classList).find((c) => c.includes("nnteach")) : "";
  };
  // Layers of background colour from the element up, until an opaque one (or the document's end).
  const backgrounds = (el) => {
    const layers = [];
    let images = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") images.push(describe(node));
      const colour = rgba(style.backgroundColor);
      if (colour[3] > 0) layers.push({ rgba: colour, from: describe(node) });
      if (colour[3] === 255) return { layers, images, opaque: true, node };
    }
    return { layers, images, opaque: false, node: null };
  };
  const opacityBelow = (el, stop) => {
    let product = 1;
    for (let node = el; node && node !== stop && node.nodeType === 1; node = node.parentElement) {
      product *= parseFloat(getComputedStyle(node).opacity);
    }
    return product;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    return el.getClientRects().length > 0 && style.visibility !== "hidden" && style.display !== "none";
  };
  const ownText = (el) => {
    const tag = el.tagName.toLowerCase();
    if (tag === "input" && !["checkbox", "radio", "range", "color", "hidden"].includes(el.type)) return el.value;
    if (tag === "textarea") return el.value;
    if (tag === "select") return el.selectedOptions.length ? el.selectedOptions[0].textContent : "";
    let text = "";
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      if (range.getClientRects().length > 0) text += node.textContent;
    }
    return text.replace(/\s+/g, " ").trim();
  };

  // Group the output children: a heading output, then that widget's outputs until the next heading.
  const groups = [];
  for (const heading of document.querySelectorAll(".theme-gallery-heading")) {
    const first = heading.closest(".jp-OutputArea-child");
    const name = heading.dataset.widget;
    const nodes = [];
    for (let node = first && first.nextElementSibling; node; node = node.nextElementSibling) {
      if (node.querySelector(".theme-gallery-heading")) break;
      node.setAttribute("data-theme-gallery", name);
      nodes.push(node);
    }
    groups.push({ name, nodes });
  }
  const widgetStyles = Array.from(document.querySelectorAll("style")).filter((s) =>
    groups.some((g) => g.nodes.some((n) => n.contains(s)))
  );

  const results = [];
  for (const group of groups) {
    const inGroup = (el) => group.nodes.some((n) => n.contains(el));
    const own = widgetStyles.filter(inGroup);
    const others = widgetStyles.filter((s) => !inGroup(s));
    others.forEach((s) => (s.disabled = true));
    try {
      const texts = [];
      const images = [];
      for (const root of group.nodes) {
        for (const el of root.querySelectorAll("*")) {
          if (["STYLE", "SCRIPT", "TEMPLATE"].includes(el.tagName)) continue;
          if (!el.closest("[class*=nnteach]") || !shown(el)) continue;
          if (el.tagName === "IMG") {
            if (!el.complete || el.naturalWidth === 0) {
              images.push({ element: describe(el), nnteach: nnteachClass(el), alt: el.alt, loaded: false });
              continue;
            }
            const bg = backgrounds(el);
            const w = el.naturalWidth;
            const h = el.naturalHeight;
            const pad = document.createElement("canvas");
            pad.width = w;
            pad.height = h;
            const pctx = pad.getContext("2d", { willReadFrequently: true });
            pctx.drawImage(el, 0, 0);
            const raw = pctx.getImageData(0, 0, w, h).data;
            let transparent = 0;
            for (let i = 3; i < raw.length; i += 4) if (raw[i] < 255) transparent++;
            // The image as seen: drawn over the colours behind it (top layer last).
            pctx.clearRect(0, 0, w, h);
            pctx.fillStyle = "#ffffff";
            pctx.fillRect(0, 0, w, h);
            for (const layer of [...bg.layers].reverse()) {
              pctx.fillStyle = `rgba(${layer.rgba[0]}, ${layer.rgba[1]}, ${layer.rgba[2]}, ${layer.rgba[3] / 255})`;
              pctx.fillRect(0, 0, w, h);
            }
            pctx.drawImage(el, 0, 0);
            const seen = pctx.getImageData(0, 0, w, h).data;
            const counts = {};
            for (let i = 0; i < seen.length; i += 4) {
              const key = `${seen[i]},${seen[i + 1]},${seen[i + 2]}`;
              counts[key] = (counts[key] || 0) + 1;
            }
            images.push({
              element: describe(el), nnteach: nnteachClass(el), alt: el.alt, loaded: true,
              width: w, height: h, transparent_pixels: transparent, pixels: w * h, colours: counts,
            });
            continue;
          }
          const text = ownText(el);
          if (!text) continue;
          const style = getComputedStyle(el);
          // SVG text (the browser-drawn plots: bqplot's ticks, axis labels, titles) is painted with `fill`.
          const painted = el instanceof SVGElement ? style.fill : style.color;
          if (!painted || painted === "none" || painted.startsWith("url(")) continue;
          const bg = backgrounds(el);
          texts.push({
            element: describe(el),
            nnteach: nnteachClass(el),
            text: text.slice(0, 80),
            colour: rgba(painted),
            css_colour: painted,
            backgrounds: bg.layers,
            background_images: bg.images,
            opacity: opacityBelow(el, bg.node),
            disabled: !!el.closest(":disabled, [disabled], .mod-disabled"),
            font: `${style.fontWeight} ${style.fontSize}`,
          });
        }
      }
      results.push({
        widget: group.name,
        said: group.nodes.map((n) => n.innerText).join(" ").replace(/\s+/g, " ").trim().slice(0, 300),
        texts,
        images,
        styles: own.map((s) => ({
          page: !!s.closest(".nnteach-page-style"),
          head: s.textContent.trim().slice(0, 60),
        })),
      });
    } finally {
      others.forEach((s) => (s.disabled = false));
    }
  }
  return {
    results,
    theme_light: document.body.dataset.jpThemeLight || null,
    theme_name: document.body.dataset.jpThemeName || null,
  };
};
