// The project's own behaviour. Every page works without it; it only makes pages smoother.
// No inline script anywhere: the Content Security Policy forbids it.
"use strict";

// Forms marked data-submit-once send once: a double click cannot submit twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-submit-once]")) return;
  if (form.dataset.submitted === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.setAttribute("aria-disabled", "true");
    button.classList.add("disabled");
  }
});

// Autosave feedback: a refused or failed save says so beside the question and above.
function showSaveError(element, message) {
  const banner = document.getElementById("save-error");
  const block = element.closest(".question-block");
  if (block) {
    const status = block.querySelector(".save-status");
    if (status) {
      status.textContent = "Not saved";
      status.classList.remove("text-success");
      status.classList.add("text-danger");
    }
  }
  if (banner) {
    banner.textContent = message;
    banner.hidden = false;
  }
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const block = event.target.closest(".question-block");
  const status = block && block.querySelector(".save-status");
  if (status) {
    status.textContent = "Saving…";
    status.classList.remove("text-danger", "text-success");
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const banner = document.getElementById("save-error");
  if (event.detail.successful && banner) banner.hidden = true;
});

document.addEventListener("htmx:responseError", (event) => {
  const text = event.detail.xhr.responseText || "The answer could not be saved.";
  showSaveError(event.target, text.length < 300 ? text : "The answer could not be saved.");
});

document.addEventListener("htmx:sendError", (event) => {
  showSaveError(
    event.target,
    "Not saved: the connection dropped. Your choice is still on the page; " +
      "choose it again or use “Save this section” when you are back online.",
  );
});

// Printing a report shows what is folded away on screen.
window.addEventListener("beforeprint", () => {
  // Per-question distributions stay folded: printed, they would run to many pages.
  for (const details of document.querySelectorAll("details:not(.distributions)")) {
    details.open = true;
  }
});

// With JavaScript, answers save themselves: the per-section save buttons are for
// browsers without it.
document.documentElement.classList.add("js");

// A comment or link typed moments before the page closes is sent anyway, with a beacon
// that outlives the page. Such fields count as unsaved from the first keystroke until
// htmx reports their save.
const unsavedFields = new Set();

document.addEventListener("input", (event) => {
  if (event.target.matches("[data-unsaved-guard]")) unsavedFields.add(event.target);
});

document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.successful) unsavedFields.delete(event.detail.elt);
});

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  } catch {
    return "";
  }
}

function flushUnsavedFields() {
  for (const field of unsavedFields) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append(field.name, field.value);
    if (navigator.sendBeacon(field.getAttribute("hx-post"), body)) {
      unsavedFields.delete(field);
    }
  }
}

window.addEventListener("pagehide", flushUnsavedFields);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") flushUnsavedFields();
});
