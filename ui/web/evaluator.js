/* Whitecell evaluators' page (/e/TOKEN): the live MSEL with each team's progress, the actions
 * waiting for a person's judgement, timestamped observations and the Exercise Evaluation Guide's
 * ratings. An observer gets the same page without its forms (the server refuses them anyway).
 *
 * Shares the token, the API, the clock, the language and the event stream with the participant
 * page (app.js, loaded first). Text from the exercise only ever goes into textContent. */
"use strict";

(function () {
  const STRINGS = {
    en: {
      language: "Language", live: "Live", connecting: "Connecting…", offline: "Reconnecting…",
      lost: "Connection lost: this page's link is no longer valid.",
      pending: "Not started", running: "Running", paused: "Paused", ended: "Ended",
      failed: "Could not send: {e}", sending: "Sending…",
      director: "Director", controller: "Controller", evaluator: "Evaluator", observer: "Observer",
      readonly: "You follow the exercise as an observer: everything here is read-only.",
      queue: "To assess", "queue-empty": "Nothing waits for a judgement.",
      verdict: "Verdict", "v-met": "Met", "v-late": "Met late", "v-partial": "Partial",
      "v-not-met": "Not met", "v-na": "Not applicable", note: "Note (optional)", judge: "Judge",
      proposal: "The rule proposes: {v} (at {t})", "no-proposal": "No rule: judge it yourself.",
      due: "due {t}", "pick-verdict": "Choose a verdict first.",
      observations: "Observations", "obs-text": "What you observed", "obs-kind": "Kind",
      "k-strength": "Strength", "k-improvement": "Area for improvement", "k-note": "Note",
      "obs-team": "Team", "obs-inject": "Inject", "obs-objective": "Objective", "any": "—",
      "obs-send": "Record", "obs-latest": "Latest", "obs-empty": "No observations yet.",
      "obs-empty-text": "Write what you observed first.",
      msel: "MSEL", "msel-empty": "No inject fired yet.",
      counts: "{n} teams · {a} acknowledged · {r} answered",
      "st-sent": "sent", "st-delivered": "delivered", "st-acked": "acknowledged",
      "st-answered": "answered",
      eeg: "Evaluation guide", "eeg-empty": "This exercise has no objectives.",
      "eeg-intro": "Rate each objective (or one of its capability targets) and say why.",
      target: "Capability target", "target-self": "The objective itself", rating: "Rating",
      "r-performed": "Performed without challenges", "r-some-challenges": "Performed with some challenges",
      "r-major-challenges": "Performed with major challenges", "r-unable": "Unable to be performed",
      rationale: "Rationale", rate: "Rate", "pick-rating": "Choose a rating first.",
    },
    nl: {
      language: "Taal", live: "Live", connecting: "Verbinden…", offline: "Opnieuw verbinden…",
      lost: "Verbinding verbroken: de link van deze pagina is niet meer geldig.",
      pending: "Niet gestart", running: "Bezig", paused: "Gepauzeerd", ended: "Beëindigd",
      failed: "Versturen mislukt: {e}", sending: "Versturen…",
      director: "Leiding", controller: "Controller", evaluator: "Evaluator", observer: "Waarnemer",
      readonly: "U volgt de oefening als waarnemer: alles hier is alleen-lezen.",
      queue: "Te beoordelen", "queue-empty": "Niets wacht op een beoordeling.",
      verdict: "Oordeel", "v-met": "Behaald", "v-late": "Te laat behaald", "v-partial": "Gedeeltelijk",
      "v-not-met": "Niet behaald", "v-na": "Niet van toepassing", note: "Opmerking (optioneel)",
      judge: "Beoordelen",
      proposal: "De regel stelt voor: {v} (om {t})", "no-proposal": "Geen regel: beoordeel het zelf.",
      due: "tegen {t}", "pick-verdict": "Kies eerst een oordeel.",
      observations: "Waarnemingen", "obs-text": "Wat u waarnam", "obs-kind": "Soort",
      "k-strength": "Sterk punt", "k-improvement": "Verbeterpunt", "k-note": "Notitie",
      "obs-team": "Team", "obs-inject": "Inject", "obs-objective": "Doelstelling", "any": "—",
      "obs-send": "Vastleggen", "obs-latest": "Laatste", "obs-empty": "Nog geen waarnemingen.",
      "obs-empty-text": "Schrijf eerst wat u waarnam.",
      msel: "MSEL", "msel-empty": "Nog geen inject verstuurd.",
      counts: "{n} teams · {a} bevestigd · {r} beantwoord",
      "st-sent": "verstuurd", "st-delivered": "afgeleverd", "st-acked": "bevestigd",
      "st-answered": "beantwoord",
      eeg: "Evaluatiegids", "eeg-empty": "Deze oefening heeft geen doelstellingen.",
      "eeg-intro": "Beoordeel elke doelstelling (of een van haar capaciteitsdoelen) en zeg waarom.",
      target: "Capaciteitsdoel", "target-self": "De doelstelling zelf", rating: "Beoordeling",
      "r-performed": "Uitgevoerd zonder problemen", "r-some-challenges": "Uitgevoerd met enkele problemen",
      "r-major-challenges": "Uitgevoerd met grote problemen", "r-unable": "Niet uitgevoerd",
      rationale: "Motivering", rate: "Beoordelen", "pick-rating": "Kies eerst een beoordeling.",
    },
    fr: {
      language: "Langue", live: "En direct", connecting: "Connexion…", offline: "Reconnexion…",
      lost: "Connexion perdue : le lien de cette page n'est plus valable.",
      pending: "Pas commencé", running: "En cours", paused: "En pause", ended: "Terminé",
      failed: "Envoi impossible : {e}", sending: "Envoi…",
      director: "Direction", controller: "Contrôleur", evaluator: "Évaluateur", observer: "Observateur",
      readonly: "Vous suivez l'exercice en observateur : tout ici est en lecture seule.",
      queue: "À évaluer", "queue-empty": "Rien n'attend d'évaluation.",
      verdict: "Verdict", "v-met": "Atteint", "v-late": "Atteint en retard", "v-partial": "Partiel",
      "v-not-met": "Non atteint", "v-na": "Sans objet", note: "Remarque (facultative)",
      judge: "Évaluer",
      proposal: "La règle propose : {v} (à {t})", "no-proposal": "Pas de règle : à vous d'évaluer.",
      due: "échéance {t}", "pick-verdict": "Choisissez d'abord un verdict.",
      observations: "Observations", "obs-text": "Ce que vous avez observé", "obs-kind": "Type",
      "k-strength": "Point fort", "k-improvement": "Axe d'amélioration", "k-note": "Note",
      "obs-team": "Équipe", "obs-inject": "Inject", "obs-objective": "Objectif", "any": "—",
      "obs-send": "Enregistrer", "obs-latest": "Dernières", "obs-empty": "Pas encore d'observation.",
      "obs-empty-text": "Écrivez d'abord ce que vous avez observé.",
      msel: "MSEL", "msel-empty": "Aucun inject envoyé pour l'instant.",
      counts: "{n} équipes · {a} reçus · {r} répondus",
      "st-sent": "envoyé", "st-delivered": "remis", "st-acked": "reçu", "st-answered": "répondu",
      eeg: "Guide d'évaluation", "eeg-empty": "Cet exercice n'a pas d'objectif.",
      "eeg-intro": "Évaluez chaque objectif (ou l'une de ses capacités cibles) et dites pourquoi.",
      target: "Capacité cible", "target-self": "L'objectif lui-même", rating: "Évaluation",
      "r-performed": "Réalisé sans difficulté", "r-some-challenges": "Réalisé avec quelques difficultés",
      "r-major-challenges": "Réalisé avec des difficultés majeures", "r-unable": "Pas pu être réalisé",
      rationale: "Justification", rate: "Évaluer", "pick-rating": "Choisissez d'abord une évaluation.",
    },
  };
  /* the roles that may judge, observe and rate (the server checks it again) */
  const JUDGES = ["director", "evaluator"];
  const MAX_OBSERVATIONS = 50;

  const page = Whitecell.createPage(STRINGS);
  const { $, api, sendOnce, formatTime, showNotice } = page;
  const t = page.t;
  let me = null;
  let state = { injects: [], teams: [] };
  const titles = new Map();       /* inject id → title */
  const teamNames = new Map();    /* team id → name */
  const staffNames = new Map();   /* staff id → name */
  const progress = new Map();     /* "inject\nteam" → {delivered, acknowledged, answered} */
  const queue = new Map();        /* "inject\nteam\naction" → {item, element} */
  const objectives = new Map();   /* id → {item, element} */
  const observations = [];        /* newest first */
  let pending = new Set();        /* what to fetch again, soon */
  let refreshTimer = 0;
  let radioGroups = 0;

  const canJudge = () => me !== null && JUDGES.includes(me.staff.role);
  const keyOf = (...parts) => parts.join("\n");
  const nameOf = (map, id) => map.get(id) || id;

  function option(value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  /* A form's radios share a name of their own, so that every queued item has its own group. */
  function nameRadios(root) {
    const name = "choice-" + ++radioGroups;
    for (const input of root.querySelectorAll(".choices input[type='radio']"))
      input.name = name;
    return name;
  }

  /* Sends a form's request with its button busy; a refusal stays next to the form. */
  async function submitForm(form, request, done) {
    const fields = form.querySelector("fieldset");
    const button = form.querySelector(".send");
    const error = form.querySelector(".form-error");
    fields.disabled = true;
    button.textContent = t("sending");
    try {
      const reply = await request();
      page.showFormError(error, null);
      done(reply);
    } catch (e) {
      page.showFormError(error, e);
    }
    fields.disabled = !canJudge();
    page.translate(form);
  }

  function formProblem(form, key) {
    const error = form.querySelector(".form-error");
    error.textContent = t(key);
    error.hidden = false;
  }

  /* Who I am, and what I may do */

  function renderMe() {
    if (!me) return;
    $("staff-name").textContent = me.staff.name || me.staff.id;
    $("staff-role").textContent = t(me.staff.role);
    $("staff-role").dataset.role = me.staff.role;
    document.body.dataset.readonly = canJudge() ? "false" : "true";
    $("readonly").hidden = canJudge();
    for (const form of document.querySelectorAll("form.judge")) {
      form.hidden = !canJudge();
      form.querySelector("fieldset").disabled = !canJudge();
    }
  }

  /* The live MSEL: every fired inject, newest first, and how far each team got with it */

  function learnNames(item) {
    if (item.inject && item.inject_title) titles.set(item.inject, item.inject_title);
    if (item.team && item.team_name) teamNames.set(item.team, item.team_name);
  }

  /* Each team's progress: GET state's "recipients", and since then what the stream said. */
  function teamStates(inject) {
    const list = Array.isArray(inject.recipients) ? inject.recipients : [];
    for (const s of list) {
      const team = s.team;
      if (!team) continue;
      const known = progress.get(keyOf(inject.id, team)) || {};
      progress.set(keyOf(inject.id, team), {
        delivered: known.delivered || s.delivered_ms != null,
        acknowledged: known.acknowledged || s.acknowledged_ms != null,
        answered: known.answered || s.first_response_ms != null || s.responses_total > 0,
      });
    }
    const teams = new Set(list.map((s) => s.team).filter(Boolean));
    for (const key of progress.keys()) {
      const [id, team] = key.split("\n");
      if (id === inject.id) teams.add(team);
    }
    return Array.from(teams);
  }

  function renderMsel() {
    const list = $("msel");
    const fired = (state.injects || []).filter((i) => i.fired_ms !== null && i.fired_ms !== undefined);
    fired.sort((a, b) => b.fired_ms - a.fired_ms);
    list.replaceChildren();
    for (const inject of fired) {
      const li = document.createElement("li");
      li.className = "msel-row";
      li.dataset.id = inject.id;
      const head = document.createElement("div");
      head.className = "msel-head";
      const when = document.createElement("time");
      when.className = "when";
      when.textContent = formatTime(inject.fired_ms);
      const id = document.createElement("span");
      id.className = "inject-id";
      id.textContent = inject.id;
      const title = document.createElement("span");
      title.className = "title";
      if (inject.title) titles.set(inject.id, inject.title);
      title.textContent = titles.get(inject.id) || "";
      head.append(when, id, title);
      const counts = document.createElement("p");
      counts.className = "counts";
      const teams = teamStates(inject);
      counts.textContent = t("counts", { n: typeof inject.teams === "number" ? inject.teams : teams.length,
                                         a: inject.acknowledged || 0, r: inject.responded || 0 });
      const chips = document.createElement("ul");
      chips.className = "team-progress";
      for (const team of teams) {
        const p = progress.get(keyOf(inject.id, team)) || {};
        const step = p.answered ? "answered" : p.acknowledged ? "acked" : p.delivered ? "delivered" : "sent";
        const chip = document.createElement("li");
        chip.dataset.team = team;
        chip.dataset.step = step;
        const name = document.createElement("span");
        name.className = "name";
        name.textContent = nameOf(teamNames, team);
        const what = document.createElement("span");
        what.className = "step";
        what.textContent = t("st-" + step);
        chip.append(name, " ", what);
        chips.append(chip);
      }
      li.append(head, counts, chips);
      list.append(li);
    }
    $("msel-empty").hidden = fired.length > 0;
  }

  function noteProgress(type, data) {
    if (!data.inject || !data.team) return;
    const key = keyOf(data.inject, data.team);
    const p = Object.assign({}, progress.get(key));
    if (type === "inject-delivered") p.delivered = true;
    if (type === "inject-acknowledged") p.acknowledged = p.delivered = true;
    if (type === "response") p.answered = p.delivered = true;
    progress.set(key, p);
  }

  /* The queue of actions to judge */

  function createAssessCard(key, item) {
    const li = $("assess-template").content.firstElementChild.cloneNode(true);
    const form = li.querySelector("form");
    const group = nameRadios(li);
    li.dataset.key = key;
    li.dataset.inject = item.inject;
    li.dataset.team = item.team;
    li.dataset.action = item.action;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const checked = form.querySelector("input[name='" + group + "']:checked");
      if (!checked) {
        formProblem(form, "pick-verdict");
        return;
      }
      const body = { inject: item.inject, team: item.team, action: item.action, verdict: checked.value };
      const note = form.elements.note.value.trim();
      if (note) body.note = note;
      submitForm(form, () => api("POST", "control/assessments", body), () => removeFromQueue(key));
    });
    return li;
  }

  function renderAssessCard(entry) {
    const { item, element: li } = entry;
    page.translate(li);
    li.querySelector(".inject-id").textContent = item.inject;
    li.querySelector(".due").textContent = item.due_ms != null ? t("due", { t: formatTime(item.due_ms) }) : "";
    li.querySelector(".team-name").textContent = item.team_name || item.team;
    li.querySelector(".title").textContent = item.inject_title || titles.get(item.inject) || "";
    li.querySelector(".action").textContent = item.action_text || item.action;
    const proposal = li.querySelector(".proposal");
    const p = item.proposal;
    proposal.textContent = p && p.verdict ? t("proposal", { v: t("v-" + p.verdict), t: formatTime(p.t_ms) })
                                          : t("no-proposal");
    proposal.dataset.verdict = p && p.verdict ? p.verdict : "";
    /* the rule's proposal, ready to confirm, unless the evaluator already chose */
    const radios = li.querySelectorAll(".verdicts input");
    if (p && p.verdict && !Array.from(radios).some((r) => r.checked))
      for (const r of radios) r.checked = r.value === p.verdict;
  }

  function removeFromQueue(key) {
    const entry = queue.get(key);
    if (!entry) return;
    entry.element.remove();
    queue.delete(key);
    renderQueueCount();
  }

  function renderQueueCount() {
    $("queue-empty").hidden = queue.size > 0;
    $("queue-count").textContent = queue.size > 0 ? String(queue.size) : "";
  }

  function setQueue(items) {
    const list = $("queue");
    const keys = items.map((item) => keyOf(item.inject, item.team, item.action));
    for (const key of Array.from(queue.keys()))
      if (!keys.includes(key)) removeFromQueue(key);
    /* in the server's (firing) order; a card already in place is not moved, so that one being
     * filled in keeps its focus */
    let previous = null;
    items.forEach((item, i) => {
      const key = keys[i];
      learnNames(item);
      let entry = queue.get(key);
      if (!entry) {
        entry = { item, element: createAssessCard(key, item) };
        queue.set(key, entry);
      }
      entry.item = item;
      renderAssessCard(entry);
      const want = previous ? previous.nextSibling : list.firstChild;
      if (entry.element !== want) list.insertBefore(entry.element, want);
      previous = entry.element;
    });
    renderQueueCount();
    renderMe();
  }

  /* Observations */

  function fillSelect(select, entries) {
    const value = select.value;
    select.replaceChildren(option("", t("any")));
    for (const [id, text] of entries) select.append(option(id, text ? id + " · " + text : id));
    select.value = Array.from(select.options).some((o) => o.value === value) ? value : "";
  }

  function renderObservationChoices() {
    const form = $("observe-form");
    const teams = (state.teams || []).map((team) => team.id);
    for (const id of teamNames.keys()) if (!teams.includes(id)) teams.push(id);
    fillSelect(form.elements.team, teams.map((id) => [id, teamNames.get(id) || (state.teams.find((x) => x.id === id) || {}).name]));
    const fired = (state.injects || []).filter((i) => i.fired_ms != null);
    fillSelect(form.elements.inject, fired.map((i) => [i.id, titles.get(i.id)]));
    fillSelect(form.elements.objective, Array.from(objectives.values()).map((o) => [o.item.id, o.item.text]));
  }

  function addObservation(o) {
    const same = (x) => x.text === o.text && x.kind === o.kind && x.t_ms === o.t_ms && x.by === o.by;
    if (observations.some(same)) return;
    observations.unshift(o);
    observations.splice(MAX_OBSERVATIONS);
    renderObservations();
  }

  function renderObservations() {
    const list = $("observations");
    list.replaceChildren();
    for (const o of observations) {
      const li = document.createElement("li");
      li.dataset.kind = o.kind || "note";
      const head = document.createElement("p");
      head.className = "stamp";
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = t("k-" + (o.kind || "note"));
      const about = [o.team && nameOf(teamNames, o.team), o.inject, o.objective].filter(Boolean);
      head.append(kind, " " + formatTime(o.t_ms) + (o.by ? " · " + nameOf(staffNames, o.by) : "") +
                  (about.length ? " · " + about.join(" · ") : ""));
      const text = document.createElement("p");
      text.className = "text";
      text.textContent = o.text;
      li.append(head, text);
      list.append(li);
    }
    $("observations-empty").hidden = observations.length > 0;
  }

  function observe(form) {
    const text = form.elements.text.value.trim();
    if (!text) {
      formProblem(form, "obs-empty-text");
      return;
    }
    const body = { text, kind: form.querySelector("input[name='kind']:checked").value };
    for (const name of ["team", "inject", "objective"])
      if (form.elements[name].value) body[name] = form.elements[name].value;
    /* with a key kept while the same observation is sent again: recorded once */
    submitForm(form, () => sendOnce("observation", "control/observations", body), (reply) => {
      form.elements.text.value = "";
      /* the stream brings it too; the reply (the record) shows it at once */
      if (reply && reply.data) addObservation(Object.assign({ t_ms: reply.t_ms }, reply.data));
    });
  }

  /* The Exercise Evaluation Guide */

  function createObjectiveCard(item) {
    const li = $("objective-template").content.firstElementChild.cloneNode(true);
    const form = li.querySelector("form");
    const group = nameRadios(li);
    li.dataset.id = item.id;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const checked = form.querySelector("input[name='" + group + "']:checked");
      if (!checked) {
        formProblem(form, "pick-rating");
        return;
      }
      const body = { objective: item.id, rating: checked.value };
      const target = form.elements.target.value.trim();
      const rationale = form.elements.rationale.value.trim();
      if (target) body.target = target;
      if (rationale) body.rationale = rationale;
      submitForm(form, () => api("POST", "control/ratings", body), () => {
        form.elements.rationale.value = "";
        schedule("objectives");
      });
    });
    return li;
  }

  function renderObjectiveCard(entry) {
    const { item, element: li } = entry;
    page.translate(li);
    li.querySelector(".objective-id").textContent = item.id;
    li.querySelector(".title").textContent = item.text || "";
    /* the capability targets the server names, else one to type */
    const label = li.querySelector(".target");
    const targets = (item.targets || []).map((x) => (typeof x === "string" ? { id: x, text: x } : x));
    let control = label.querySelector("select, input");
    const want = targets.length ? "SELECT" : "INPUT";
    if (!control || control.tagName !== want) {
      if (control) control.remove();
      control = document.createElement(want.toLowerCase());
      control.name = "target";
      if (want === "INPUT") {
        control.type = "text";
        control.maxLength = 200;
      }
      label.append(control);
    }
    if (want === "SELECT") {
      const value = control.value;
      control.replaceChildren(option("", t("target-self")));
      for (const x of targets) control.append(option(x.id, x.text || x.id));
      control.value = value;
    } else {
      control.placeholder = t("target-self");
    }
    /* the rating that stands for each target: the latest */
    const latest = new Map();
    for (const r of item.ratings || []) latest.set(r.target || "", r);
    const list = li.querySelector(".ratings");
    list.replaceChildren();
    for (const r of latest.values()) {
      const row = document.createElement("li");
      row.dataset.rating = r.rating;
      const what = document.createElement("span");
      what.className = "rating";
      what.textContent = (r.target ? r.target + ": " : "") + t("r-" + r.rating);
      const who = document.createElement("span");
      who.className = "stamp";
      who.textContent = [r.by && nameOf(staffNames, r.by), formatTime(r.t_ms)].filter(Boolean).join(", ");
      row.append(what, " ", who);
      if (r.rationale) {
        const why = document.createElement("p");
        why.textContent = r.rationale;
        row.append(why);
      }
      list.append(row);
    }
  }

  function setObjectives(items) {
    const list = $("objectives");
    for (const item of items) {
      let entry = objectives.get(item.id);
      if (!entry) {
        entry = { item, element: createObjectiveCard(item) };
        objectives.set(item.id, entry);
        list.append(entry.element);
      }
      entry.item = item;
      renderObjectiveCard(entry);
    }
    $("eeg-empty").hidden = objectives.size > 0;
    renderObservationChoices();
    renderMe();
  }

  /* Fetching: everything at the first connection and after a resync; afterwards only what a
   * record changed, a little later, so that a burst of records costs one request. */

  const fetchers = {
    state: async () => {
      state = await api("GET", "control/state");
      page.setExercise(state.exercise);
      for (const team of state.teams || []) if (team.name) teamNames.set(team.id, team.name);
      renderMsel();
      renderObservationChoices();
    },
    queue: async () => setQueue((await api("GET", "control/to-assess?lang=" + encodeURIComponent(page.lang))).items || []),
    objectives: async () => setObjectives((await api("GET", "control/objectives?lang=" + encodeURIComponent(page.lang))).items || []),
    /* the latest ones, for a page opened (or reloaded) in the middle of the exercise */
    observations: async () => {
      const items = (await api("GET", "control/observations")).items || [];
      for (const o of items.slice().reverse()) {
        if (o.by && o.by_name) staffNames.set(o.by, o.by_name);
        addObservation(o);
      }
    },
  };

  function schedule(...what) {
    for (const w of what) pending.add(w);
    if (!refreshTimer)
      refreshTimer = setTimeout(() => {
        const now = pending;
        pending = new Set();
        refreshTimer = 0;
        for (const w of now)
          fetchers[w]().catch((error) => showNotice(t("failed", { e: error.message })));
      }, 250);
  }

  async function refreshAll() {
    try {
      /* the queue first: it names the injects and teams the MSEL shows */
      await fetchers.queue();
      await Promise.all([fetchers.state(), fetchers.objectives(), fetchers.observations()]);
    } catch (error) {
      showNotice(t("failed", { e: error.message }));
    }
  }

  function onRecord(record) {
    const data = record.data || {};
    switch (record.type) {
    case "inject-delivered":
    case "inject-acknowledged":
    case "response":
      noteProgress(record.type, data);
      schedule("state", "queue");
      break;
    case "action-assessed":
      /* judged, by anyone: it leaves the queue now; a withdrawn judgement brings it back */
      if (data.verdict && data.verdict !== "pending")
        removeFromQueue(keyOf(data.inject, data.team, data.action));
      schedule("queue");
      break;
    case "observation":
      addObservation(Object.assign({ t_ms: record.t_ms }, data));
      break;
    case "objective-rated":
      schedule("objectives");
      break;
    case "staff-added":
      if (data.staff) staffNames.set(data.staff, data.name);
      break;
    case "inject-fired":
    case "adhoc-created":
      for (const team of data.teams || []) {
        const key = keyOf(data.inject, team);
        if (!progress.has(key)) progress.set(key, {});
      }
      schedule("state", "queue");
      break;
    default:
      if (/^(clock-|speed-|exercise-ended|inject-)/.test(record.type)) schedule("state");
    }
  }

  function connect() {
    page.openStream("/api/v1/control/events", {
      exercise: (ex) => page.setExercise(ex),
      record: (record) => onRecord(record),
      resync: () => refreshAll(),
    }, refreshAll, start);
  }

  async function start() {
    try {
      me = await api("GET", "control/me?lang=" + encodeURIComponent(page.lang));
      const ex = me.exercise || {};
      if (Array.isArray(ex.languages) && ex.languages.length) page.languages = ex.languages;
      if (!page.languages.includes(page.lang) && page.languages.includes(ex.language))
        page.lang = ex.language;
      if (ex.title) $("exercise-title").textContent = ex.title;
      document.title = $("exercise-title").textContent;
      page.setTlp($("tlp"), ex.tlp);
      staffNames.set(me.staff.id, me.staff.name);
      page.setExercise(ex);
      page.renderStaticTexts();
      renderMe();
      connect();
    } catch (error) {
      page.startFailed(error, start);
    }
  }

  /* Only the page's own texts change; the exercise's come again in the new language. */
  function changeLanguage(code) {
    if (code === page.lang) return;
    page.saveLanguage(code);
    page.renderStaticTexts();
    renderMe();
    for (const entry of queue.values()) renderAssessCard(entry);
    for (const entry of objectives.values()) renderObjectiveCard(entry);
    renderMsel();
    renderObservations();
    renderObservationChoices();
    schedule("queue", "objectives");
  }

  document.addEventListener("DOMContentLoaded", () => {
    /* the page's own languages, until the exercise names its own */
    page.languages = Object.keys(STRINGS);
    renderQueueCount();
    renderObservations();
    $("eeg-empty").hidden = true;
    $("observe-form").addEventListener("submit", (event) => {
      event.preventDefault();
      observe(event.target);
    });
    page.boot(start, changeLanguage);
  });
})();
