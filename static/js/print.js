// Print buttons on staff pages: hidden until this script runs, so a page without JavaScript
// shows no button that does nothing (the browser's own print still works).
document.querySelectorAll("button[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
