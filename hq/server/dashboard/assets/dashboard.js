// Roadshow HQ dashboard: draws the charts described in #chart-data (Chart.js), uploads USB bundles and tour spreadsheets.
(function () {
  'use strict';
  var PALETTE = ['#1c5d99', '#e07b39', '#3f9c35', '#9b4dca', '#c62828', '#00838f', '#6d4c41', '#f9a825', '#455a64', '#ad1457', '#2e7d32'];
  var valueScales = function (spec) {
    var value = { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } };
    if (spec.percent) {
      value.max = 100;
      value.ticks = { callback: function (v) { return v + '%'; } };
    }
    var category = { stacked: !!spec.stacked };
    return spec.horizontal ? { x: value, y: category } : { x: category, y: value };
  };
  var data = document.getElementById('chart-data');
  if (data && window.Chart) {
    var specs = JSON.parse(data.textContent || '[]');
    specs.forEach(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas) return;
      new window.Chart(canvas, {
        type: 'bar',
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (d, i) {
            return { label: d.label, data: d.data, backgroundColor: PALETTE[(i + (spec.paletteStart || 0)) % PALETTE.length], stack: spec.stacked ? 's' : undefined };
          }),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          // Long lists lie on their side (spec.horizontal); shares are 0–100 % (spec.percent).
          indexAxis: spec.horizontal ? 'y' : 'x',
          plugins: { legend: { position: 'bottom' } },
          scales: valueScales(spec),
        },
      });
    });
  }

  var form = document.getElementById('bundle-form');
  if (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var file = form.querySelector('input[type=file]').files[0];
      var out = document.getElementById('bundle-result');
      if (!file) return;
      out.textContent = '…';
      fetch(form.action, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'x-csrf-token': form.querySelector('input[name=_csrf]').value,
          'x-trust-key': form.querySelector('input[name=trust]').checked ? '1' : '0',
        },
        body: file,
        credentials: 'same-origin',
      })
        .then(function (res) { return res.json(); })
        .then(function (body) {
          out.className = 'flash ' + (body.ok ? 'ok' : 'err');
          out.textContent = body.message;
        })
        .catch(function (err) {
          out.className = 'flash err';
          out.textContent = String(err);
        });
    });
  }

  // The tour spreadsheet: the file goes as application/octet-stream (no multipart parser at HQ), first to
  // the form's /check address; the server answers the report as HTML it rendered (escaped) and, for a clean
  // file, an Apply button that posts the same file to /apply.
  var sheet = document.getElementById('sheet-form');
  if (sheet) {
    var result = document.getElementById('sheet-result');
    var post = function (url, file) {
      result.textContent = sheet.getAttribute('data-checking') || '…';
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': sheet.querySelector('input[name=_csrf]').value },
        body: file,
        credentials: 'same-origin',
      })
        .then(function (res) { return res.json(); })
        .then(function (body) {
          result.className = '';
          result.innerHTML = body.html || '';
          return body;
        })
        .catch(function (err) {
          result.className = 'flash err';
          result.textContent = String(err);
        });
    };
    sheet.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var file = sheet.querySelector('input[type=file]').files[0];
      if (!file) return;
      post(sheet.action, file).then(function () {
        var apply = document.getElementById('sheet-apply');
        if (apply) apply.addEventListener('click', function () { apply.disabled = true; post(sheet.getAttribute('data-apply'), file); });
      });
    });
  }
})();
