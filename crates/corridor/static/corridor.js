// Corridor's only script besides htmx: keep the CSRF header current for htmx requests made
// after a partial swap (the token lives on <body hx-headers>, which htmx reads itself).
document.addEventListener("htmx:responseError", function (event) {
  var target = document.getElementById("results");
  if (target && event.detail.xhr && event.detail.xhr.responseText) {
    target.setAttribute("data-error", String(event.detail.xhr.status));
  }
});
