/*
 * Browser mode's first screen: its reads are asked for here, while the app's code (1 MB) is still
 * loading, rather than once React has rendered (renderer/api/transportHttp.ts takes the answers).
 * A plain script, not bundled: it runs as soon as the page's head is read. Reads only, each answer
 * used by as many calls as asked for it below, and only in the first seconds (later calls ask the
 * host). Electron (a bridge, no launch token in the address) asks nothing here.
 */
(function () {
  'use strict';
  if (window.roadshow) return;
  var m = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(location.hash);
  var token = m ? m[1] : window.sessionStorage.getItem('roadshow.launchToken');
  if (!token) return;
  var answers = {};
  window.__roadshowPrefetch = answers;
  function ask(channel, input, uses) {
    var body = JSON.stringify(input);
    var text = fetch('api/' + channel, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: body,
    }).then(function (res) {
      return res.text();
    });
    text.catch(function () {});
    answers[channel + '\n' + body] = { text: text, uses: uses, token: token, until: Date.now() + 5000 };
  }
  // What the lock check (authStore) and the desk's settings, stops and tours (appStore) ask at once.
  ask('auth:status', {}, 1);
  ask('settings:get', {}, 2);
  ask('app:info', {}, 1);
  ask('stops:list', {}, 1);
  ask('tours:list', {}, 1);
})();
