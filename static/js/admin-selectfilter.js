// The admin's two-box selector (filter_horizontal) labels each filter box with a magnifier
// icon whose text is an aria-label on a plain <span>, where ARIA does not allow one: the
// icon is an image with that text. This file comes after Django's SelectFilter2.js in the
// widget's media, so its load handler runs after the selector is built.
"use strict";
window.addEventListener("load", () => {
  for (const icon of document.querySelectorAll(".selector .search-label-icon[aria-label]")) {
    icon.setAttribute("role", "img");
  }
});
