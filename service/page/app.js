// sayso newsroom page: paste an article, classify it with POST /v1/classify, show how the model
// reads it. Vanilla JS, no build step, no network beyond the sayso service that serves this file.
"use strict";

(() => {
  const TYPES = ["fact", "quote", "opinion"];
  const TAG_LETTER = { fact: "F", quote: "Q", opinion: "O" };
  const PARTS = ["source", "cue", "content"];
  const EXAMPLE = [
    "PRISTINA, May 30 - Kosovo Prime Minister Albin Kurti said on Tuesday that police would stay in the north.",
    '"We will not back down," Kurti told reporters. "Serbia is behind the violence," he added.',
    "",
    "NATO peacekeepers were deployed around municipal buildings in Zvecan after clashes on Monday left 30 soldiers injured.",
    '"Pristina must de-escalate," NATO chief Jens Stoltenberg said.',
    "",
    "Serbian President Aleksandar Vucic accused Kurti of provoking the unrest and put the army on alert.",
    "The crisis shows that the West has let Belgrade off the hook for far too long.",
  ].join("\n");

  const $ = (id) => document.getElementById(id);
  const form = $("classify-form");
  const textarea = $("article-text");
  const apiKey = $("api-key");
  const classifyButton = $("classify");
  const downloadButton = $("download");
  const copyButton = $("copy");
  const statusLine = $("status");
  const article = $("article");
  const counts = $("counts");
  const speakersList = $("speakers");
  const detail = $("detail");
  const modelInfo = $("model-info");

  let result = null; // the last successful response body
  let selectedSpeaker = null;

  // --- small helpers -------------------------------------------------------------------------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-") || key.startsWith("aria-") || ["title", "role", "tabindex", "type"].includes(key))
        node.setAttribute(key, String(value));
      else node[key] = value;
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setStatus(message, state) {
    statusLine.textContent = message;
    statusLine.dataset.state = state;
  }

  function pct(x) {
    return `${Math.round((Number(x) || 0) * 100)}%`;
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  function headers() {
    const h = { "Content-Type": "application/json", Accept: "application/json" };
    const key = apiKey.value.trim();
    if (key) h.Authorization = `Bearer ${key}`;
    return h;
  }

  // --- errors in plain words ------------------------------------------------------------------

  async function errorMessage(response) {
    let message = "";
    try {
      const body = await response.json();
      message = (body && body.error && body.error.message) || "";
    } catch (_) {
      message = "";
    }
    switch (response.status) {
      case 401:
        return "This sayso needs an API key: enter it under Settings and try again.";
      case 413:
        return `The article is too long for sayso to classify in one go; split it into shorter parts.${message ? ` (${message})` : ""}`;
      case 422:
        return `sayso could not read this request: ${message || "invalid request"}.`;
      case 429:
        return "sayso is busy, try again in a moment.";
      case 503:
        return message.includes("failed")
          ? `The model could not be loaded: ${message}.`
          : "The model is still loading; try again in a few seconds.";
      case 504:
        return "sayso took too long on this article; try again or send a shorter one.";
      default:
        return `sayso answered with an error (HTTP ${response.status})${message ? `: ${message}` : ""}.`;
    }
  }

  // --- classify ----------------------------------------------------------------------------

  async function classify() {
    const text = textarea.value;
    if (!text.trim()) {
      setStatus("Paste an article first.", "error");
      textarea.focus();
      return;
    }
    classifyButton.disabled = true;
    article.setAttribute("aria-busy", "true");
    setStatus("Classifying…", "busy");
    let response;
    try {
      response = await fetch("/v1/classify", { method: "POST", headers: headers(), body: JSON.stringify({ text }) });
    } catch (_) {
      setStatus("Could not reach sayso (network error). Check that the service is running and try again.", "error");
      finish();
      return;
    }
    try {
      if (!response.ok) {
        setStatus(await errorMessage(response), "error");
        return;
      }
      let body;
      try {
        body = await response.json();
      } catch (_) {
        setStatus("sayso sent an answer this page cannot read.", "error");
        return;
      }
      result = body;
      render(body, text);
      downloadButton.disabled = false;
      copyButton.disabled = false;
      const n = body.sentences.length;
      setStatus(
        n ? `Classified ${plural(n, "sentence")}; ${plural(body.speakers.length, "speaker")} found.` : "No sentences found.",
        "ok",
      );
    } finally {
      finish();
    }
  }

  function finish() {
    classifyButton.disabled = false;
    article.removeAttribute("aria-busy");
  }

  // --- rendering -----------------------------------------------------------------------------

  // Offsets from the service count Unicode code points (Python), not UTF-16 units (JavaScript).
  function sentenceBody(sentence) {
    const chars = Array.from(sentence.text);
    const spans = [];
    if (sentence.type.label === "quote" && sentence.attribution) {
      for (const kind of PARTS) {
        const span = sentence.attribution[kind];
        if (span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start) {
          spans.push({ kind, start: Math.max(0, span.start), end: Math.min(chars.length, span.end) });
        }
      }
      spans.sort((a, b) => a.start - b.start);
    }
    const nodes = [];
    let at = 0;
    for (const span of spans) {
      if (span.start < at || span.start >= span.end) continue; // overlapping or empty: skip
      if (span.start > at) nodes.push(document.createTextNode(chars.slice(at, span.start).join("")));
      nodes.push(
        el("span", { class: `part part-${span.kind}`, "data-span": span.kind, title: span.kind },
          chars.slice(span.start, span.end).join("")),
      );
      at = span.end;
    }
    if (at < chars.length) nodes.push(document.createTextNode(chars.slice(at).join("")));
    return nodes;
  }

  function nonNeutral(sentence) {
    return Object.entries(sentence.stance || {}).filter(([, s]) => s.label !== "neutral");
  }

  function tooltip(sentence) {
    const lines = [`${sentence.type.label} (${scoreList(sentence.type.scores)})`];
    const a = sentence.attribution;
    if (a && a.speaker) lines.push(`speaker: ${a.speaker}`);
    for (const [target, s] of Object.entries(sentence.stance || {})) {
      lines.push(`${target}: ${s.label} (${scoreList(s.scores)})${s.mentioned ? ", mentioned" : ""}`);
    }
    return lines.join("\n");
  }

  function scoreList(scores) {
    return Object.entries(scores || {}).map(([k, v]) => `${k} ${pct(v)}`).join(", ");
  }

  function render(body, text) {
    selectedSpeaker = null;
    article.classList.remove("filtering");
    article.replaceChildren();
    const points = Array.from(text);
    let paragraph = el("p");
    let previousEnd = null;
    const tally = { fact: 0, quote: 0, opinion: 0 };
    for (const sentence of body.sentences) {
      const type = sentence.type.label;
      tally[type] = (tally[type] || 0) + 1;
      // A line break between two sentences of the pasted text starts a new paragraph.
      if (previousEnd !== null && Number.isInteger(sentence.start)) {
        const gap = points.slice(previousEnd, sentence.start).join("");
        if (gap.includes("\n") && paragraph.childNodes.length) {
          article.append(paragraph);
          paragraph = el("p");
        }
      }
      previousEnd = Number.isInteger(sentence.end) ? sentence.end : previousEnd;
      const speaker = sentence.attribution && sentence.attribution.speaker;
      const node = el(
        "span",
        {
          class: "sentence",
          tabindex: 0,
          "data-type": type,
          "data-index": sentence.index,
          "data-speaker": speaker || null,
          title: tooltip(sentence),
        },
        el("span", { class: "tag", "aria-hidden": "true", text: TAG_LETTER[type] || "?" }),
        el("span", { class: "visually-hidden", text: `${type}${speaker ? ` by ${speaker}` : ""}: ` }),
        ...sentenceBody(sentence),
      );
      for (const [target, stance] of nonNeutral(sentence)) {
        node.append(
          el("span", { class: "chip", "data-target": target, "data-stance": stance.label,
            text: `${target}: ${stance.label}` }),
        );
      }
      node.addEventListener("mouseenter", () => showDetail(sentence, node));
      node.addEventListener("focus", () => showDetail(sentence, node));
      paragraph.append(node, " ");
    }
    if (paragraph.childNodes.length) article.append(paragraph);
    if (!body.sentences.length) article.append(el("p", { class: "placeholder", text: "No sentences found." }));
    counts.textContent = body.sentences.length
      ? `${plural(body.sentences.length, "sentence")}: ${TYPES.map((t) => `${tally[t] || 0} ${t}`).join(", ")}.`
      : "";
    renderSpeakers(body.speakers || []);
    detail.replaceChildren(el("p", { class: "hint", text: "Hover over or focus a sentence to see its scores." }));
  }

  function stanceSummary(stance) {
    const parts = [];
    for (const [target, c] of Object.entries(stance || {})) {
      const bits = [];
      if (c.favor) bits.push(`${c.favor} favor`);
      if (c.against) bits.push(`${c.against} against`);
      if (bits.length) parts.push(`${target}: ${bits.join(", ")}`);
    }
    return parts.length ? parts.join("; ") : "neutral toward every target";
  }

  function renderSpeakers(speakers) {
    speakersList.replaceChildren();
    if (!speakers.length) {
      speakersList.append(el("li", { class: "empty", text: "No named speakers in this article." }));
      return;
    }
    for (const entry of speakers) {
      const button = el(
        "button",
        { type: "button", "data-speaker": entry.speaker, "aria-pressed": "false" },
        el("span", { class: "speaker-name", text: entry.speaker }),
        el("span", { class: "speaker-quotes", text: plural(entry.quotes.length, "quote") }),
        el("span", { class: "speaker-stance", text: stanceSummary(entry.stance) }),
      );
      button.addEventListener("click", () => selectSpeaker(entry));
      speakersList.append(el("li", {}, button));
    }
  }

  function selectSpeaker(entry) {
    const same = entry && selectedSpeaker === entry.speaker;
    selectedSpeaker = same || !entry ? null : entry.speaker;
    const indexes = new Set(selectedSpeaker ? entry.quotes : []);
    for (const node of article.querySelectorAll(".sentence")) {
      node.classList.toggle("selected", indexes.has(Number(node.dataset.index)));
    }
    article.classList.toggle("filtering", Boolean(selectedSpeaker));
    for (const button of speakersList.querySelectorAll("button[data-speaker]")) {
      button.setAttribute("aria-pressed", String(button.dataset.speaker === selectedSpeaker));
    }
    if (selectedSpeaker) {
      const first = article.querySelector(".sentence.selected");
      if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
      setStatus(`Highlighted ${plural(indexes.size, "quote")} by ${selectedSpeaker}.`, "ok");
    } else if (result) {
      setStatus("Speaker highlight cleared.", "ok");
    }
  }

  function scoreBars(scores, chosen) {
    const wrap = el("div", { class: "bars" });
    for (const [label, value] of Object.entries(scores || {})) {
      wrap.append(
        el("div", { class: `bar${label === chosen ? " chosen" : ""}` },
          el("span", { class: "label", text: label }),
          el("meter", { min: 0, max: 1, value: Number(value) || 0, "aria-label": `${label} score` }),
          el("span", { class: "value", text: pct(value) })),
      );
    }
    return wrap;
  }

  function showDetail(sentence, node) {
    for (const other of article.querySelectorAll(".sentence.current")) other.classList.remove("current");
    node.classList.add("current");
    const parts = [
      el("h3", { text: `Sentence ${sentence.index + 1}: ${sentence.type.label}` }),
      el("blockquote", { text: sentence.text }),
      el("h3", { text: "Type scores" }),
      scoreBars(sentence.type.scores, sentence.type.label),
    ];
    const a = sentence.attribution;
    if (a) {
      const list = el("dl");
      for (const kind of PARTS) {
        list.append(el("dt", { text: kind }), el("dd", { text: a[kind] ? a[kind].text : "(not found)" }));
      }
      list.append(el("dt", { text: "speaker" }), el("dd", { text: a.speaker || "(unknown)" }));
      list.append(el("dt", { text: "confidence" }), el("dd", { text: pct(a.score) }));
      parts.push(el("h3", { text: "Attribution" }), list);
    }
    for (const [target, stance] of Object.entries(sentence.stance || {})) {
      parts.push(
        el("h3", { text: `${target}: ${stance.label}${stance.mentioned ? " (mentioned)" : ""}` }),
        scoreBars(stance.scores, stance.label),
      );
    }
    detail.replaceChildren(...parts);
  }

  // --- download and copy -----------------------------------------------------------------------

  function download() {
    if (!result) return;
    const blob = new Blob([`${JSON.stringify(result, null, 2)}\n`], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: "sayso-result.json" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setStatus("Downloaded sayso-result.json.", "ok");
  }

  function summary(body) {
    const lines = [];
    const tally = {};
    for (const s of body.sentences) tally[s.type.label] = (tally[s.type.label] || 0) + 1;
    if (body.model) lines.push(`sayso ${body.model.name} ${body.model.version}`);
    lines.push(`${plural(body.sentences.length, "sentence")}: ${TYPES.map((t) => `${tally[t] || 0} ${t}`).join(", ")}`);
    lines.push("");
    lines.push("Speakers:");
    if (!body.speakers.length) lines.push("  (none)");
    for (const sp of body.speakers) {
      lines.push(`  ${sp.speaker}: ${plural(sp.quotes.length, "quote")}; ${stanceSummary(sp.stance)}`);
    }
    lines.push("");
    lines.push("Sentences:");
    for (const s of body.sentences) {
      const speaker = s.attribution && s.attribution.speaker ? ` (${s.attribution.speaker})` : "";
      const chips = nonNeutral(s).map(([t, st]) => `${t}: ${st.label}`);
      lines.push(
        `  ${s.index + 1}. [${s.type.label}${speaker}] ${s.text}${chips.length ? ` {${chips.join("; ")}}` : ""}`,
      );
    }
    return `${lines.join("\n")}\n`;
  }

  async function copySummary() {
    if (!result) return;
    const text = summary(result);
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      // Not a secure context, or permission refused: the old way.
      const scratch = el("textarea", { value: text, "aria-hidden": "true" });
      scratch.style.position = "fixed";
      scratch.style.opacity = "0";
      document.body.append(scratch);
      scratch.select();
      const ok = document.execCommand && document.execCommand("copy");
      scratch.remove();
      if (!ok) {
        setStatus("Could not copy to the clipboard; use Download JSON instead.", "error");
        return;
      }
    }
    setStatus("Summary copied to the clipboard.", "ok");
  }

  // --- model card in the header ------------------------------------------------------------------

  async function loadModelInfo() {
    try {
      const response = await fetch("/v1/model", { headers: headers() });
      if (!response.ok) {
        modelInfo.textContent = response.status === 401 ? "model: API key needed" : "model: unavailable";
        modelInfo.dataset.state = "error";
        return;
      }
      const card = await response.json();
      modelInfo.textContent = `model: ${card.name} ${card.version}${card.ready ? "" : " (loading…)"}`;
      modelInfo.dataset.state = card.ready ? "ready" : "loading";
      if (!card.ready) setTimeout(loadModelInfo, 3000);
    } catch (_) {
      modelInfo.textContent = "model: service unreachable";
      modelInfo.dataset.state = "error";
    }
  }

  // --- wiring ------------------------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    classify();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      classify();
    }
  });
  $("example").addEventListener("click", () => {
    textarea.value = EXAMPLE;
    textarea.focus();
    setStatus("Example loaded; press Classify.", "idle");
  });
  downloadButton.addEventListener("click", download);
  copyButton.addEventListener("click", copySummary);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && selectedSpeaker) selectSpeaker(null);
  });
  apiKey.addEventListener("change", loadModelInfo);

  // For tests and the curious: the last result and the summary text.
  window.sayso = { result: () => result, summary: () => (result ? summary(result) : "") };
  loadModelInfo();
})();
