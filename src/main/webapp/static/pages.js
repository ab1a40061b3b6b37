// Small helpers for the management pages; no inline script anywhere.
document.addEventListener('click', function (event) {
  var button = event.target.closest('button.copy');
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute('data-copy'));
  if (!source) {
    return;
  }
  var done = function () {
    button.textContent = 'Copied';
    setTimeout(function () { button.textContent = 'Copy'; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value).then(done, function () {
      source.select();
    });
  } else {
    // Plain http (a local cluster): select the text and use the older copy command.
    source.focus();
    source.select();
    if (document.execCommand('copy')) {
      done();
    }
  }
});
