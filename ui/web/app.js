/* Whitecell's web pages: what the participant page and the evaluators' page share (the token, the
 * API, the clock, the language, the header's chips, the event stream), then the participant page:
 * a team's injects, live, with acknowledgement and answers, and its feedback in the hot wash.
 *
 * Everything the exercise sends is untrusted text: it only ever goes into textContent or an
 * attribute set through the DOM, never into HTML. The page loads nothing from elsewhere (the
 * server's Content-Security-Policy is default-src 'self'). */
"use strict";

/* The evaluators' page loads this file too, for Whitecell.createPage(). */
const Whitecell = (function () {
  const token = decodeURIComponent(location.pathname.split("/")[2] || "");
  const $ = (id) => document.getElementById(id);

  function formatTime(ms) {
    if (ms === null || ms === undefined) return "";
    const s = Math.max(0, Math.floor(ms / 1000));
    const pad = (n) => String(n).padStart(2, "0");
    return "T+" + pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }

  /* @key: the request's Idempotency-Key (sendOnce), if any */
  async function api(method, path, body, key) {
    const headers = { Authorization: "Bearer " + token };
    const init = { method, headers, cache: "no-store" };
    if (key) headers["Idempotency-Key"] = key;
    if (body instanceof FormData) {
      init.body = body;  /* multipart, its boundary set by the browser */
    } else if (body !== undefined) {
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

  /* Idempotency-Keys (docs/API.md): what a team sends keeps its key while the same content is sent
   * again (its reply lost on the network, or a relay's 504 while the controller is away), so that
   * the controller records it once; a new key once it went through, or when the content changed.
   * crypto.getRandomValues, not crypto.randomUUID: teams often open the page over plain HTTP on a
   * LAN, where randomUUID does not exist. */
  const keys = new Map();

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function contentOf(body) {
    if (!(body instanceof FormData)) return JSON.stringify(body === undefined ? null : body);
    /* a file by what the browser tells of it */
    const part = (value) => typeof value === "string" ? value
                            : [value.name, value.size, value.type, value.lastModified];
    return JSON.stringify([...body.entries()].map(([name, value]) => [name, part(value)]));
  }

  /* POSTs @body to @path as what @slot sends (an inject's answer box, a form): a retry of the same
   * content is known by the controller as one. */
  async function sendOnce(slot, path, body) {
    const content = contentOf(body);
    let kept = keys.get(slot);
    if (!kept || kept.content !== content) {
      kept = { content, key: newKey() };
      keys.set(slot, kept);
    }
    try {
      const reply = await api("POST", path, body, kept.key);
      if (keys.get(slot) === kept) keys.delete(slot);
      return reply;
    } catch (error) {
      /* refused for good (the exercise's state, or a key that made something else): the next
       * click is a new request */
      if (error.status === 409 && keys.get(slot) === kept) keys.delete(slot);
      throw error;
    }
  }

  function setTlp(el, tlp) {
    el.hidden = !tlp;
    el.textContent = tlp ? "TLP:" + tlp : "";
    el.dataset.tlp = tlp ? tlp.replace("+", "-").toLowerCase() : "";
  }

  function showNotice(text) {
    const notice = $("notice");
    notice.textContent = text || "";
    notice.hidden = !text;
  }

  /* A page's header and texts in @strings ({en: {…}, nl: {…}, fr: {…}}): every element with a
   * data-t attribute gets the text of that key. */
  function createPage(strings) {
    const page = {
      token, $, api, sendOnce, formatTime, setTlp, showNotice,
      lang: null,
      languages: ["en"],
      clock: { state: "pending", time_ms: 0, speed: 1, at: performance.now() },
    };

    page.t = function (key, values) {
      const table = strings[page.lang] || strings.en;
      let text = table[key] || strings.en[key] || key;
      for (const [name, value] of Object.entries(values || {}))
        text = text.replace("{" + name + "}", value);
      return text;
    };

    /* the language saved on this browser, else the browser's, else English */
    page.guessLanguage = function () {
      const saved = localStorage.getItem("whitecell-lang");
      const browser = (navigator.language || "en").slice(0, 2);
      page.lang = strings[saved] ? saved : strings[browser] ? browser : "en";
    };

    page.setConnection = function (key) {
      const el = $("connection");
      el.textContent = page.t(key);
      el.dataset.state = key;
    };

    /* the exercise time now, as the header's clock shows it */
    page.now = function () {
      const c = page.clock;
      let ms = c.time_ms;
      if (c.state === "running")
        ms += (performance.now() - c.at) * c.speed;
      return ms;
    };

    page.tick = function () {
      $("clock").textContent = formatTime(page.now());
      for (const hook of page.onTick || []) hook();
    };

    /* more texts for the page, from a part of it in a file of its own (traffic.js) */
    page.addStrings = function (more) {
      for (const [code, table] of Object.entries(more))
        strings[code] = Object.assign(strings[code] || {}, table);
    };

    page.setExercise = function (ex) {
      if (!ex) return;
      if (ex.state !== undefined) {
        page.clock = { state: ex.state, time_ms: ex.time_ms || 0, speed: ex.speed || 1,
                       at: performance.now() };
        $("exercise-state").textContent = page.t(ex.state);
        $("exercise-state").dataset.state = ex.state;
        document.body.dataset.state = ex.state;
      }
      page.tick();
    };

    page.translate = function (root) {
      for (const el of root.querySelectorAll("[data-t]"))
        el.textContent = page.t(el.dataset.t);
    };

    page.renderStaticTexts = function () {
      document.documentElement.lang = page.lang;
      page.translate(document);
      $("lang-label").textContent = page.t("language");
      $("exercise-state").textContent = page.t(page.clock.state);
      page.setConnection($("connection").dataset.state || "connecting");
      const select = $("lang-select");
      select.replaceChildren();
      for (const code of page.languages) {
        const option = document.createElement("option");
        option.value = code;
        option.textContent = code.toUpperCase();
        option.selected = code === page.lang;
        select.append(option);
      }
      select.setAttribute("aria-label", page.t("language"));
    };

    page.saveLanguage = function (code) {
      page.lang = code;
      localStorage.setItem("whitecell-lang", code);
    };

    /* A delay spread from half to one and a half times @ms: the pages of thousands of teams
     * that lost the server at the same moment do not all come back at the same moment. */
    const jittered = (ms) => Math.round(ms * (0.5 + Math.random()));

    /* An event stream that comes back by itself: EventSource reconnects after the server's
     * jittered "retry:" (and the server replays what was missed since Last-Event-ID); a stream
     * the server refused is opened again from scratch in a jittered while. @onFirstOpen runs once per stream, to fetch the full state. */
    page.openStream = function (url, handlers, onFirstOpen, onRefused) {
      if (page.source) page.source.close();
      page.setConnection("connecting");
      const source = new EventSource(url + (url.includes("?") ? "&" : "?") + "access_token=" +
                                     encodeURIComponent(token));
      let synced = false;
      page.source = source;
      source.addEventListener("open", () => {
        page.setConnection("live");
        showNotice(null);
        if (!synced) {
          synced = true;
          onFirstOpen();
        }
      });
      source.addEventListener("error", () => {
        page.setConnection("offline");
        if (source.readyState === EventSource.CLOSED)
          setTimeout(onRefused, jittered(5000));
      });
      for (const [name, handler] of Object.entries(handlers))
        source.addEventListener(name, (event) => handler(JSON.parse(event.data), synced));
      return source;
    };

    /* The message for a request that failed: what the server said, and that it can be tried
     * again when it was not the request's fault. */
    page.showFormError = function (el, error) {
      el.textContent = error ? page.t("failed", { e: error.message }) : "";
      el.hidden = !error;
    };

    /* A first request that failed: a link no longer valid says so, anything else is tried
     * again in a while. */
    page.startFailed = function (error, retry) {
      page.setConnection("offline");
      if (error.status === 410)  /* the hot wash is over: the server says so in its words */
        showNotice(error.message);
      else if (error.status === 401 || error.status === 403 || error.status === 404)
        showNotice(page.t("lost"));
      else
        setTimeout(retry, jittered(5000));
    };

    /* The page's first moments: its texts in a guessed language, the clock ticking, then
     * @start when the link has a token at all. */
    page.boot = function (start, onLanguage) {
      page.guessLanguage();
      page.renderStaticTexts();
      page.setConnection("connecting");
      $("lang-select").addEventListener("change", (event) => onLanguage(event.target.value));
      setInterval(page.tick, 1000);
      if (token)
        start();
      else
        showNotice(page.t("lost"));
    };

    return page;
  }

  return { createPage };
})();

/* The participant page */
(function () {
  const STRINGS = {
    en: {
      language: "Language", marking: "EXERCISE", live: "Live", connecting: "Connecting…", offline: "Reconnecting…",
      lost: "Connection lost: this page's link is no longer valid.",
      pending: "Not started", running: "Running", paused: "Paused", ended: "Ended",
      empty: "No injects yet. They appear here as soon as the exercise sends them.",
      answer: "Answer…", "answer-more": "Answer again…",
      ack: "Acknowledge", acked: "Acknowledged at {t}", respond: "Your answer",
      send: "Send", sending: "Sending…", sent: "Answered at {t}", chose: "Chose: {o}",
      failed: "Could not send: {e}", "new": "New",
      "confirm-q": "Record your team's decision: “{o}”?",
      reasons: "Your reasons (recorded with the decision)",
      "confirm-yes": "Confirm decision", "confirm-no": "Cancel",
      email: "Email", phone: "Phone call", news: "News", social: "Social media",
      artefact: "Technical artefact", decision: "Decision", alert: "Alert", chat: "Chat message",
      "fb-title": "The exercise has ended: your feedback",
      "fb-intro": "Everything you received and sent stays here to read. Tell the exercise " +
                  "team how it went; you can change your feedback until the hot wash closes.",
      "fb-strengths": "What went well", "fb-improvements": "What could be improved",
      "fb-realism": "How realistic was the scenario? (1 = not at all, 5 = very)",
      "fb-usefulness": "How useful was the exercise for your team? (1 = not at all, 5 = very)",
      "fb-text": "Anything else", "fb-send": "Send feedback", "fb-change": "Change feedback",
      "fb-given": "Feedback sent. You can still change it.",
      "fb-given-at": "Feedback sent at {t}. You can still change it.",
      "fb-closed": "The hot wash has closed: feedback can no longer be sent or changed.",
    },
    nl: {
      language: "Taal", marking: "OEFENING", live: "Live", connecting: "Verbinden…", offline: "Opnieuw verbinden…",
      lost: "Verbinding verbroken: de link van deze pagina is niet meer geldig.",
      pending: "Niet gestart", running: "Bezig", paused: "Gepauzeerd", ended: "Beëindigd",
      empty: "Nog geen injects. Ze verschijnen hier zodra de oefening ze verstuurt.",
      answer: "Antwoorden…", "answer-more": "Opnieuw antwoorden…",
      ack: "Bevestigen", acked: "Bevestigd om {t}", respond: "Uw antwoord",
      send: "Versturen", sending: "Versturen…", sent: "Beantwoord om {t}", chose: "Gekozen: {o}",
      failed: "Versturen mislukt: {e}", "new": "Nieuw",
      "confirm-q": "De beslissing van uw team vastleggen: “{o}”?",
      reasons: "Uw redenen (worden met de beslissing vastgelegd)",
      "confirm-yes": "Beslissing bevestigen", "confirm-no": "Annuleren",
      email: "E-mail", phone: "Telefoon", news: "Nieuws", social: "Sociale media",
      artefact: "Technisch artefact", decision: "Beslissing", alert: "Waarschuwing", chat: "Chatbericht",
      "fb-title": "De oefening is afgelopen: uw feedback",
      "fb-intro": "Alles wat u ontving en verstuurde, blijft hier leesbaar. Laat het " +
                  "oefeningsteam weten hoe het ging; u kunt uw feedback wijzigen tot de " +
                  "nabespreking sluit.",
      "fb-strengths": "Wat ging goed", "fb-improvements": "Wat kan beter",
      "fb-realism": "Hoe realistisch was het scenario? (1 = helemaal niet, 5 = zeer)",
      "fb-usefulness": "Hoe nuttig was de oefening voor uw team? (1 = helemaal niet, 5 = zeer)",
      "fb-text": "Nog iets", "fb-send": "Feedback versturen", "fb-change": "Feedback wijzigen",
      "fb-given": "Feedback verstuurd. U kunt ze nog wijzigen.",
      "fb-given-at": "Feedback verstuurd om {t}. U kunt ze nog wijzigen.",
      "fb-closed": "De nabespreking is gesloten: feedback kan niet meer worden verstuurd of gewijzigd.",
    },
    fr: {
      language: "Langue", marking: "EXERCICE", live: "En direct", connecting: "Connexion…", offline: "Reconnexion…",
      lost: "Connexion perdue : le lien de cette page n'est plus valable.",
      pending: "Pas commencé", running: "En cours", paused: "En pause", ended: "Terminé",
      empty: "Pas encore d'injects. Ils apparaissent ici dès que l'exercice les envoie.",
      answer: "Répondre…", "answer-more": "Répondre encore…",
      ack: "Accuser réception", acked: "Reçu à {t}", respond: "Votre réponse",
      send: "Envoyer", sending: "Envoi…", sent: "Répondu à {t}", chose: "Choix : {o}",
      failed: "Envoi impossible : {e}", "new": "Nouveau",
      "confirm-q": "Enregistrer la décision de votre équipe : « {o} » ?",
      reasons: "Vos raisons (enregistrées avec la décision)",
      "confirm-yes": "Confirmer la décision", "confirm-no": "Annuler",
      email: "Courriel", phone: "Appel téléphonique", news: "Actualités", social: "Réseaux sociaux",
      artefact: "Artefact technique", decision: "Décision", alert: "Alerte", chat: "Message instantané",
      "fb-title": "L'exercice est terminé : votre avis",
      "fb-intro": "Tout ce que vous avez reçu et envoyé reste lisible ici. Dites à l'équipe " +
                  "d'exercice comment cela s'est passé ; vous pouvez modifier votre avis " +
                  "jusqu'à la fin du débriefing à chaud.",
      "fb-strengths": "Ce qui a bien fonctionné", "fb-improvements": "Ce qui peut être amélioré",
      "fb-realism": "Le scénario était-il réaliste ? (1 = pas du tout, 5 = tout à fait)",
      "fb-usefulness": "L'exercice a-t-il été utile à votre équipe ? (1 = pas du tout, 5 = tout à fait)",
      "fb-text": "Autre chose", "fb-send": "Envoyer l'avis", "fb-change": "Modifier l'avis",
      "fb-given": "Avis envoyé. Vous pouvez encore le modifier.",
      "fb-given-at": "Avis envoyé à {t}. Vous pouvez encore le modifier.",
      "fb-closed": "Le débriefing à chaud est clos : l'avis ne peut plus être envoyé ni modifié.",
    },
  };

  if (!document.getElementById("injects")) return;
  const page = Whitecell.createPage(STRINGS);
  const { $, api, sendOnce, formatTime, setTlp, showNotice, token } = page;
  const t = page.t;
  const injects = new Map();   /* id → {data, element} */
  let unseen = 0;
  let feedback = { loaded: false, busy: false };
  /* The page's other parts (traffic.js: the teams' own messages) join through addPart: a part
   * has strings, start (me), refresh, render and its stream's handlers. */
  const parts = [];
  Whitecell.participant = {
    page,
    injects,
    addPart: (part) => {
      page.addStrings(part.strings);
      parts.push(part);
    },
  };

  /* An inject's card */

  function createCard(id) {
    const li = $("inject-template").content.firstElementChild.cloneNode(true);
    li.dataset.id = id;
    li.querySelector(".ack").addEventListener("click", () => acknowledge(id));
    li.querySelector(".respond").addEventListener("submit", (event) => {
      event.preventDefault();
      const area = li.querySelector(".respond textarea");
      if (area.value.trim() !== "")
        respond(id, { text: area.value }, area, li.querySelector(".send"));
    });
    /* A decision is recorded for good and read in the review: it takes a second click, and its
     * reasons go with it as the answer's text. */
    const confirm = li.querySelector(".confirm");
    confirm.addEventListener("submit", (event) => {
      event.preventDefault();
      const yes = li.querySelector(".confirm-yes");
      if (!li.dataset.pending || yes.dataset.busy) return;
      const reasons = li.querySelector(".reasons");
      const body = { option: li.dataset.pending };
      if (reasons.value.trim() !== "") body.text = reasons.value;
      respond(id, body, reasons, yes);
    });
    li.querySelector(".confirm-no").addEventListener("click", () => {
      delete li.dataset.pending;
      renderCard(injects.get(id));
      const button = li.querySelector(".option");
      if (button) button.focus();
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
    li.querySelector(".marking").textContent = t("marking");
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
      button.setAttribute("aria-expanded", li.dataset.pending === o.id ? "true" : "false");
      button.disabled = page.clock.state === "ended";
      button.addEventListener("click", () => {
        li.dataset.pending = o.id;
        renderCard(entry);
        li.querySelector(".reasons").focus();
      });
      options.append(button);
    }
    options.hidden = !(d.options && d.options.length);

    const confirm = li.querySelector(".confirm");
    const pending = (d.options || []).find((o) => o.id === li.dataset.pending);
    if (!pending || page.clock.state === "ended") delete li.dataset.pending;
    confirm.hidden = !li.dataset.pending;
    li.querySelector(".confirm-question").textContent =
      pending ? t("confirm-q", { o: pending.text }) : "";
    li.querySelector(".confirm-label").textContent = t("reasons");
    li.querySelector(".confirm-no").textContent = t("confirm-no");
    const yes = li.querySelector(".confirm-yes");
    if (!yes.dataset.busy) yes.textContent = t("confirm-yes");

    const acked = state.acknowledged_ms !== null && state.acknowledged_ms !== undefined;
    const ack = li.querySelector(".ack");
    ack.textContent = t("ack");
    ack.hidden = acked;
    ack.disabled = page.clock.state === "ended";
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
    li.querySelector(".respond-box").hidden = page.clock.state === "ended";
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

  /* An answer (@body), sent with @send showing it is on its way; @area is emptied once it is
   * recorded. */
  async function respond(id, body, area, send) {
    const entry = injects.get(id);
    const label = send.textContent;
    send.dataset.busy = "1";
    send.textContent = t("sending");
    send.disabled = true;
    try {
      const path = "injects/" + encodeURIComponent(id) + "/responses";
      const reply = await sendOnce("answer:" + id, path, body);
      const state = Object.assign({ responses: [] }, entry.data.state);
      const known = (state.responses || []).some((r) => r.t_ms === reply.response.t_ms &&
                                                       r.text === reply.response.text &&
                                                       r.option === reply.response.option);
      if (!known) state.responses = (state.responses || []).concat([reply.response]);
      area.value = "";
      if (body.option)
        delete entry.element.dataset.pending;
      else
        entry.element.querySelector(".respond-box").open = false;
      entry.fresh = false;
      showNotice(null);
      delete send.dataset.busy;
      send.disabled = false;
      setState(id, state);
    } catch (error) {
      delete send.dataset.busy;
      send.disabled = false;
      send.textContent = label;
      showNotice(t("failed", { e: error.message }));
    }
  }

  /* The hot wash: once the exercise has ended, the page stays to be read and asks for feedback. */

  function fillFeedback(given) {
    const form = $("feedback-form");
    for (const name of ["strengths", "improvements", "text"])
      form.elements[name].value = given[name] || "";
    for (const name of ["realism", "usefulness"])
      for (const input of form.querySelectorAll("input[name='" + name + "']"))
        input.checked = Number(input.value) === given[name];
  }

  function renderFeedback() {
    const ended = page.clock.state === "ended";
    $("feedback").hidden = !ended;
    if (!ended) return;
    const given = feedback.given;
    $("feedback-given").textContent = !given ? ""
      : given.t_ms != null ? t("fb-given-at", { t: formatTime(given.t_ms) }) : t("fb-given");
    $("feedback-given").hidden = !given || feedback.open === false;
    $("feedback-closed").hidden = feedback.open !== false;
    $("feedback-fields").disabled = feedback.open === false || feedback.busy;
    $("feedback-send").textContent = t(feedback.busy ? "sending" : given ? "fb-change" : "fb-send");
    if (!feedback.loaded) {
      feedback.loaded = true;
      api("GET", "feedback").then((reply) => {
        feedback.given = reply.feedback;
        feedback.open = reply.open;
        if (reply.feedback) fillFeedback(reply.feedback);
        renderFeedback();
      }).catch((error) => {
        feedback.loaded = false;
        page.showFormError($("feedback-error"), error);
      });
    }
  }

  async function sendFeedback() {
    const form = $("feedback-form");
    const body = {};
    for (const name of ["strengths", "improvements", "text"])
      if (form.elements[name].value.trim() !== "") body[name] = form.elements[name].value;
    for (const name of ["realism", "usefulness"]) {
      const checked = form.querySelector("input[name='" + name + "']:checked");
      if (checked) body[name] = Number(checked.value);
    }
    feedback.busy = true;
    renderFeedback();
    try {
      const reply = await api("POST", "feedback", body);
      /* the reply is the feedback as recorded; keep what was sent when it says less */
      feedback.given = Object.assign({}, body, reply && (reply.feedback || reply));
      page.showFormError($("feedback-error"), null);
    } catch (error) {
      page.showFormError($("feedback-error"), error);
      if (error.status === 409 || error.status === 410) feedback.loaded = false;
    }
    feedback.busy = false;
    renderFeedback();
  }

  function renderAll() {
    for (const entry of injects.values()) renderCard(entry);
    renderFeedback();
    for (const part of parts) part.render();
  }

  /* Live: the event stream; after any fresh connection, the full list, so nothing is missed. */

  async function refresh() {
    const list = await api("GET", "injects?lang=" + encodeURIComponent(page.lang));
    for (const d of list.injects) upsert(d, false);
    await Promise.all(parts.map((part) => part.refresh()));
  }

  /* the server sends what changed: an acknowledgement, or the one new answer */
  function merge(d) {
    const entry = injects.get(d.inject);
    if (!entry) return;
    const state = Object.assign({ responses: [] }, entry.data.state);
    if (d.acknowledged_ms !== undefined) state.acknowledged_ms = d.acknowledged_ms;
    const r = d.response;
    if (r && !(state.responses || []).some((x) => x.t_ms === r.t_ms && x.text === r.text &&
                                                 x.option === r.option))
      state.responses = (state.responses || []).concat([r]);
    setState(d.inject, state);
  }

  function connect() {
    const failed = (error) => showNotice(t("failed", { e: error.message }));
    page.openStream("/api/v1/events?lang=" + encodeURIComponent(page.lang), Object.assign({
      exercise: (ex) => {
        page.setExercise(ex);
        renderAll();
      },
      inject: (d, synced) => upsert(d, synced),
      state: (d) => setState(d.inject, d.state),
      acknowledged: merge,
      response: merge,
      resync: () => refresh().catch(() => {}),
    }, ...parts.map((part) => part.handlers)), () => refresh().catch(failed), start);
  }

  async function start() {
    try {
      let me = await api("GET", "me");
      const saved = localStorage.getItem("whitecell-lang");
      page.languages = me.exercise.languages || ["en"];
      /* the team's own language, unless someone on this browser chose another */
      page.lang = page.languages.includes(saved) ? saved : me.exercise.language || page.languages[0];
      if (page.lang !== me.exercise.language)
        me = await api("GET", "me?lang=" + encodeURIComponent(page.lang));
      $("exercise-title").textContent = me.exercise.title;
      $("team-name").textContent = me.team.name;
      setTlp($("tlp"), me.exercise.tlp);
      page.setExercise(me.exercise);
      await Promise.all(parts.map((part) => part.start(me)));
      page.renderStaticTexts();
      updateTitle();
      renderAll();
      connect();
    } catch (error) {
      page.startFailed(error, start);
    }
  }

  function changeLanguage(code) {
    if (code === page.lang) return;
    page.saveLanguage(code);
    /* the texts of every inject come again in the new language */
    start();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("feedback-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (!feedback.busy) sendFeedback();
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) {
        unseen = 0;
        updateTitle();
      }
    });
    page.boot(start, changeLanguage);
  });
})();
