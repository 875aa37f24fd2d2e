/*
 * Browser mode's first screen: its reads are asked for here, while the app's code is still loading,
 * rather than once React has rendered (renderer/api/transportHttp.ts takes the answers). A plain
 * script, not bundled: it runs as soon as the page's head is read. One call, `app:boot`
 * (core/api/bootHandlers.ts): the host answers what the lock check and the desk's settings, stops and
 * tours read and, for someone signed in who may check people in, what the check-in screen reads at
 * the desk's stop (its counts, its list, the flagged attendees, its programme sessions), each as its
 * own channel would. Each answer is offered to the call with the same channel and input, as many
 * times as listed below (once for the check-in screen's), only in the first seconds, and none once
 * the page has written anything (the transport drops them all at its first call that is not one of
 * the start's reads). Electron (a bridge, no launch token in the address) asks nothing here.
 */
(function () {
  'use strict';
  if (window.roadshow) return;
  var m = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(location.hash);
  var token = m ? m[1] : window.sessionStorage.getItem('roadshow.launchToken');
  if (!token) return;
  var answers = {};
  window.__roadshowPrefetch = answers;
  var until = Date.now() + 5000;
  function noop() {}
  function post(channel, body) {
    return fetch('api/' + channel, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: body,
    }).then(function (res) {
      return res.text();
    });
  }
  // The host's answers, as [{ channel, input, result }].
  var boot = post('app:boot', '{}').then(function (text) {
    var r = JSON.parse(text);
    if (!r || !r.ok || !r.value || !Array.isArray(r.value.calls)) throw new Error('app:boot');
    return r.value.calls;
  });
  boot.catch(noop);
  function found(calls, channel, body) {
    for (var i = 0; i < calls.length; i++) {
      if (calls[i].channel === channel && JSON.stringify(calls[i].input) === body) return JSON.stringify(calls[i].result);
    }
    return null;
  }
  // The check-in screen's answers are offered as soon as the host's came (before the lock check's and the
  // settings' are handed to the page, which then asks for the stop's): unless the page wrote in between.
  boot
    .then(function (calls) {
      if (window.__roadshowPrefetch !== answers) return;
      for (var i = 0; i < calls.length; i++) {
        var key = calls[i].channel + '\n' + JSON.stringify(calls[i].input);
        if (!answers[key]) answers[key] = { text: Promise.resolve(JSON.stringify(calls[i].result)), uses: 1, token: token, until: until };
      }
    })
    .catch(noop);
  // What the lock check (authStore) and the desk's settings, stops and tours (appStore) ask at once:
  // offered now, answered by the host's boot (or, if it failed, asked on their own).
  function first(channel, uses) {
    var body = '{}';
    var text = boot.then(
      function (calls) {
        var t = found(calls, channel, body);
        return t !== null ? t : post(channel, body);
      },
      function () {
        return post(channel, body);
      }
    );
    text.catch(noop);
    answers[channel + '\n' + body] = { text: text, uses: uses, token: token, until: until };
  }
  first('auth:status', 1);
  first('settings:get', 2);
  first('app:info', 1);
  first('stops:list', 1);
  first('tours:list', 1);
})();
