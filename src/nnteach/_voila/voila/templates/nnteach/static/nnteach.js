/* nnteach's page helpers for Voila, loaded in <head> before voila.js.
 *
 * 1. Projector mode: `?projector=1` (or the "Projector" button) adds the class
 *    `nnteach-projector` to <html>; nnteach.css scales text and widgets for the back row.
 * 2. Kernel watch: when this page's kernel dies, is restarted or is shut down (culled),
 *    the widgets silently stop answering. Watch the kernel's websocket and say so plainly,
 *    with a reload button, instead.
 */
(function () {
  "use strict";

  // The page's words in each language (nnteach._voila.page_text.SCRIPT_TEXTS; a test keeps them equal to the
  // catalogs). The language: ?lang= in the address, else the notebook's folder (lessons/ja/), else the one the
  // server chose for this page (nnteach serve --lang, the browser's Accept-Language), else the browser's own.
  var TEXTS = {
    "en": {
      "projector": "Projector",
      "projectorTitle": "Larger text and widgets for a projector (adds ?projector=1 to the address)",
      "stopped": "This page has stopped: its Python kernel was shut down or restarted (after a long idle time, or because it stopped), so the widgets no longer respond. Reload the page to start it again.",
      "reload": "Reload the page"
    },
    "ja": {
      "projector": "プロジェクター",
      "projectorTitle": "プロジェクター向けに文字とウィジェットを大きくします（アドレスに ?projector=1 を付けます）",
      "stopped": "このページは停止しました。Python のカーネルが終了または再起動されたため（長い間操作がなかったか、カーネルが止まったためです）、ウィジェットはもう反応しません。ページを再読み込みすると、もう一度始められます。",
      "reload": "ページを再読み込み"
    },
    "de": {
      "projector": "Beamer",
      "projectorTitle": "Größere Schrift und Widgets für den Beamer (hängt ?projector=1 an die Adresse an)",
      "stopped": "Diese Seite ist angehalten: Ihr Python-Kernel wurde beendet oder neu gestartet (nach langer Untätigkeit oder weil er abgestürzt ist), deshalb reagieren die Widgets nicht mehr. Lade die Seite neu, um wieder zu starten.",
      "reload": "Seite neu laden"
    }
  };

  function pageLanguage() {
    var asked = (new URLSearchParams(window.location.search).get("lang") || "").toLowerCase().split("-")[0];
    if (TEXTS.hasOwnProperty(asked)) {
      return asked;
    }
    var folder = (window.location.pathname.match(/\/(ja|de)\/[^/]*\.ipynb$/) || [])[1]; // lessons/ja/…
    if (folder) {
      return folder;
    }
    var config = document.getElementById("jupyter-config-data");
    try {
      var chosen = config ? JSON.parse(config.textContent || "{}").nnteachLanguage : null;
      if (chosen && TEXTS.hasOwnProperty(chosen)) {
        return chosen;
      }
    } catch (error) {
      // no page config: fall through to the browser's language
    }
    var browser = (navigator.languages || [navigator.language || ""]).map(function (name) {
      return String(name).toLowerCase().split("-")[0];
    });
    for (var i = 0; i < browser.length; i++) {
      if (TEXTS.hasOwnProperty(browser[i])) {
        return browser[i];
      }
    }
    return "en";
  }

  function words(key) {
    return TEXTS[pageLanguage()][key];
  }

  var PROJECTOR_CLASS = "nnteach-projector";
  var root = document.documentElement;

  function projectorWanted() {
    var value = new URLSearchParams(window.location.search).get("projector");
    return value !== null && value !== "0" && value !== "false" && value !== "off";
  }

  function setProjector(on) {
    root.classList.toggle(PROJECTOR_CLASS, on);
    var url = new URL(window.location.href);
    if (on) {
      url.searchParams.set("projector", "1");
    } else {
      url.searchParams.delete("projector");
    }
    window.history.replaceState(window.history.state, "", url.toString());
    var button = document.querySelector(".nnteach-projector-toggle");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  root.classList.toggle(PROJECTOR_CLASS, projectorWanted());

  function addProjectorToggle() {
    root.setAttribute("lang", pageLanguage()); // the browser picks CJK glyphs and hyphenation by it
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nnteach-projector-toggle";
    button.textContent = words("projector");
    button.title = words("projectorTitle");
    button.setAttribute("aria-pressed", root.classList.contains(PROJECTOR_CLASS) ? "true" : "false");
    button.addEventListener("click", function () {
      setProjector(!root.classList.contains(PROJECTOR_CLASS));
    });
    document.body.appendChild(button);
  }

  var shown = false;

  function showStopped(reason) {
    if (shown || !document.body) {
      return;
    }
    shown = true;
    root.classList.add("nnteach-kernel-stopped");
    root.setAttribute("data-nnteach-kernel", reason);
    var banner = document.createElement("div");
    banner.className = "nnteach-kernel-lost";
    banner.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = words("stopped");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nnteach-reload";
    button.textContent = words("reload");
    button.addEventListener("click", function () {
      window.location.reload();
    });
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.appendChild(banner);
  }

  // A status message of the kernel protocol announcing a restart or a dead kernel. Messages
  // arrive as JSON text or in the binary v1 websocket protocol, whose JSON parts are UTF-8.
  var STOPPED_STATUS = /"execution_state"\s*:\s*"(restarting|autorestarting|dead)"/;
  var CHANNELS = /\/api\/kernels\/([0-9a-fA-F-]{36})\/channels/;
  var HEAD_BYTES = 8192; // status messages are small: never decode a large widget buffer whole
  var decoder = typeof TextDecoder === "undefined" ? null : new TextDecoder("utf-8");
  var unloading = false;
  window.addEventListener("pagehide", function () {
    unloading = true;
  });
  window.addEventListener("beforeunload", function () {
    unloading = true;
  });

  function inspect(data) {
    var text = "";
    if (typeof data === "string") {
      text = data.length > HEAD_BYTES ? data.slice(0, HEAD_BYTES) : data;
    } else if (data instanceof ArrayBuffer && decoder) {
      text = decoder.decode(new Uint8Array(data, 0, Math.min(data.byteLength, HEAD_BYTES)));
    }
    var found = STOPPED_STATUS.exec(text);
    if (found) {
      showStopped(found[1] === "dead" ? "dead" : "restarted");
    }
  }

  function kernelUrl(socketUrl) {
    var url = new URL(socketUrl, window.location.href);
    url.protocol = url.protocol === "wss:" ? "https:" : "http:";
    url.pathname = url.pathname.replace(/\/channels$/, "");
    url.search = "";
    return url.toString();
  }

  // After the socket closed: is the kernel still there? A 404 means it was shut down (culled);
  // no answer at all means the server is gone. Otherwise JupyterLab reconnects by itself.
  function checkKernel(url, unreachableMeansStopped) {
    if (unloading || shown) {
      return;
    }
    window
      .fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) {
          showStopped("gone");
        }
      })
      .catch(function () {
        if (unreachableMeansStopped && !unloading) {
          showStopped("unreachable");
        }
      });
  }

  // A kernel can also go while its socket stays open (culled with a client connected, or
  // before the page connected: widgets then stay at "Loading widget..."). Ask the server
  // now and then while the page is visible; a GET does not count as kernel activity.
  var CHECK_EVERY_MS = 15000;

  function pageKernelUrl() {
    var config = document.getElementById("jupyter-config-data");
    if (!config) {
      return null;
    }
    try {
      var data = JSON.parse(config.textContent || "{}");
      if (!data.kernelId) {
        return null;
      }
      var base = data.baseUrl || "/";
      return new URL(base.replace(/\/?$/, "/") + "api/kernels/" + data.kernelId, window.location.href).toString();
    } catch (error) {
      return null;
    }
  }

  window.addEventListener("load", function () {
    var url = pageKernelUrl();
    if (url) {
      window.setInterval(function () {
        if (document.visibilityState === "visible") {
          checkKernel(url, false); // a network blip is not a stopped kernel
        }
      }, CHECK_EVERY_MS);
    }
  });

  var NativeWebSocket = window.WebSocket;
  if (NativeWebSocket) {
    var WatchedWebSocket = function (url, protocols) {
      var socket =
        protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
      var match = CHANNELS.exec(String(url));
      if (match) {
        var socketUrl = String(url);
        socket.addEventListener("message", function (event) {
          inspect(event.data);
        });
        socket.addEventListener("close", function () {
          window.setTimeout(function () {
            checkKernel(kernelUrl(socketUrl), true);
          }, 1000);
        });
      }
      return socket;
    };
    WatchedWebSocket.prototype = NativeWebSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
      WatchedWebSocket[name] = NativeWebSocket[name];
    });
    window.WebSocket = WatchedWebSocket;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addProjectorToggle);
  } else {
    addProjectorToggle();
  }
})();
