/* The pages' browser side: in-app navigation, the document title, the nav's links, and the
 * focus moving to a factor's card when it opens.
 */
(function () {
  "use strict";
  var noUpdate = function () { return window.dash_clientside.no_update; };

  // A click on a link marked data-nav moves to its page without reloading, as dcc.Link does:
  // push the address and tell Dash's Location components. A link without a query keeps the
  // current one, so the place and choices go with the reader.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-nav]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    e.preventDefault();
    var target = url.pathname + (url.search || window.location.search);
    if (target !== window.location.pathname + window.location.search) {
      window.history.pushState({}, "", target);
      window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    }
    window.scrollTo(0, 0);
    var main = document.getElementById("main");
    if (main) main.focus({preventScroll: true});
  });

  function title(page) {
    if (!page || !page.title) return noUpdate();
    document.title = page.title;
    return page.title;
  }

  function nav(pathname, search, ids) {
    var here = "/" + String(pathname || "/").replace(/^\/+|\/+$/g, "");
    var hrefs = [], current = [];
    (ids || []).forEach(function (id, n) {
      var link = document.querySelector('a[data-page="' + id.page + '"]');
      var base = link ? new URL(link.href, window.location.href).pathname : "/";
      hrefs.push(base + (search || ""));
      current.push(base === here ? "page" : "false");
    });
    return [hrefs, current];
  }

  // A factor's card replaces the hint under the chart: once it shows the factor chosen, move
  // the focus to its heading, so a keyboard or screen-reader user lands on what they asked for.
  // (Dash may draw the card more than once as its loading state ends, so this holds for a moment.)
  var wanted = null, until = 0;
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".spine__name");
    if (b) { wanted = b.firstChild.textContent;  // its name, before the words for screen readers
      until = performance.now() + 1500; }
  });
  new MutationObserver(function () {
    if (wanted === null) return;
    if (performance.now() > until) { wanted = null; return; }
    var h = document.getElementById("factor-card-heading");
    if (h && h.textContent === wanted && document.activeElement !== h) {
      h.focus();
      h.scrollIntoView({block: "nearest"});
    }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});

  var clientside = window.dash_clientside = window.dash_clientside || {};
  clientside.explorer = Object.assign(clientside.explorer || {}, {title: title, nav: nav});
})();
