// The back office works without JavaScript; this file only adds the key's copy button (no inline script: CSP).
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('button[data-copy-target]').forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy-target'));
      var status = document.getElementById('copy-status');
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = 'Copied.'; }
      }, function () {
        if (status) { status.textContent = 'Copy failed: select the key and copy it by hand.'; }
      });
    });
  });
});
