/* The participant page's traffic: what teams send each other (messages, incident notifications,
 * warnings, situation reports), live in an inbox with its threads, and the forms that send them.
 * It joins the page of app.js through Whitecell.participant.addPart; its texts are below, in
 * the page's languages.
 *
 * Every text another team or the exercise wrote is untrusted: it only ever goes into textContent
 * or a DOM attribute. Every item shows the exercise marking beside its TLP, so that nothing of an
 * exercise passes for a real incident. */
"use strict";

(function () {
  if (typeof Whitecell === "undefined" || !Whitecell.participant) return;
  const { page, injects } = Whitecell.participant;
  const { $, api, sendOnce, formatTime, setTlp, token } = page;
  const t = page.t;

  const STRINGS = {
    en: {
      "tab-injects": "Injects", "tab-inbox": "Inbox", "tab-write": "Write", "tab-notify": "Notify",
      "tab-warn": "Warn", "tab-sitrep": "Situation report",
      "f-all": "All", "f-message": "Messages", "f-notification": "Notifications",
      "f-warning": "Warnings", "f-sitrep": "Situation reports",
      "inbox-empty": "Nothing yet. Messages, notifications, warnings and situation reports to or " +
                     "from your team appear here as they are sent.",
      "kind-message": "Message", "kind-reply": "Reply", "kind-more-info": "Request for information",
      "kind-notification": "Incident notification", "kind-sitrep": "Situation report",
      spear: "Spear Warning", ews: "EWS bulletin",
      "early-warning": "Early warning", notification: "Incident notification",
      "final-report": "Final report",
      you: "Your team", more: "+{n} more", reply: "Reply", "reply-label": "Your reply",
      "ask-more": "Ask for more information", "more-label": "What do you need to know?",
      cancel: "Cancel", "acks-by": "Acknowledged by {l}", "acks-none": "Not acknowledged yet",
      "sent-ok": "Sent as {id} at {t}.", cap: "CAP document",
      to: "To", subject: "Subject", body: "Message", tlp: "TLP",
      "write-title": "Write a message", attachment: "Attachment (optional)",
      "attachment-limit": "Up to 10 MB: PDF, PNG, JPEG, text, CSV, JSON, ZIP or e-mail (.eml).",
      "too-large": "The file is too large: attachments are limited to 10 MB. ({e})",
      "bad-type": "This kind of file cannot be sent: PDF, PNG, JPEG, text, CSV, JSON, ZIP or " +
                  "e-mail only. ({e})",
      "upload-cut": "The upload was cut off. Is the file larger than 10 MB?",
      "choose-recipient": "Choose at least one recipient.",
      "no-contacts": "Your team cannot write to any team in this exercise.",
      "notify-title": "Notify an incident",
      "notify-intro": "The three NIS2 stages: first an early warning, then the incident " +
                      "notification, then the final report.",
      stage: "Stage", authority: "To the authority", follows: "Follows up on", none: "(none)",
      "n-what": "What happened", "n-detected_at": "When detected",
      "n-malicious": "Suspected malicious", "n-cross_border": "Cross-border impact",
      "n-services": "Services affected", "n-users_affected": "Users affected",
      "n-severity": "Severity", "n-iocs": "Indicators of compromise",
      "n-measures": "Measures taken", "n-contact": "Contact",
      yes: "Yes", no: "No", unknown: "Unknown",
      "sev-low": "Low", "sev-medium": "Medium", "sev-high": "High", "sev-critical": "Critical",
      file: "File the notification", "no-authority": "Choose an authority.",
      "deadline-due": "due at {t}", "deadline-left": "{d} left", "deadline-over": "overdue by {d}",
      "deadline-done": "filed at {t}", "deadline-within": "within {d} of your incident",
      "warn-title": "Issue a warning", "warn-form": "Kind of warning",
      "warn-to": "To the organisation", "warn-selectors": "To every team of these kinds or sectors",
      "kind-of": "All {k}", "sector-of": "Sector: {s}",
      "k-operator": "operators", "k-csirt": "CSIRTs", "k-sector-authority": "sector authorities",
      "k-crisis-centre": "crisis centres",
      headline: "Headline", description: "What was seen", instruction: "Advice",
      asset: "Affected asset or IP address", indicators: "Indicators",
      "add-indicator": "Add an indicator", remove: "Remove", "indicator-type": "Type",
      "indicator-value": "Value", "cap-severity": "Severity", "cap-urgency": "Urgency",
      "cap-certainty": "Certainty",
      Extreme: "Extreme", Severe: "Severe", Moderate: "Moderate", Minor: "Minor", Unknown: "Unknown",
      Immediate: "Immediate", Expected: "Expected", Future: "Future", Past: "Past",
      Observed: "Observed", Likely: "Likely", Possible: "Possible", Unlikely: "Unlikely",
      issue: "Issue the warning", "need-headline": "Give a headline in at least one language.",
      "need-selector": "Choose at least one kind or sector.",
      "sitrep-none": "No situation report has been published yet.",
      "sitrep-history": "Earlier versions", "sitrep-v": "Situation report, version {v}",
      "sitrep-edit": "Edit and publish the situation report",
      "s-situation": "Situation", "s-decisions": "Decisions", "s-actions": "Actions",
      "s-next_meeting": "Next meeting", "s-public_line": "Public communication line",
      "publish-to": "Publish to", "all-teams": "All teams", "chosen-teams": "Chosen teams",
      publish: "Publish",
    },
    nl: {
      "tab-injects": "Injects", "tab-inbox": "Postvak", "tab-write": "Schrijven",
      "tab-notify": "Melden", "tab-warn": "Waarschuwen", "tab-sitrep": "Situatierapport",
      "f-all": "Alles", "f-message": "Berichten", "f-notification": "Meldingen",
      "f-warning": "Waarschuwingen", "f-sitrep": "Situatierapporten",
      "inbox-empty": "Nog niets. Berichten, meldingen, waarschuwingen en situatierapporten van " +
                     "of aan uw team verschijnen hier zodra ze verstuurd worden.",
      "kind-message": "Bericht", "kind-reply": "Antwoord", "kind-more-info": "Vraag om informatie",
      "kind-notification": "Incidentmelding", "kind-sitrep": "Situatierapport",
      spear: "Spear Warning", ews: "EWS-bulletin",
      "early-warning": "Vroegtijdige waarschuwing", notification: "Incidentmelding",
      "final-report": "Eindverslag",
      you: "Uw team", more: "+{n} andere", reply: "Antwoorden", "reply-label": "Uw antwoord",
      "ask-more": "Meer informatie vragen", "more-label": "Wat wilt u weten?",
      cancel: "Annuleren", "acks-by": "Bevestigd door {l}", "acks-none": "Nog niet bevestigd",
      "sent-ok": "Verstuurd als {id} om {t}.", cap: "CAP-document",
      to: "Aan", subject: "Onderwerp", body: "Bericht", tlp: "TLP",
      "write-title": "Een bericht schrijven", attachment: "Bijlage (optioneel)",
      "attachment-limit": "Tot 10 MB: PDF, PNG, JPEG, tekst, CSV, JSON, ZIP of e-mail (.eml).",
      "too-large": "Het bestand is te groot: bijlagen zijn beperkt tot 10 MB. ({e})",
      "bad-type": "Dit soort bestand kan niet verstuurd worden: alleen PDF, PNG, JPEG, tekst, " +
                  "CSV, JSON, ZIP of e-mail. ({e})",
      "upload-cut": "Het opladen werd afgebroken. Is het bestand groter dan 10 MB?",
      "choose-recipient": "Kies minstens één ontvanger.",
      "no-contacts": "Uw team kan in deze oefening aan geen enkel team schrijven.",
      "notify-title": "Een incident melden",
      "notify-intro": "De drie NIS2-stappen: eerst een vroegtijdige waarschuwing, dan de " +
                      "incidentmelding, dan het eindverslag.",
      stage: "Stap", authority: "Aan de autoriteit", follows: "Vervolg op", none: "(geen)",
      "n-what": "Wat is er gebeurd", "n-detected_at": "Wanneer ontdekt",
      "n-malicious": "Vermoedelijk kwaadwillig", "n-cross_border": "Grensoverschrijdende impact",
      "n-services": "Getroffen diensten", "n-users_affected": "Getroffen gebruikers",
      "n-severity": "Ernst", "n-iocs": "Indicatoren van compromittering",
      "n-measures": "Genomen maatregelen", "n-contact": "Contactpersoon",
      yes: "Ja", no: "Nee", unknown: "Onbekend",
      "sev-low": "Laag", "sev-medium": "Gemiddeld", "sev-high": "Hoog", "sev-critical": "Kritiek",
      file: "Melding indienen", "no-authority": "Kies een autoriteit.",
      "deadline-due": "uiterlijk {t}", "deadline-left": "nog {d}", "deadline-over": "{d} te laat",
      "deadline-done": "ingediend om {t}", "deadline-within": "binnen {d} na uw incident",
      "warn-title": "Een waarschuwing uitsturen", "warn-form": "Soort waarschuwing",
      "warn-to": "Aan de organisatie",
      "warn-selectors": "Aan alle teams van deze soorten of sectoren",
      "kind-of": "Alle {k}", "sector-of": "Sector: {s}",
      "k-operator": "operatoren", "k-csirt": "CSIRT's", "k-sector-authority": "sectorale overheden",
      "k-crisis-centre": "crisiscentra",
      headline: "Kop", description: "Wat werd vastgesteld", instruction: "Advies",
      asset: "Getroffen systeem of IP-adres", indicators: "Indicatoren",
      "add-indicator": "Indicator toevoegen", remove: "Verwijderen", "indicator-type": "Soort",
      "indicator-value": "Waarde", "cap-severity": "Ernst", "cap-urgency": "Urgentie",
      "cap-certainty": "Zekerheid",
      Extreme: "Extreem", Severe: "Ernstig", Moderate: "Matig", Minor: "Gering", Unknown: "Onbekend",
      Immediate: "Onmiddellijk", Expected: "Verwacht", Future: "Later", Past: "Voorbij",
      Observed: "Waargenomen", Likely: "Waarschijnlijk", Possible: "Mogelijk",
      Unlikely: "Onwaarschijnlijk",
      issue: "Waarschuwing uitsturen", "need-headline": "Geef een kop in minstens één taal.",
      "need-selector": "Kies minstens één soort of sector.",
      "sitrep-none": "Er is nog geen situatierapport gepubliceerd.",
      "sitrep-history": "Eerdere versies", "sitrep-v": "Situatierapport, versie {v}",
      "sitrep-edit": "Het situatierapport bewerken en publiceren",
      "s-situation": "Situatie", "s-decisions": "Beslissingen", "s-actions": "Acties",
      "s-next_meeting": "Volgende vergadering", "s-public_line": "Publieke communicatielijn",
      "publish-to": "Publiceren aan", "all-teams": "Alle teams", "chosen-teams": "Gekozen teams",
      publish: "Publiceren",
    },
    fr: {
      "tab-injects": "Injects", "tab-inbox": "Reçus", "tab-write": "Écrire",
      "tab-notify": "Notifier", "tab-warn": "Alerter", "tab-sitrep": "Rapport de situation",
      "f-all": "Tout", "f-message": "Messages", "f-notification": "Notifications",
      "f-warning": "Alertes", "f-sitrep": "Rapports de situation",
      "inbox-empty": "Rien pour l'instant. Les messages, notifications, alertes et rapports de " +
                     "situation de ou pour votre équipe apparaissent ici dès leur envoi.",
      "kind-message": "Message", "kind-reply": "Réponse",
      "kind-more-info": "Demande d'informations",
      "kind-notification": "Notification d'incident", "kind-sitrep": "Rapport de situation",
      spear: "Spear Warning", ews: "Bulletin EWS",
      "early-warning": "Alerte précoce", notification: "Notification d'incident",
      "final-report": "Rapport final",
      you: "Votre équipe", more: "+{n} autres", reply: "Répondre", "reply-label": "Votre réponse",
      "ask-more": "Demander plus d'informations", "more-label": "Que devez-vous savoir ?",
      cancel: "Annuler", "acks-by": "Reçu par {l}", "acks-none": "Pas encore accusé réception",
      "sent-ok": "Envoyé sous {id} à {t}.", cap: "Document CAP",
      to: "À", subject: "Objet", body: "Message", tlp: "TLP",
      "write-title": "Écrire un message", attachment: "Pièce jointe (facultative)",
      "attachment-limit": "Jusqu'à 10 Mo : PDF, PNG, JPEG, texte, CSV, JSON, ZIP ou courriel (.eml).",
      "too-large": "Le fichier est trop volumineux : les pièces jointes sont limitées à 10 Mo. ({e})",
      "bad-type": "Ce type de fichier ne peut pas être envoyé : uniquement PDF, PNG, JPEG, texte, " +
                  "CSV, JSON, ZIP ou courriel. ({e})",
      "upload-cut": "L'envoi a été interrompu. Le fichier dépasse-t-il 10 Mo ?",
      "choose-recipient": "Choisissez au moins un destinataire.",
      "no-contacts": "Votre équipe ne peut écrire à aucune équipe dans cet exercice.",
      "notify-title": "Notifier un incident",
      "notify-intro": "Les trois étapes NIS2 : d'abord l'alerte précoce, puis la notification " +
                      "d'incident, puis le rapport final.",
      stage: "Étape", authority: "À l'autorité", follows: "Fait suite à", none: "(aucune)",
      "n-what": "Ce qui s'est passé", "n-detected_at": "Détecté quand",
      "n-malicious": "Malveillance suspectée", "n-cross_border": "Impact transfrontalier",
      "n-services": "Services touchés", "n-users_affected": "Utilisateurs touchés",
      "n-severity": "Gravité", "n-iocs": "Indicateurs de compromission",
      "n-measures": "Mesures prises", "n-contact": "Contact",
      yes: "Oui", no: "Non", unknown: "Inconnu",
      "sev-low": "Faible", "sev-medium": "Moyenne", "sev-high": "Élevée", "sev-critical": "Critique",
      file: "Déposer la notification", "no-authority": "Choisissez une autorité.",
      "deadline-due": "au plus tard à {t}", "deadline-left": "reste {d}",
      "deadline-over": "en retard de {d}", "deadline-done": "déposée à {t}",
      "deadline-within": "dans les {d} après votre incident",
      "warn-title": "Émettre une alerte", "warn-form": "Type d'alerte",
      "warn-to": "À l'organisation", "warn-selectors": "À toutes les équipes de ces types ou secteurs",
      "kind-of": "Tous les {k}", "sector-of": "Secteur : {s}",
      "k-operator": "opérateurs", "k-csirt": "CSIRT", "k-sector-authority": "autorités sectorielles",
      "k-crisis-centre": "centres de crise",
      headline: "Titre", description: "Ce qui a été observé", instruction: "Recommandations",
      asset: "Actif ou adresse IP concerné", indicators: "Indicateurs",
      "add-indicator": "Ajouter un indicateur", remove: "Supprimer", "indicator-type": "Type",
      "indicator-value": "Valeur", "cap-severity": "Gravité", "cap-urgency": "Urgence",
      "cap-certainty": "Certitude",
      Extreme: "Extrême", Severe: "Grave", Moderate: "Modérée", Minor: "Mineure", Unknown: "Inconnue",
      Immediate: "Immédiate", Expected: "Attendue", Future: "Future", Past: "Passée",
      Observed: "Observée", Likely: "Probable", Possible: "Possible", Unlikely: "Peu probable",
      issue: "Émettre l'alerte", "need-headline": "Donnez un titre dans au moins une langue.",
      "need-selector": "Choisissez au moins un type ou un secteur.",
      "sitrep-none": "Aucun rapport de situation n'a encore été publié.",
      "sitrep-history": "Versions précédentes", "sitrep-v": "Rapport de situation, version {v}",
      "sitrep-edit": "Modifier et publier le rapport de situation",
      "s-situation": "Situation", "s-decisions": "Décisions", "s-actions": "Actions",
      "s-next_meeting": "Prochaine réunion", "s-public_line": "Ligne de communication publique",
      "publish-to": "Publier à", "all-teams": "Toutes les équipes",
      "chosen-teams": "Équipes choisies", publish: "Publier",
    },
  };

  /* languages named in their own words, for the warning's texts */
  const LANGUAGE_NAMES = { en: "English", nl: "Nederlands", fr: "Français", de: "Deutsch" };
  const INDICATOR_TYPES = ["ip-dst", "domain", "url", "sha256", "md5", "email-src", "filename"];
  const STAGES = ["early-warning", "notification", "final-report"];
  const FIELDS = ["what", "detected_at", "malicious", "cross_border", "services", "users_affected",
                  "severity", "iocs", "measures", "contact"];
  const SECTIONS = ["situation", "decisions", "actions", "next_meeting", "public_line"];

  const state = {
    me: null,                 /* GET me's team */
    contacts: null,           /* GET contacts */
    items: new Map(),         /* id → item as the API shows it */
    elements: new Map(),      /* id → its card */
    fresh: new Set(),         /* ids arrived live and not yet acknowledged or answered */
    filter: "all",
    unseenSitreps: 0,
  };

  const mine = (item) => !!state.me && item.from === state.me.id && !item.from_actor;
  const ended = () => page.clock.state === "ended";

  function teamName(id) {
    if (state.me && id === state.me.id) return t("you");
    const c = state.contacts;
    const known = c && [...c.may_write, ...c.authorities].find((team) => team.id === id);
    if (known && known.name) return known.name;
    for (const item of state.items.values())
      if (item.from === id && item.from_name) return item.from_name;
    return id;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* "HH:MM:SS" of a duration */
  function formatDuration(ms) {
    return formatTime(Math.abs(ms)).slice(2);
  }

  function formatSize(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1) + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " kB";
    return bytes + " B";
  }

  /* Tabs: one panel shown at a time. */

  function showTab(name) {
    for (const tab of document.querySelectorAll("#tabs [role=tab]")) {
      const selected = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      $("panel-" + tab.dataset.tab).hidden = !selected;
    }
    document.body.dataset.tab = name;
    if (name === "sitrep") {
      state.unseenSitreps = 0;
      renderCounts();
    }
  }

  /* An item's words: what kind it is, its title, its text in the page's language. */

  function kindLabel(item) {
    if (item.kind === "warning") return t(item.form === "ews" ? "ews" : "spear");
    if (item.kind === "notification") return t("kind-notification");
    if (item.kind === "sitrep") return t("kind-sitrep");
    if (item.purpose === "more-information") return t("kind-more-info");
    return t(item.in_reply_to ? "kind-reply" : "kind-message");
  }

  function warningTexts(item) {
    const texts = item.texts || {};
    return texts[page.lang] || texts[item.lang] || Object.values(texts)[0] || {};
  }

  function titleOf(item) {
    if (item.kind === "warning") return warningTexts(item).headline || "";
    if (item.kind === "sitrep") return t("sitrep-v", { v: item.version });
    if (item.kind === "notification") {
      const what = ((item.fields || {}).what || "").split("\n")[0];
      return what.length > 140 ? what.slice(0, 139) + "…" : what;
    }
    return item.subject || "";
  }

  function fieldValue(name, value) {
    if (name === "malicious") return t(value);
    if (name === "cross_border") return t(value ? "yes" : "no");
    if (name === "severity") return t("sev-" + value);
    return String(value);
  }

  function addSection(parent, label, text) {
    if (text === undefined || text === null || text === "") return;
    parent.append(el("h4", null, label), el("p", "text", text));
  }

  function renderContent(box, item) {
    box.replaceChildren();
    if (item.kind === "notification") {
      const fields = item.fields || {};
      const list = el("dl", "fields");
      for (const name of FIELDS) {
        const value = fields[name];
        if (value === undefined || value === null || value === "" || name === "what") continue;
        list.append(el("dt", null, t("n-" + name)), el("dd", null, fieldValue(name, value)));
      }
      if (fields.what) box.append(el("p", "text", fields.what));
      if (list.childElementCount) box.append(list);
    } else if (item.kind === "warning") {
      const texts = warningTexts(item);
      box.append(el("p", "cap-values", [t(item.severity), t(item.urgency), t(item.certainty)]
        .filter((x) => x).join(" · ")));
      if (texts.description) box.append(el("p", "text", texts.description));
      addSection(box, t("instruction"), texts.instruction);
      addSection(box, t("asset"), item.asset);
      if ((item.indicators || []).length) {
        box.append(el("h4", null, t("indicators")));
        const list = el("ul", "indicators");
        for (const i of item.indicators) {
          const li = el("li");
          li.append(el("span", "ioc-type", i.type), " ", el("code", null, i.value));
          list.append(li);
        }
        box.append(list);
      }
    } else if (item.kind === "sitrep") {
      const sections = item.sections || {};
      for (const name of SECTIONS) addSection(box, t("s-" + name), sections[name]);
    } else {
      box.append(el("p", "text", item.body || ""));
    }
  }

  function addLink(list, href, text, detail) {
    const li = el("li");
    const a = el("a", null, text);
    a.href = href + (href.includes("?") ? "&" : "?") + "access_token=" + encodeURIComponent(token);
    a.rel = "noopener";
    li.append(a);
    if (detail) li.append(" ", el("span", "media-type", detail));
    list.append(li);
  }

  /* A card of the inbox: an item, its buttons, and (for a thread's first item) its replies. */

  function createCard(id) {
    const li = $("message-template").content.firstElementChild.cloneNode(true);
    li.dataset.id = id;
    const form = li.querySelector(".reply");
    li.querySelector(".ack").addEventListener("click", () => acknowledge(id));
    const open = (purpose) => {
      form.hidden = false;
      form.dataset.purpose = purpose;
      renderCard(state.items.get(id));
      form.querySelector("textarea").focus();
    };
    li.querySelector(".reply-open").addEventListener("click", () => open("reply"));
    li.querySelector(".more-info").addEventListener("click", () => open("more-information"));
    li.querySelector(".reply-cancel").addEventListener("click", () => {
      form.hidden = true;
      page.showFormError(form.querySelector(".form-error"), null);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const area = form.querySelector("textarea");
      if (area.value.trim() !== "" && !form.dataset.busy) reply(id, area.value, form);
    });
    return li;
  }

  function renderCard(item) {
    let li = state.elements.get(item.id);
    if (!li) {
      li = createCard(item.id);
      state.elements.set(item.id, li);
    }
    const own = mine(item);
    li.dataset.kind = item.kind;
    li.dataset.form = item.form || "";
    li.dataset.stage = item.stage || "";
    li.classList.toggle("own", own);
    li.classList.toggle("fresh", state.fresh.has(item.id));
    li.querySelector(".kind").textContent = kindLabel(item);
    li.querySelector(".stage").textContent = item.kind === "notification" ? t(item.stage) : "";
    li.querySelector(".from").textContent = item.from ? teamName(item.from)
                                                      : item.from_name || item.from_actor || "";
    const to = (item.to || []).map(teamName);
    if (to.length === 0 && item.to_actor) {
      /* an answer to the controllers playing an actor: the actor's name, from what it answers */
      const parent = state.items.get(item.in_reply_to);
      to.push((parent && parent.from_actor === item.to_actor && parent.from_name) || item.to_actor);
    }
    li.querySelector(".to").textContent = to.length > 3
      ? to.slice(0, 3).join(", ") + " " + t("more", { n: to.length - 3 }) : to.join(", ");
    li.querySelector(".when").textContent = formatTime(item.t_ms);
    li.querySelector(".marking").textContent = t("marking");
    setTlp(li.querySelector(".tlp"), item.tlp);
    li.querySelector(".badge-new").textContent = state.fresh.has(item.id) ? t("new") : "";
    /* a notification's text is all in its fields, its first line no title of its own */
    li.querySelector(".subject").textContent = item.kind === "notification" ? "" : titleOf(item);
    renderContent(li.querySelector(".content"), item);

    const links = li.querySelector(".links");
    links.replaceChildren();
    const a = item.attachment;
    if (a && item.attachment_url)
      addLink(links, item.attachment_url, a.name || a.file,
              [a.media_type, a.size ? formatSize(a.size) : ""].filter((x) => x).join(", "));
    if (item.kind === "warning")
      addLink(links, item.cap_url || "/api/v1/warnings/" + encodeURIComponent(item.id) + ".cap",
              t("cap"), "application/cap+xml");

    const acked = item.acknowledged_ms !== null && item.acknowledged_ms !== undefined;
    const ack = li.querySelector(".ack");
    ack.textContent = t("ack");
    ack.hidden = own || acked;
    ack.disabled = ended();
    li.querySelector(".ack-done").textContent =
      !own && acked ? "✓ " + t("acked", { t: formatTime(item.acknowledged_ms) }) : "";
    li.classList.toggle("acknowledged", acked);
    const acks = li.querySelector(".acks");
    acks.hidden = !own;
    if (own) {
      const by = Object.entries(item.acknowledged || {}).sort((x, y) => x[1] - y[1])
        .map(([team, ms]) => teamName(team) + " (" + formatTime(ms) + ")");
      const list = by.length > 5 ? by.slice(0, 5).join(", ") + " " + t("more", { n: by.length - 5 })
                                 : by.join(", ");
      acks.textContent = by.length ? "✓ " + t("acks-by", { l: list }) : t("acks-none");
    }
    const replyOpen = li.querySelector(".reply-open");
    replyOpen.textContent = t("reply");
    replyOpen.hidden = ended() || (replyTargets(item).length === 0 && !fromControllers(item));
    const moreInfo = li.querySelector(".more-info");
    moreInfo.textContent = t("ask-more");
    moreInfo.hidden = ended() || own || item.kind !== "notification";

    const form = li.querySelector(".reply");
    if (ended()) form.hidden = true;
    li.querySelector(".reply-label").textContent =
      t(form.dataset.purpose === "more-information" ? "more-label" : "reply-label");
    li.querySelector(".reply-cancel").textContent = t("cancel");
    const send = form.querySelector(".send");
    send.textContent = t(form.dataset.busy ? "sending" : "send");
    send.disabled = !!form.dataset.busy;
    return li;
  }

  /* Whom a reply to @item goes to: the sender, or for what the team sent itself, its recipients.
   * None for what the controllers sent (as an actor or not): the server takes the answer back to
   * them. */
  function replyTargets(item) {
    if (mine(item)) return item.to || [];
    return item.from ? [item.from] : [];
  }

  const fromControllers = (item) => !item.from && !mine(item);

  /* The inbox: a thread per first item, the thread with the latest news first. */

  function threadRoot(item) {
    const seen = new Set();
    while (item.in_reply_to && state.items.has(item.in_reply_to) && !seen.has(item.id)) {
      seen.add(item.id);
      item = state.items.get(item.in_reply_to);
    }
    return item;
  }

  const order = (x, y) => x.t_ms - y.t_ms || Number(x.id.slice(2)) - Number(y.id.slice(2));

  /* puts @children in @parent in that order, moving only what is out of place (a moved card
   * would lose the focus of a reply being typed) */
  function arrange(parent, children) {
    children.forEach((child, i) => {
      if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] || null);
    });
    while (parent.children.length > children.length) parent.lastElementChild.remove();
  }

  function renderInbox() {
    const threads = new Map();   /* root id → items, oldest first */
    for (const item of [...state.items.values()].sort(order)) {
      const root = threadRoot(item);
      if (!threads.has(root.id)) threads.set(root.id, []);
      threads.get(root.id).push(item);
    }
    const last = (thread) => thread[thread.length - 1];
    const shown = [...threads.values()]
      .filter((thread) => state.filter === "all" || thread.some((i) => i.kind === state.filter))
      .sort((x, y) => order(last(y), last(x)));
    const cards = shown.map((thread) => {
      const card = renderCard(thread[0]);
      card.classList.remove("in-thread");
      arrange(card.querySelector(".thread"), thread.slice(1).map((item) => {
        const child = renderCard(item);
        child.classList.add("in-thread");
        return child;
      }));
      return card;
    });
    arrange($("inbox"), cards);
    $("inbox-empty").hidden = cards.length > 0;
    for (const button of document.querySelectorAll("#inbox-filters [data-filter]"))
      button.setAttribute("aria-pressed", button.dataset.filter === state.filter ? "true" : "false");
  }

  function renderCounts() {
    const waiting = [...state.items.values()].filter((i) => !mine(i) && i.acknowledged_ms == null);
    $("inbox-count").textContent = waiting.length ? String(waiting.length) : "";
    const notifications = waiting.filter((i) => i.kind === "notification").length;
    document.querySelector("#inbox-filters [data-filter=notification] .count").textContent =
      notifications ? String(notifications) : "";
    $("sitrep-count").textContent = state.unseenSitreps ? String(state.unseenSitreps) : "";
  }

  /* whether @node already shows @entries: rebuilt, it would lose the focus and what was typed */
  function unchanged(node, entries) {
    const key = JSON.stringify(entries);
    if (node.dataset.entries === key) return true;
    node.dataset.entries = key;
    return false;
  }

  /* Check boxes of teams (or selectors) in @box, keeping what was ticked. */
  function fillChecks(box, entries, name) {
    if (unchanged(box, entries)) return;
    const ticked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
    box.replaceChildren();
    for (const entry of entries) {
      const label = el("label", "check");
      const input = el("input");
      input.type = "checkbox";
      input.name = name;
      input.value = entry.value;
      input.checked = ticked.has(entry.value);
      label.append(input, el("span", null, entry.label));
      box.append(label);
    }
  }

  function fillSelect(select, entries, empty) {
    if (unchanged(select, entries)) return;
    const chosen = select.value;
    select.replaceChildren();
    if (empty !== undefined) select.append(new Option(empty, ""));
    for (const entry of entries) select.append(new Option(entry.label, entry.value));
    if (entries.some((entry) => entry.value === chosen)) select.value = chosen;
  }

  const teamEntries = (teams) => teams.filter((team) => team.id !== state.me.id)
    .map((team) => ({ value: team.id, label: team.name || team.id }));

  function kindName(kind) {
    const key = "k-" + kind;
    const text = t(key);
    return text === key ? kind : text;
  }

  function renderForms() {
    const c = state.contacts;
    if (!c) return;
    /* write */
    const reachable = teamEntries(c.may_write);
    fillChecks($("write-to"), reachable.length ? reachable : [], "to");
    if (!reachable.length) $("write-to").replaceChildren(el("p", "hint", t("no-contacts")));
    /* notify */
    const notify = $("notify-form");
    fillSelect(notify.elements.to, teamEntries(c.authorities));
    const stage = notify.elements.stage.value;
    for (const field of notify.querySelectorAll("[data-stages]"))
      field.hidden = !field.dataset.stages.split(" ").includes(stage);
    const filed = [...state.items.values()].filter((i) => i.kind === "notification" && mine(i));
    fillSelect(notify.elements.in_reply_to, filed.map((i) => ({
      value: i.id, label: i.id + " · " + t(i.stage) + " · " + formatTime(i.t_ms),
    })), t("none"));
    /* a later stage follows the latest one filed, unless the team chose otherwise */
    if (!notify.elements.in_reply_to.value && filed.length && !notify.dataset.followsChosen)
      notify.elements.in_reply_to.value = filed[filed.length - 1].id;
    renderDeadlines();
    /* warn */
    const warn = $("warn-form");
    fillSelect(warn.elements.to, reachable);
    const kinds = [...new Set(c.may_write.map((team) => team.kind))];
    const sectors = [...new Set(c.may_write.map((team) => team.sector).filter((s) => s))];
    fillChecks($("warn-selectors"), [
      ...kinds.map((k) => ({ value: "kind:" + k, label: t("kind-of", { k: kindName(k) }) })),
      ...sectors.map((s) => ({ value: "sector:" + s, label: t("sector-of", { s }) })),
    ], "selectors");
    const form = warn.querySelector("input[name=form]:checked").value;
    for (const field of warn.querySelectorAll("[data-form]")) field.hidden = field.dataset.form !== form;
    renderWarningTexts();
    for (const row of $("warn-indicators").children) renderIndicatorRow(row);
    /* sitrep */
    const sitrep = $("sitrep-form");
    fillChecks($("sitrep-to"), teamEntries(c.may_write), "to");
    $("sitrep-to").hidden = sitrep.querySelector("input[name=audience]:checked").value !== "chosen";
    for (const button of document.querySelectorAll(".compose .send"))
      button.disabled = ended() || !!button.dataset.busy;
  }

  /* the headline, description and advice of a warning, once per language of the exercise */
  function renderWarningTexts() {
    const box = $("warn-texts");
    for (const code of page.languages) {
      let set = box.querySelector("[data-lang='" + code + "']");
      if (!set) {
        set = el("fieldset", "field-grid lang-texts");
        set.dataset.lang = code;
        set.append(el("legend", null, LANGUAGE_NAMES[code] || code.toUpperCase()));
        for (const [name, tag] of [["headline", "input"], ["description", "textarea"],
                                   ["instruction", "textarea"]]) {
          const label = el("label");
          const span = el("span");
          span.dataset.t = name;
          const input = el(tag);
          input.name = name + "-" + code;
          input.maxLength = tag === "input" ? 300 : 65536;
          if (tag === "input") input.type = "text";
          else input.rows = 3;
          label.append(span, input);
          set.append(label);
        }
        box.append(set);
      }
    }
    page.translate(box);
  }

  function renderIndicatorRow(row) {
    row.querySelector(".ioc-type-label").textContent = t("indicator-type");
    row.querySelector(".ioc-value-label").textContent = t("indicator-value");
    row.querySelector("button").textContent = t("remove");
  }

  function addIndicatorRow() {
    const row = el("div", "indicator");
    const typeLabel = el("label");
    const select = el("select");
    select.name = "ioc-type";
    for (const type of INDICATOR_TYPES) select.append(new Option(type, type));
    typeLabel.append(el("span", "ioc-type-label"), select);
    const valueLabel = el("label");
    const input = el("input");
    input.type = "text";
    input.name = "ioc-value";
    input.maxLength = 2048;
    valueLabel.append(el("span", "ioc-value-label"), input);
    const remove = el("button");
    remove.type = "button";
    remove.addEventListener("click", () => row.remove());
    row.append(typeLabel, valueLabel, remove);
    renderIndicatorRow(row);
    $("warn-indicators").append(row);
    return input;
  }

  /* The NIS2 deadlines in exercise time, from the delivery of the team's incident inject. */

  function incidentStart() {
    let start = null;
    for (const entry of injects.values()) {
      const d = entry.data;
      if (!d.incident) continue;
      const at = d.state && d.state.delivered_ms != null ? d.state.delivered_ms : d.fired_ms;
      if (at != null && (start === null || at < start)) start = at;
    }
    return start;
  }

  function renderDeadlines() {
    const list = $("deadlines");
    const deadlines = (state.contacts && state.contacts.deadlines) || {};
    const start = incidentStart();
    const now = page.now();
    list.replaceChildren();
    for (const stage of STAGES) {
      const ms = deadlines[stage];
      if (ms === null || ms === undefined) continue;
      const li = el("li");
      li.dataset.stage = stage;
      const filed = [...state.items.values()].find((i) => i.kind === "notification" && mine(i) &&
                                                           i.stage === stage);
      li.append(el("strong", null, t(stage)), " ");
      if (filed) {
        li.dataset.status = "done";
        li.append(el("span", "status", "✓ " + t("deadline-done", { t: formatTime(filed.t_ms) })));
      } else if (start === null) {
        li.dataset.status = "waiting";
        li.append(el("span", "status", t("deadline-within", { d: formatDuration(ms) })));
      } else {
        const due = start + ms;
        li.dataset.status = now > due ? "overdue" : "open";
        li.append(el("span", "status", t("deadline-due", { t: formatTime(due) })), " ",
                  el("span", "countdown", t(now > due ? "deadline-over" : "deadline-left",
                                            { d: formatDuration(due - now) })));
      }
      list.append(li);
    }
    list.hidden = list.childElementCount === 0;
  }

  /* The situation report: the latest version, and the ones before. */

  function renderSitrep() {
    const versions = [...state.items.values()].filter((i) => i.kind === "sitrep").sort(order);
    const latest = versions[versions.length - 1];
    $("sitrep-none").hidden = !!latest;
    const view = $("sitrep-latest");
    view.hidden = !latest;
    if (latest) fillSitrep(view, latest);
    const history = $("sitrep-history");
    history.hidden = versions.length < 2;
    history.querySelector("summary").textContent = t("sitrep-history") + " (" + (versions.length - 1) + ")";
    const older = versions.slice(0, -1).reverse().map((item) => {
      const article = el("article", "sitrep");
      fillSitrep(article, item);
      const li = el("li");
      li.append(article);
      return li;
    });
    history.querySelector("ol").replaceChildren(...older);
    /* the editor starts from the latest version, once */
    const form = $("sitrep-form");
    form.hidden = !(state.contacts && state.contacts.can_sitrep);
    if (latest && !form.dataset.filled) {
      form.dataset.filled = "1";
      for (const name of SECTIONS) form.elements[name].value = (latest.sections || {})[name] || "";
      if (latest.tlp) form.elements.tlp.value = latest.tlp;
    }
  }

  function fillSitrep(article, item) {
    article.replaceChildren();
    article.dataset.version = item.version;
    const header = el("header");
    const marks = el("span");
    const marking = el("span", "marking", t("marking"));
    const tlp = el("span", "tlp");
    setTlp(tlp, item.tlp);
    marks.append(marking, tlp);
    header.append(marks, el("span", "from", teamName(item.from)),
                  el("time", "when", formatTime(item.t_ms)));
    article.append(header, el("h2", null, t("sitrep-v", { v: item.version })));
    const body = el("div", "content");
    renderContent(body, item);
    article.append(body);
  }

  function render() {
    if (!state.me) return;
    const c = state.contacts || {};
    $("tab-warn").hidden = !c.can_warn;
    $("tab-notify").hidden = !(c.authorities && c.authorities.length);
    renderInbox();
    renderCounts();
    renderForms();
    renderSitrep();
  }

  /* What comes in */

  function upsert(item, live) {
    const known = state.items.get(item.id);
    state.items.set(item.id, Object.assign({}, known, item));
    const parent = item.in_reply_to && state.items.get(item.in_reply_to);
    if (parent && !(parent.replies || []).includes(item.id))
      parent.replies = (parent.replies || []).concat([item.id]);
    if (!known && live && !mine(item)) {
      state.fresh.add(item.id);
      if (item.kind === "sitrep" && document.body.dataset.tab !== "sitrep") state.unseenSitreps++;
    }
  }

  function onAck(d) {
    const item = state.items.get(d.message);
    if (!item) return;
    if (state.me && d.team === state.me.id) {
      item.acknowledged_ms = d.acknowledged_ms;
      state.fresh.delete(item.id);
    } else {
      item.acknowledged = Object.assign({}, item.acknowledged, { [d.team]: d.acknowledged_ms });
    }
    render();
  }

  async function refresh() {
    const [list, contacts] = await Promise.all([api("GET", "messages?lang=" + encodeURIComponent(page.lang)),
                                                api("GET", "contacts?lang=" + encodeURIComponent(page.lang))]);
    state.contacts = contacts;
    for (const item of list.items) upsert(item, false);
    render();
  }

  /* What the team does */

  async function acknowledge(id) {
    const li = state.elements.get(id);
    const button = li.querySelector(".ack");
    button.disabled = true;
    try {
      const reply = await api("POST", "messages/" + encodeURIComponent(id) + "/ack");
      state.items.get(id).acknowledged_ms = reply.acknowledged_ms;
      state.fresh.delete(id);
      page.showNotice(null);
    } catch (error) {
      page.showNotice(t("failed", { e: error.message }));
    }
    render();
  }

  async function reply(id, text, form) {
    const item = state.items.get(id);
    const subject = "Re: " + (titleOf(item) || kindLabel(item));
    const body = { subject: subject.slice(0, 300), body: text, in_reply_to: id };
    const to = replyTargets(item);
    if (to.length > 0) body.to = to;
    if (item.tlp) body.tlp = item.tlp;
    if (form.dataset.purpose === "more-information") body.purpose = "more-information";
    form.dataset.busy = "1";
    renderCard(item);
    try {
      upsert(await sendOnce("reply:" + id, "messages", body), false);
      form.querySelector("textarea").value = "";
      form.hidden = true;
      state.fresh.delete(id);
      page.showFormError(form.querySelector(".form-error"), null);
    } catch (error) {
      page.showFormError(form.querySelector(".form-error"), error);
    }
    delete form.dataset.busy;
    render();
  }

  /* Sends a form's item: @build gives the body (or throws an Error whose message is shown). */
  async function submit(form, path, build, done) {
    const error = form.querySelector(".form-error");
    const ok = form.querySelector(".form-done");
    const send = form.querySelector(".send");
    let body;
    ok.hidden = true;
    try {
      body = build();
    } catch (e) {
      page.showFormError(error, null);
      error.textContent = e.message;
      error.hidden = false;
      error.scrollIntoView({ block: "nearest" });
      return;
    }
    send.dataset.busy = "1";
    send.disabled = true;
    try {
      const item = await sendOnce("form:" + form.id, path, body);
      upsert(item, false);
      page.showFormError(error, null);
      ok.textContent = t("sent-ok", { id: item.id, t: formatTime(item.t_ms) });
      ok.hidden = false;
      if (done) done(item);
    } catch (e) {
      showSendError(error, e);
    }
    (error.hidden ? ok : error).scrollIntoView({ block: "nearest" });
    delete send.dataset.busy;
    send.disabled = ended();
    render();
  }

  /* the server's refusal of an upload, said with the limit the team can act on */
  function showSendError(box, error) {
    if (error.status === 413)
      box.textContent = t("too-large", { e: error.message });
    else if (error.status === 415)
      box.textContent = t("bad-type", { e: error.message });
    else if (error.status === undefined && box.closest("#write-form") &&
             $("write-form").elements.attachment.files.length)
      box.textContent = t("upload-cut");
    else
      return page.showFormError(box, error);
    box.hidden = false;
  }

  const checked = (box) => [...box.querySelectorAll("input:checked")].map((i) => i.value);
  const fail = (key) => { throw new Error(t(key)); };

  function buildMessage() {
    const form = $("write-form");
    const to = checked($("write-to"));
    if (!to.length) fail("choose-recipient");
    const file = form.elements.attachment.files[0];
    const fields = { subject: form.elements.subject.value, body: form.elements.body.value,
                     tlp: form.elements.tlp.value, lang: page.lang };
    if (!file) return Object.assign({ to }, fields);
    /* with a file: multipart, one "to" field per recipient */
    const data = new FormData();
    for (const id of to) data.append("to", id);
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    data.append("attachment", file, file.name);
    return data;
  }

  function buildNotification() {
    const form = $("notify-form");
    if (!form.elements.to.value) fail("no-authority");
    const stage = form.elements.stage.value;
    const fields = {};
    for (const name of FIELDS) {
      const input = form.elements[name];
      if (input.closest("[data-stages]") && input.closest("[data-stages]").hidden) continue;
      if (input.type === "checkbox") fields[name] = input.checked;
      else if (input.value.trim() !== "") fields[name] = input.value;
    }
    const body = { to: form.elements.to.value, stage, lang: page.lang,
                   tlp: form.elements.tlp.value, fields };
    if (stage !== "early-warning" && form.elements.in_reply_to.value)
      body.in_reply_to = form.elements.in_reply_to.value;
    return body;
  }

  function buildWarning() {
    const form = $("warn-form");
    const kind = form.querySelector("input[name=form]:checked").value;
    const texts = {};
    for (const code of page.languages) {
      const get = (name) => (form.elements[name + "-" + code] || {}).value || "";
      if (get("headline").trim() === "") continue;
      texts[code] = { headline: get("headline"), description: get("description"),
                      instruction: get("instruction") };
    }
    if (!Object.keys(texts).length) fail("need-headline");
    const body = {
      form: kind, texts, tlp: form.elements.tlp.value, severity: form.elements.severity.value,
      urgency: form.elements.urgency.value, certainty: form.elements.certainty.value,
      indicators: [...$("warn-indicators").children]
        .map((row) => ({ type: row.querySelector("select").value,
                         value: row.querySelector("input").value.trim() }))
        .filter((i) => i.value !== ""),
    };
    if (form.elements.asset.value.trim() !== "") body.asset = form.elements.asset.value;
    if (kind === "spear") {
      if (!form.elements.to.value) fail("choose-recipient");
      body.to = [form.elements.to.value];
    } else {
      body.selectors = checked($("warn-selectors"));
      if (!body.selectors.length) fail("need-selector");
    }
    return body;
  }

  function buildSitrep() {
    const form = $("sitrep-form");
    const sections = {};
    for (const name of SECTIONS) sections[name] = form.elements[name].value;
    const body = { sections, tlp: form.elements.tlp.value, lang: page.lang };
    if (form.querySelector("input[name=audience]:checked").value === "chosen") {
      body.to = checked($("sitrep-to"));
      if (!body.to.length) fail("choose-recipient");
    }
    return body;
  }

  function setUp() {
    for (const tab of document.querySelectorAll("#tabs [role=tab]"))
      tab.addEventListener("click", () => showTab(tab.dataset.tab));
    /* arrows move between tabs, as ARIA's tab pattern has it */
    $("tabs").addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const tabs = [...document.querySelectorAll("#tabs [role=tab]:not([hidden])")];
      const at = tabs.indexOf(document.activeElement);
      const next = tabs[(at + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      showTab(next.dataset.tab);
      next.focus();
    });
    for (const button of document.querySelectorAll("#inbox-filters [data-filter]"))
      button.addEventListener("click", () => {
        state.filter = button.dataset.filter;
        renderInbox();
      });
    const on = (id, handler) => $(id).addEventListener("submit", (event) => {
      event.preventDefault();
      if (!event.target.querySelector(".send").dataset.busy) handler(event.target);
    });
    on("write-form", (form) => submit(form, "messages", buildMessage, () => {
      form.reset();
      for (const input of $("write-to").querySelectorAll("input")) input.checked = false;
    }));
    on("notify-form", (form) => submit(form, "notifications", buildNotification, () => {
      for (const name of FIELDS.filter((n) => n !== "contact")) {
        const input = form.elements[name];
        if (input.type === "checkbox") input.checked = false;
        else if (input.tagName !== "SELECT") input.value = "";
      }
    }));
    on("warn-form", (form) => submit(form, "warnings", buildWarning, () => {
      for (const input of form.querySelectorAll("#warn-texts input, #warn-texts textarea"))
        input.value = "";
      $("warn-indicators").replaceChildren();
      form.elements.asset.value = "";
    }));
    on("sitrep-form", (form) => submit(form, "sitrep", buildSitrep));
    $("notify-form").elements.stage.addEventListener("change", renderForms);
    $("notify-form").elements.in_reply_to.addEventListener("change", (event) => {
      event.target.form.dataset.followsChosen = "1";
    });
    for (const input of document.querySelectorAll("#warn-form input[name=form], " +
                                                  "#sitrep-form input[name=audience]"))
      input.addEventListener("change", renderForms);
    $("warn-add-indicator").addEventListener("click", () => addIndicatorRow().focus());
    showTab("injects");
  }

  Whitecell.participant.addPart({
    strings: STRINGS,
    handlers: {
      message: (item, synced) => {
        upsert(item, synced);
        render();
      },
      "message-ack": onAck,
    },
    start: (me) => {
      state.me = me.team;
      if (!state.ready) {
        state.ready = true;
        setUp();
        /* what the team sends is as sensitive as the exercise, unless it says otherwise */
        for (const select of document.querySelectorAll(".compose select[name=tlp]"))
          for (const option of select.options)
            if (me.exercise.tlp) option.selected = option.defaultSelected = option.value === me.exercise.tlp;
      }
      /* the items come with the event stream's first opening (app.js's refresh) */
    },
    refresh,
    render,
  });
  page.onTick = (page.onTick || []).concat([() => {
    if (!$("panel-notify").hidden) renderDeadlines();
  }]);
})();
