/*
 * Browser mode's first screen: its reads are asked for here, while the app's code is still loading,
 * rather than once React has rendered (renderer/api/transportHttp.ts takes the answers). A plain
 * script, not bundled: it runs as soon as the page's head is read. Two waves: what the lock check
 * and the desk's settings, stops and tours ask (at once), then, as soon as those say who is signed
 * in and which stop the desk is at, what the check-in screen asks for that stop (its counts, its
 * list, the flagged attendees, its programme sessions). Reads only, each answer used by as many
 * calls as asked for it below, only in the first seconds, and none once the page has written
 * anything (the transport drops them all at its first call that is not one of these reads).
 * Electron (a bridge, no launch token in the address) asks nothing here.
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
    return text;
  }
  function value(text) {
    return text.then(function (t) {
      var r = JSON.parse(t);
      return r && r.ok ? r.value : null;
    });
  }
  // What the lock check (authStore) and the desk's settings, stops and tours (appStore) ask at once.
  var auth = ask('auth:status', {}, 1);
  var settings = ask('settings:get', {}, 2);
  ask('app:info', {}, 1);
  ask('stops:list', {}, 1);
  ask('tours:list', {}, 1);
  // The check-in screen (the first screen of whoever may check people in) at the desk's stop: the same
  // inputs, in the same order, as renderer/state/checkinStore.ts, attendeeEditStore.ts and
  // sessionCheckinStore.ts send them. Not asked on a locked desk, for someone without the check-in
  // screen, or once the page has dropped the answers (a write came first).
  Promise.all([value(auth), value(settings)])
    .then(function (r) {
      var status = r[0];
      var stopId = r[1] && r[1].currentStopId;
      if (window.__roadshowPrefetch !== answers || !stopId || !status || !status.signedIn) return;
      if (!status.permissions || status.permissions.indexOf('checkin.write') < 0) return;
      ask('checkin:counts', { stopId: stopId }, 1);
      ask('checkin:search', { stopId: stopId, query: '', limit: 20 }, 1);
      ask('attendees:flagged', { stopId: stopId }, 1);
      ask('sessions:list', { stopId: stopId }, 1);
    })
    .catch(function () {});
})();
