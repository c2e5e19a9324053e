/*
 * Search suggestions for the search boxes (progressive enhancement).
 *
 * Without this file the boxes are plain GET forms to the search page. With it,
 * an input carrying data-autocomplete="<API URL>" becomes an ARIA 1.2 combobox
 * that lists titles from /api/v3/search/autocomplete/ as the visitor types;
 * choosing one opens it, Enter without a choice searches as before.
 */
(function () {
  "use strict";

  var MIN_CHARS = 2;

  /* The API answers with the site's canonical address; on this very host keep the
     visitor where they are (port, scheme) and follow the path only. */
  function local(url) {
    var target = new URL(url, window.location.href);
    if (target.hostname === window.location.hostname) {
      return target.pathname + target.search + target.hash;
    }
    return target.href;
  }
  var DELAY_MS = 150;
  var counter = 0;

  function enhance(input) {
    var endpoint = input.getAttribute("data-autocomplete");
    var language = input.getAttribute("data-lang") || document.documentElement.lang;
    var labels = JSON.parse(input.getAttribute("data-type-labels") || "{}");
    var listId = "autocomplete-" + (++counter);
    var wrapper = document.createElement("div");
    var list = document.createElement("ul");
    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;

    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    list.id = listId;
    list.className = "autocomplete__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-list-label") || "");
    list.hidden = true;
    wrapper.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      close();
      suggestions.forEach(function (suggestion, i) {
        var li = document.createElement("li");
        var type = document.createElement("span");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = suggestion.title;
        type.className = "autocomplete__type";
        type.textContent = labels[suggestion.type] || "";
        li.appendChild(type);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(local(suggestion.url));
        });
        li.dataset.url = local(suggestion.url);
        list.appendChild(li);
        items.push(li);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_CHARS) {
        close();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var url = endpoint + "?q=" + encodeURIComponent(text.slice(0, 100)) +
        "&lang=" + encodeURIComponent(language) + "&limit=6";
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) { show(data.items || []); })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].dataset.url);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  if (!("fetch" in window) || !("AbortController" in window)) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete]"), enhance);
})();
