/*
 * Runs before the report's other scripts: any script error, even one that stops a script from
 * being parsed, sets body[data-error] to its message.
 */
window.addEventListener("error", function (e) { document.body.dataset.error = String(e.message); });
