// The remote notarization session page: camera and microphone, a WebRTC connection between the
// applicant's browser and the notary's (signalling through this server's socket; media browser
// to browser), the notary's recording, uploaded with its SHA-256 so the server can refuse a
// damaged upload, and the session's steps through the JSON API. The notary's side makes the
// offer; the applicant's answers. Nothing is sent to anyone but this server and the other
// browser.
(function () {
  "use strict";
  var root = document.getElementById("session");
  if (!root) {
    return;
  }
  var cfg = JSON.parse(root.dataset.config);
  var csrf = root.dataset.csrf;
  var api = "/api/v1/notary/applications/" + cfg.id + "/session";
  var notary = cfg.side === "notary";
  var pc = null;
  var ws = null;
  var local = null;
  var remote = null;
  var pending = [];
  var recorder = null;
  var chunks = [];

  function $(id) {
    return document.getElementById(id);
  }

  function setState(id, state) {
    var el = $(id);
    if (el) {
      el.textContent = state;
      el.dataset.state = state;
    }
  }

  function showError(e) {
    var el = $("session-error");
    el.textContent = (e && e.message) || String(e);
    el.dataset.code = (e && e.code) || "error";
  }

  // The session as the server now has it.
  function show(view) {
    var s = view.session;
    root.dataset.missing = view.missing.join(" ");
    root.dataset.held = s.held_at ? "yes" : "no";
    root.dataset.recorded = s.recording ? "yes" : "no";
    root.dataset.signed = s.signature ? "yes" : "no";
    root.dataset.consented = s.consent_at ? "yes" : "no";
    var list = $("missing");
    list.textContent = "";
    view.missing.forEach(function (step) {
      var li = document.createElement("li");
      li.dataset.step = step;
      li.textContent = step;
      list.appendChild(li);
    });
    var qa = $("qa-list");
    if (qa) {
      qa.textContent = "";
      s.qa.forEach(function (pair) {
        var li = document.createElement("li");
        li.textContent = pair.question + " — " + pair.answer;
        qa.appendChild(li);
      });
    }
    $("session-error").textContent = "";
  }

  function call(method, path, body, headers) {
    var h = { "X-CSRF-Token": csrf };
    Object.keys(headers || {}).forEach(function (k) {
      h[k] = headers[k];
    });
    return fetch(api + path, { method: method, credentials: "same-origin", headers: h, body: body })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) {
            throw j;
          }
          return j;
        });
      })
      .then(show, function (e) {
        showError(e);
        // Callers that clear a form must not when the server refused it.
        throw e;
      });
  }

  function post(path, value) {
    return call("POST", path, JSON.stringify(value || {}), { "Content-Type": "application/json" });
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(message));
    }
  }

  // A fresh connection each time the other side (re)joins: a reload on either side starts over.
  function newPeer() {
    if (pc) {
      pc.close();
    }
    pending = [];
    pc = new RTCPeerConnection({ iceServers: cfg.ice || [] });
    local.getTracks().forEach(function (t) {
      pc.addTrack(t, local);
    });
    pc.ontrack = function (e) {
      remote = e.streams[0];
      $("remote").srcObject = remote;
    };
    pc.onicecandidate = function (e) {
      if (e.candidate) {
        send({ type: "ice", candidate: e.candidate });
      }
    };
    pc.onconnectionstatechange = function () {
      setState("rtc-state", pc.connectionState);
    };
    setState("rtc-state", "connecting");
  }

  function offer() {
    newPeer();
    pc.createOffer()
      .then(function (o) {
        return pc.setLocalDescription(o);
      })
      .then(function () {
        send({ type: "offer", sdp: pc.localDescription });
      })
      .catch(showError);
  }

  function flushCandidates() {
    pending.forEach(function (c) {
      pc.addIceCandidate(c).catch(showError);
    });
    pending = [];
  }

  function onSignal(message) {
    if (message.type === "welcome" && message.peer_present && notary) {
      offer();
    } else if (message.type === "peer") {
      if (message.present && notary) {
        offer();
      } else if (!message.present) {
        setState("rtc-state", "waiting");
      }
    } else if (message.type === "offer" && !notary) {
      newPeer();
      pc.setRemoteDescription(message.sdp)
        .then(function () {
          flushCandidates();
          return pc.createAnswer();
        })
        .then(function (a) {
          return pc.setLocalDescription(a);
        })
        .then(function () {
          send({ type: "answer", sdp: pc.localDescription });
        })
        .catch(showError);
    } else if (message.type === "answer" && notary && pc) {
      pc.setRemoteDescription(message.sdp).then(flushCandidates).catch(showError);
    } else if (message.type === "ice" && pc) {
      if (pc.remoteDescription) {
        pc.addIceCandidate(message.candidate).catch(showError);
      } else {
        pending.push(message.candidate);
      }
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(scheme + "//" + location.host + "/notary/applications/" + cfg.id + "/session/signal");
    ws.onmessage = function (e) {
      onSignal(JSON.parse(e.data));
    };
    ws.onclose = function () {
      setState("rtc-state", "signalling closed");
    };
  }

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // The notary records the applicant's camera with both voices (the applicant's and the
  // notary's, mixed), at a bitrate that keeps a 30-minute session near 100 MB; the upload
  // carries its SHA-256.
  function startRecording() {
    if (!remote) {
      showError({ message: "no video from the applicant yet", code: "no_remote" });
      return;
    }
    chunks = [];
    var tracks = remote.getVideoTracks();
    try {
      var audio = new AudioContext();
      var mix = audio.createMediaStreamDestination();
      [remote, local].forEach(function (s) {
        if (s && s.getAudioTracks().length > 0) {
          audio.createMediaStreamSource(s).connect(mix);
        }
      });
      tracks = tracks.concat(mix.stream.getAudioTracks());
    } catch (e) {
      tracks = tracks.concat(remote.getAudioTracks());
    }
    recorder = new MediaRecorder(new MediaStream(tracks), {
      mimeType: "video/webm",
      videoBitsPerSecond: 400000,
      audioBitsPerSecond: 32000,
    });
    recorder.ondataavailable = function (e) {
      if (e.data && e.data.size > 0) {
        chunks.push(e.data);
      }
    };
    var requested = false;
    recorder.requestStop = function () {
      requested = true;
      recorder.stop();
    };
    recorder.onstop = function () {
      if (!requested) {
        // The connection was renewed (a reload on either side) and took the tracks with it:
        // a fragment is not the session's recording. Start again once connected.
        setState("recording-state", "interrupted");
        showError({ message: "the recording stopped with the connection; start it again", code: "recording_interrupted" });
        return;
      }
      var blob = new Blob(chunks, { type: "video/webm" });
      setState("recording-state", "uploading");
      blob
        .arrayBuffer()
        .then(function (buffer) {
          return crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
            return call("PUT", "/recording", buffer, {
              "Content-Type": "video/webm",
              "X-Content-SHA256": hex(digest),
            });
          });
        })
        .then(
          function () {
            setState("recording-state", "uploaded");
          },
          function () {
            setState("recording-state", "failed");
          }
        );
    };
    recorder.start(500);
    setState("recording-state", "recording");
  }

  function wire() {
    document.querySelectorAll("button.identity").forEach(function (b) {
      b.addEventListener("click", function () {
        post("/identity", { step: b.dataset.step, passed: b.dataset.passed === "true" }).catch(
          function () {}
        );
      });
    });
    var on = function (id, event, handler) {
      var el = $(id);
      if (el) {
        el.addEventListener(event, handler);
      }
    };
    on("record-start", "click", startRecording);
    on("record-stop", "click", function () {
      if (recorder && recorder.state !== "inactive") {
        recorder.requestStop();
      }
    });
    on("qa-form", "submit", function (e) {
      e.preventDefault();
      post("/qa", { question: $("qa-question").value, answer: $("qa-answer").value }).then(
        function () {
          $("qa-question").value = "";
          $("qa-answer").value = "";
        },
        function () {
          // Refused: the text stays in the form; the reason is shown.
        }
      );
    });
    on("hold", "click", function () {
      post("/hold", {}).catch(function () {});
    });
    on("consent", "click", function () {
      post("/consent", {}).catch(function () {});
    });
    on("sign-form", "submit", function (e) {
      e.preventDefault();
      post("/signature", { name: $("sign-name").value }).catch(function () {});
    });
  }

  wire();
  navigator.mediaDevices
    .getUserMedia({ video: true, audio: true })
    .then(function (stream) {
      local = stream;
      $("local").srcObject = stream;
      connect();
    })
    .catch(showError);
})();
