// Progress for the evaluation export (progressive enhancement: without
// JavaScript the form downloads the ZIP directly). The ZIP is streamed
// without a known length, so the page shows the megabytes received.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('export-form');
  var out = document.getElementById('export-progress');
  if (!form || !out || !window.fetch || !window.ReadableStream || !window.URLSearchParams) return;
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var url = form.action + '?' + new URLSearchParams(new FormData(form)).toString();
    var button = form.querySelector('button');
    button.disabled = true;
    out.textContent = out.dataset.start;
    fetch(url, {credentials: 'same-origin'}).then(function (resp) {
      if (!resp.ok || !resp.body) { window.location = url; return; } // the server's own page explains
      var reader = resp.body.getReader();
      var chunks = [];
      var n = 0;
      var name = ((resp.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/) || [])[1] || 'evaluering.zip';
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) {
            var a = document.createElement('a');
            a.href = URL.createObjectURL(new Blob(chunks, {type: 'application/zip'}));
            a.download = name;
            document.body.appendChild(a);
            a.click();
            a.remove();
            out.textContent = out.dataset.done;
            return;
          }
          chunks.push(r.value);
          n += r.value.length;
          out.textContent = out.dataset.label.replace('%s', (n / 1e6).toFixed(1).replace('.', out.dataset.decimal));
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      out.textContent = out.dataset.failed;
    }).then(function () {
      button.disabled = false;
    });
  });
});
