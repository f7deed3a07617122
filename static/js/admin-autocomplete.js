// Names for the comboboxes of the admin's autocomplete fields (Select2 4.0.13).
// Select2 names its combobox by the chosen item alone: nothing when the field is empty, and
// never which field it is; and it marks the chosen item as a read-only text box of its own,
// with no name either. Here the combobox is named "<field> <chosen item>", and the item is
// plain text inside it. This file comes after Django's autocomplete.js in the widget's
// media, so its ready handler runs after Select2 has built the combobox.
"use strict";
{
  const nameCombobox = (select) => {
    const selection = select.nextElementSibling?.querySelector(".select2-selection--single");
    const rendered = selection?.querySelector(".select2-selection__rendered");
    if (!rendered) return;
    const label = select.labels[0]?.textContent.trim().replace(/:$/, "");
    const name = label || select.getAttribute("aria-label");
    if (!name) return;
    rendered.removeAttribute("role");
    rendered.removeAttribute("aria-readonly");
    selection.id ||= `${select.id}-selection`;
    selection.setAttribute("aria-label", name);
    // Itself first (its aria-label), then the chosen item.
    selection.setAttribute("aria-labelledby", `${selection.id} ${rendered.id}`);
  };

  django.jQuery(() => {
    document
      .querySelectorAll("select.admin-autocomplete:not([name*=__prefix__])")
      .forEach(nameCombobox);
  });

  // A row added to an inline: Django's own listener has built its Select2 already.
  document.addEventListener("formset:added", (event) => {
    event.target.querySelectorAll("select.admin-autocomplete").forEach(nameCombobox);
  });
}
