// Shows that static/js is served: the page's paragraph gets the time.
document.getElementById("clock")?.append(" " + new Date().toLocaleTimeString());
