/* adgrid asynchronous tag: fills every <ins class="adgrid-zone" data-zone="ID"> on the page.
   Optional attributes: data-keywords="a,b" (the page's keywords), data-visitor="ID" (the
   publisher's own visitor id, for frequency caps without cookies). No cookie is read or set.
   Reports a viewable impression when at least half of the ad has been in view for one second. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/\/api\/v1\/tag\.js.*$/, "") : "";

  function watchViewable(element, url) {
    if (!("IntersectionObserver" in window)) return;
    var timer = null;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.intersectionRatio >= 0.5) {
          if (timer === null) {
            timer = setTimeout(function () {
              observer.disconnect();
              if (navigator.sendBeacon) navigator.sendBeacon(url);
              else fetch(url, {method: "POST", mode: "no-cors", keepalive: true, credentials: "omit"});
            }, 1000);
          }
        } else if (timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
      });
    }, {threshold: [0, 0.5, 1]});
    observer.observe(element);
  }

  function link(decision) {
    var a = document.createElement("a");
    a.href = decision.clickUrl;
    a.target = "_blank";
    a.rel = "noopener sponsored";
    return a;
  }

  function render(slot, decision) {
    var c = decision.creative;
    var box;
    if (c.kind === "IMAGE") {
      box = link(decision);
      var img = document.createElement("img");
      img.src = c.imageUrl;
      img.width = c.width;
      img.height = c.height;
      img.alt = "Advertisement";
      box.appendChild(img);
    } else if (c.kind === "TEXT") {
      box = link(decision);
      box.style.cssText = "display:block;box-sizing:border-box;width:" + c.width + "px;height:" +
        c.height + "px;padding:12px;border:1px solid #ccd;font:14px/1.4 sans-serif;" +
        "color:#223;text-decoration:none;overflow:hidden;background:#fff";
      var h = document.createElement("strong");
      h.textContent = c.headline || "";
      var p = document.createElement("p");
      p.textContent = c.body || "";
      box.appendChild(h);
      box.appendChild(p);
    } else {
      // HTML creatives run sandboxed, away from the page; %%CLICK_URL%% becomes the click link.
      box = document.createElement("iframe");
      box.width = c.width;
      box.height = c.height;
      box.title = "Advertisement";
      box.style.border = "0";
      box.setAttribute("sandbox", "allow-scripts allow-popups allow-popups-to-escape-sandbox");
      box.srcdoc = (c.html || "").split("%%CLICK_URL%%").join(decision.clickUrl);
    }
    slot.textContent = "";
    slot.appendChild(box);
    new Image().src = decision.impressionUrl;
    watchViewable(slot, decision.viewableUrl);
  }

  function fill(slot) {
    if (slot.getAttribute("data-adgrid-done")) return;
    slot.setAttribute("data-adgrid-done", "1");
    var query = "zone=" + encodeURIComponent(slot.getAttribute("data-zone") || "") +
      "&ref=" + encodeURIComponent(location.href.slice(0, 2000));
    var kw = slot.getAttribute("data-keywords");
    if (kw) query += "&kw=" + encodeURIComponent(kw);
    var vid = slot.getAttribute("data-visitor");
    if (vid) query += "&vid=" + encodeURIComponent(vid);
    fetch(base + "/api/v1/decide?" + query, {credentials: "omit"})
      .then(function (response) { return response.status === 200 ? response.json() : null; })
      .then(function (decision) { if (decision) render(slot, decision); })
      .catch(function () { /* no ad: the slot stays empty */ });
  }

  document.querySelectorAll("ins.adgrid-zone").forEach(fill);
})();
