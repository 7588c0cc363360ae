/* Whitecell participant page: a team's injects, live, with acknowledgement and answers.
 *
 * Everything the exercise sends is untrusted text: it only ever goes into textContent or an
 * attribute set through the DOM, never into HTML. The page loads nothing from elsewhere (the
 * server's Content-Security-Policy is default-src 'self'). */
"use strict";

(function () {
  const STRINGS = {
    en: {
      language: "Language", live: "Live", connecting: "Connecting…", offline: "Reconnecting…",
      lost: "Connection lost: this page's link is no longer valid.",
      pending: "Not started", running: "Running", paused: "Paused", ended: "Ended",
      empty: "No injects yet. They appear here as soon as the exercise sends them.",
      answer: "Answer…", "answer-more": "Answer again…",
      ack: "Acknowledge", acked: "Acknowledged at {t}", respond: "Your answer",
      send: "Send", sending: "Sending…", sent: "Answered at {t}", chose: "Chose: {o}",
      failed: "Could not send: {e}", "new": "New",
      email: "Email", phone: "Phone call", news: "News", social: "Social media",
      artefact: "Technical artefact", decision: "Decision", alert: "Alert",
    },
    nl: {
      language: "Taal", live: "Live", connecting: "Verbinden…", offline: "Opnieuw verbinden…",
      lost: "Verbinding verbroken: de link van deze pagina is niet meer geldig.",
      pending: "Niet gestart", running: "Bezig", paused: "Gepauzeerd", ended: "Beëindigd",
      empty: "Nog geen injects. Ze verschijnen hier zodra de oefening ze verstuurt.",
      answer: "Antwoorden…", "answer-more": "Opnieuw antwoorden…",
      ack: "Bevestigen", acked: "Bevestigd om {t}", respond: "Uw antwoord",
      send: "Versturen", sending: "Versturen…", sent: "Beantwoord om {t}", chose: "Gekozen: {o}",
      failed: "Versturen mislukt: {e}", "new": "Nieuw",
      email: "E-mail", phone: "Telefoon", news: "Nieuws", social: "Sociale media",
      artefact: "Technisch artefact", decision: "Beslissing", alert: "Waarschuwing",
    },
    fr: {
      language: "Langue", live: "En direct", connecting: "Connexion…", offline: "Reconnexion…",
      lost: "Connexion perdue : le lien de cette page n'est plus valable.",
      pending: "Pas commencé", running: "En cours", paused: "En pause", ended: "Terminé",
      empty: "Pas encore d'injects. Ils apparaissent ici dès que l'exercice les envoie.",
      answer: "Répondre…", "answer-more": "Répondre encore…",
      ack: "Accuser réception", acked: "Reçu à {t}", respond: "Votre réponse",
      send: "Envoyer", sending: "Envoi…", sent: "Répondu à {t}", chose: "Choix : {o}",
      failed: "Envoi impossible : {e}", "new": "Nouveau",
      email: "Courriel", phone: "Appel téléphonique", news: "Actualités", social: "Réseaux sociaux",
      artefact: "Artefact technique", decision: "Décision", alert: "Alerte",
    },
  };

  const token = decodeURIComponent(location.pathname.split("/")[2] || "");
  const $ = (id) => document.getElementById(id);
  const injects = new Map();   /* id → {data, element} */
  let lang = null;
  let languages = ["en"];
  let clock = { state: "pending", time_ms: 0, speed: 1, at: performance.now() };
  let source = null;
  let unseen = 0;

  function t(key, values) {
    const table = STRINGS[lang] || STRINGS.en;
    let text = table[key] || STRINGS.en[key] || key;
    for (const [name, value] of Object.entries(values || {}))
      text = text.replace("{" + name + "}", value);
    return text;
  }

  function formatTime(ms) {
    if (ms === null || ms === undefined) return "";
    const s = Math.max(0, Math.floor(ms / 1000));
    const pad = (n) => String(n).padStart(2, "0");
    return "T+" + pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }

  async function api(method, path, body) {
    const headers = { Authorization: "Bearer " + token };
    const init = { method, headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch("/api/v1/" + path, init);
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    if (!response.ok) {
      const error = new Error((json && json.error) || response.statusText);
      error.status = response.status;
      throw error;
    }
    return json;
  }

  /* The header */

  function setConnection(key) {
    const el = $("connection");
    el.textContent = t(key);
    el.dataset.state = key;
  }

  function setExercise(ex) {
    if (!ex) return;
    if (ex.state !== undefined) {
      clock = { state: ex.state, time_ms: ex.time_ms || 0, speed: ex.speed || 1, at: performance.now() };
      $("exercise-state").textContent = t(ex.state);
      $("exercise-state").dataset.state = ex.state;
      document.body.dataset.state = ex.state;
    }
    tick();
  }

  function tick() {
    let ms = clock.time_ms;
    if (clock.state === "running")
      ms += (performance.now() - clock.at) * clock.speed;
    $("clock").textContent = formatTime(ms);
  }

  function setTlp(el, tlp) {
    el.hidden = !tlp;
    el.textContent = tlp ? "TLP:" + tlp : "";
    el.dataset.tlp = tlp ? tlp.replace("+", "-").toLowerCase() : "";
  }

  function renderStaticTexts() {
    document.documentElement.lang = lang;
    $("lang-label").textContent = t("language");
    $("empty").textContent = t("empty");
    $("exercise-state").textContent = t(clock.state);
    setConnection($("connection").dataset.state || "connecting");
    const select = $("lang-select");
    select.replaceChildren();
    for (const code of languages) {
      const option = document.createElement("option");
      option.value = code;
      option.textContent = code.toUpperCase();
      option.selected = code === lang;
      select.append(option);
    }
    select.setAttribute("aria-label", t("language"));
  }

  /* An inject's card */

  function createCard(id) {
    const li = $("inject-template").content.firstElementChild.cloneNode(true);
    li.dataset.id = id;
    li.querySelector(".ack").addEventListener("click", () => acknowledge(id));
    li.querySelector(".respond").addEventListener("submit", (event) => {
      event.preventDefault();
      const area = li.querySelector("textarea");
      if (area.value.trim() !== "") respond(id, { text: area.value }, area);
    });
    return li;
  }

  function renderCard(entry) {
    const d = entry.data;
    const li = entry.element;
    const state = d.state || {};
    const responses = state.responses || [];
    li.dataset.channel = d.channel;
    li.querySelector(".channel").textContent = t(d.channel);
    li.querySelector(".sender").textContent = d.sender || "";
    const when = li.querySelector(".when");
    /* when the exercise sent it, the same for every team */
    when.textContent = formatTime(d.fired_ms);
    setTlp(li.querySelector(".tlp"), d.tlp);
    li.querySelector(".badge-new").textContent = entry.fresh ? t("new") : "";
    li.classList.toggle("fresh", !!entry.fresh);
    li.querySelector(".title").textContent = d.title || "";
    li.querySelector(".body").textContent = d.body || "";

    const list = li.querySelector(".attachments");
    list.replaceChildren();
    for (const a of d.attachments || []) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = a.url + "?access_token=" + encodeURIComponent(token);
      link.textContent = a.title || a.name;
      link.setAttribute("download", a.name);
      link.rel = "noopener";
      const type = document.createElement("span");
      type.className = "media-type";
      type.textContent = a.media_type;
      item.append(link, " ", type);
      list.append(item);
    }

    const chosen = responses.filter((r) => r.option).map((r) => r.option);
    const options = li.querySelector(".options");
    options.replaceChildren();
    for (const o of d.options || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "option";
      button.textContent = o.text;
      button.dataset.option = o.id;
      button.setAttribute("aria-pressed", chosen.includes(o.id) ? "true" : "false");
      button.disabled = clock.state === "ended";
      button.addEventListener("click", () => respond(d.id, { option: o.id }, null));
      options.append(button);
    }
    options.hidden = !(d.options && d.options.length);

    const acked = state.acknowledged_ms !== null && state.acknowledged_ms !== undefined;
    const ack = li.querySelector(".ack");
    ack.textContent = t("ack");
    ack.hidden = acked;
    ack.disabled = clock.state === "ended";
    li.querySelector(".ack-done").textContent = acked ? "✓ " + t("acked", { t: formatTime(state.acknowledged_ms) }) : "";
    li.classList.toggle("acknowledged", acked);

    const log = li.querySelector(".responses");
    log.replaceChildren();
    for (const r of responses) {
      const item = document.createElement("li");
      const stamp = document.createElement("span");
      stamp.className = "stamp";
      stamp.textContent = t("sent", { t: formatTime(r.t_ms) });
      item.append(stamp);
      if (r.option) {
        const option = (d.options || []).find((o) => o.id === r.option);
        const p = document.createElement("p");
        p.className = "chosen";
        p.textContent = t("chose", { o: option ? option.text : r.option });
        item.append(p);
      }
      if (r.text) {
        const p = document.createElement("p");
        p.textContent = r.text;
        item.append(p);
      }
      log.append(item);
    }
    li.querySelector(".respond-summary").textContent = t(responses.length ? "answer-more" : "answer");
    li.querySelector(".respond-label").textContent = t("respond");
    const send = li.querySelector(".send");
    if (!send.dataset.busy) send.textContent = t("send");
    li.querySelector(".respond-box").hidden = clock.state === "ended";
  }

  function upsert(data, fresh) {
    let entry = injects.get(data.id);
    if (!entry) {
      entry = { data, element: createCard(data.id), fresh };
      injects.set(data.id, entry);
      if (fresh && document.hidden) {
        unseen++;
        updateTitle();
      }
      /* newest first */
      $("injects").prepend(entry.element);
    } else {
      entry.data = Object.assign({}, entry.data, data);
    }
    renderCard(entry);
    $("empty").hidden = injects.size > 0;
  }

  function setState(id, state) {
    const entry = injects.get(id);
    if (!entry) return;
    entry.data.state = state;
    renderCard(entry);
  }

  function updateTitle() {
    const base = $("exercise-title").textContent;
    document.title = (unseen > 0 ? "(" + unseen + ") " : "") + base;
  }

  function showNotice(text) {
    const notice = $("notice");
    notice.textContent = text || "";
    notice.hidden = !text;
  }

  /* What a team does */

  async function acknowledge(id) {
    const entry = injects.get(id);
    const button = entry.element.querySelector(".ack");
    button.disabled = true;
    try {
      const reply = await api("POST", "injects/" + encodeURIComponent(id) + "/ack");
      const state = Object.assign({}, entry.data.state, { acknowledged_ms: reply.acknowledged_ms });
      entry.fresh = false;
      setState(id, state);
      showNotice(null);
    } catch (error) {
      button.disabled = false;
      showNotice(t("failed", { e: error.message }));
    }
  }

  async function respond(id, body, area) {
    const entry = injects.get(id);
    const send = entry.element.querySelector(".send");
    send.dataset.busy = "1";
    send.textContent = t("sending");
    send.disabled = true;
    try {
      const reply = await api("POST", "injects/" + encodeURIComponent(id) + "/responses", body);
      const state = Object.assign({ responses: [] }, entry.data.state);
      const known = (state.responses || []).some((r) => r.t_ms === reply.response.t_ms &&
                                                       r.text === reply.response.text &&
                                                       r.option === reply.response.option);
      if (!known) state.responses = (state.responses || []).concat([reply.response]);
      if (area) {
        area.value = "";
        entry.element.querySelector(".respond-box").open = false;
      }
      entry.fresh = false;
      showNotice(null);
      delete send.dataset.busy;
      send.disabled = false;
      setState(id, state);
    } catch (error) {
      delete send.dataset.busy;
      send.disabled = false;
      send.textContent = t("send");
      showNotice(t("failed", { e: error.message }));
    }
  }

  /* Live: the event stream; after any fresh connection, the full list, so nothing is missed. */

  async function refresh() {
    const list = await api("GET", "injects?lang=" + encodeURIComponent(lang));
    for (const d of list.injects) upsert(d, false);
  }

  function connect() {
    if (source) source.close();
    setConnection("connecting");
    source = new EventSource("/api/v1/events?lang=" + encodeURIComponent(lang) +
                             "&access_token=" + encodeURIComponent(token));
    let synced = false;
    source.addEventListener("open", () => {
      setConnection("live");
      showNotice(null);
      if (!synced) {
        synced = true;
        refresh().catch((error) => showNotice(t("failed", { e: error.message })));
      }
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) {
        /* the server refused the stream: try again from scratch in a while */
        setConnection("offline");
        setTimeout(start, 5000);
      } else {
        setConnection("offline");
      }
    });
    source.addEventListener("exercise", (event) => {
      const ex = JSON.parse(event.data);
      setExercise(ex);
      for (const entry of injects.values()) renderCard(entry);
    });
    source.addEventListener("inject", (event) => upsert(JSON.parse(event.data), synced));
    source.addEventListener("state", (event) => {
      const d = JSON.parse(event.data);
      setState(d.inject, d.state);
    });
    /* the server sends what changed: an acknowledgement, or the one new answer */
    const merge = (event) => {
      const d = JSON.parse(event.data);
      const entry = injects.get(d.inject);
      if (!entry) return;
      const state = Object.assign({ responses: [] }, entry.data.state);
      if (d.acknowledged_ms !== undefined) state.acknowledged_ms = d.acknowledged_ms;
      const r = d.response;
      if (r && !(state.responses || []).some((x) => x.t_ms === r.t_ms && x.text === r.text &&
                                                   x.option === r.option))
        state.responses = (state.responses || []).concat([r]);
      setState(d.inject, state);
    };
    source.addEventListener("acknowledged", merge);
    source.addEventListener("response", merge);
    source.addEventListener("resync", () => refresh().catch(() => {}));
  }

  async function start() {
    try {
      let me = await api("GET", "me");
      const saved = localStorage.getItem("whitecell-lang");
      languages = me.exercise.languages || ["en"];
      /* the team's own language, unless someone on this browser chose another */
      lang = languages.includes(saved) ? saved : me.exercise.language || languages[0];
      if (lang !== me.exercise.language)
        me = await api("GET", "me?lang=" + encodeURIComponent(lang));
      $("exercise-title").textContent = me.exercise.title;
      $("team-name").textContent = me.team.name;
      setTlp($("tlp"), me.exercise.tlp);
      setExercise(me.exercise);
      renderStaticTexts();
      updateTitle();
      connect();
    } catch (error) {
      setConnection("offline");
      if (error.status === 401 || error.status === 404)
        showNotice(t("lost"));
      else
        setTimeout(start, 5000);
    }
  }

  function changeLanguage(code) {
    if (code === lang) return;
    lang = code;
    localStorage.setItem("whitecell-lang", code);
    /* the texts of every inject come again in the new language */
    start();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const saved = localStorage.getItem("whitecell-lang");
    const browser = (navigator.language || "en").slice(0, 2);
    lang = STRINGS[saved] ? saved : STRINGS[browser] ? browser : "en";
    renderStaticTexts();
    setConnection("connecting");
    $("lang-select").addEventListener("change", (event) => changeLanguage(event.target.value));
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) {
        unseen = 0;
        updateTitle();
      }
    });
    setInterval(tick, 1000);
    if (!token) {
      showNotice(t("lost"));
      return;
    }
    start();
  });
})();
