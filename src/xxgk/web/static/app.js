// xxgk serve: the report's form. Plain browser JavaScript, no library, nothing fetched from afar.
// The checks run on the server (the library's own); this script only gathers the form, adds up
// the totals shown in grey cells, moves between cells, and shows what the server found.
"use strict";
(function () {
  const token = document.querySelector('meta[name="xxgk-token"]').content;
  const form = document.getElementById("report");
  const subList = document.getElementById("subsections");
  const subTemplate = document.getElementById("subsection-template");
  const statusLine = document.getElementById("status");
  const DIGITS = "零一二三四五六七八九";
  const CHECK_DELAY_MS = 350;
  let formatVersion = "2021";
  let dirty = false;
  let checkTimer = null;
  let checkSeq = 0;
  let version = null;  // the data file's version this page holds (see postSaving)

  // ------------------------------------------------------------ talking to the server

  async function post(url, body, extraHeaders) {
    const headers = Object.assign({ "X-Xxgk-Token": token }, extraHeaders || {});
    if (!(body instanceof ArrayBuffer)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    const response = await fetch(url, { method: "POST", headers: headers, body: body });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok && !(data && data.findings)) {
      throw new Error((data && data.message) || ("服务器返回 " + response.status));
    }
    return data;
  }

  function say(text, bad) {
    statusLine.textContent = text;
    statusLine.classList.toggle("bad", Boolean(bad));
  }

  // ------------------------------------------------------------ the form ⇄ its data

  // As labels.chinese_number writes it: 十一, 二十, 一百, 一百零一, 一百一十, 一千零一十.
  function chineseBelow10000(n) {
    const units = ["", "十", "百", "千"];
    let text = "", zero = false;
    for (let place = 3; place >= 0; place--) {
      const digit = Math.floor(n / Math.pow(10, place)) % 10;
      if (digit === 0) { zero = text !== ""; continue; }
      if (zero) { text += "零"; zero = false; }
      text += DIGITS[digit] + units[place];
    }
    return text;
  }

  function chineseNumber(n) {
    if (n >= 10000) {
      const high = Math.floor(n / 10000), low = n % 10000;
      return chineseNumber(high) + "万" + (low === 0 ? "" : (low < 1000 ? "零" : "") + chineseBelow10000(low));
    }
    const text = chineseBelow10000(n);
    return n >= 10 && n < 20 ? text.slice(1) : text;
  }

  function marker(index) {
    return "（" + chineseNumber(index + 1) + "）";
  }

  function renumber() {
    subList.querySelectorAll("li.subsection").forEach(function (li, i) {
      const mark = marker(i);
      const title = li.querySelector(".sub-title");
      li.querySelector(".marker").textContent = mark;
      li.id = "sub-" + i;
      title.setAttribute("aria-label", "一、总体情况/" + mark + "/标题");
      li.querySelector(".sub-text").setAttribute("aria-label", "一、总体情况/" + mark + (title.value || "") + "/正文");
      li.querySelector(".up").setAttribute("aria-label", "上移" + mark);
      li.querySelector(".down").setAttribute("aria-label", "下移" + mark);
      li.querySelector(".remove").setAttribute("aria-label", "删除" + mark);
    });
  }

  function addSubsection(title, text) {
    const li = subTemplate.content.firstElementChild.cloneNode(true);
    li.querySelector(".sub-title").value = title || "";
    li.querySelector(".sub-text").value = text || "";
    subList.appendChild(li);
    renumber();
    return li;
  }

  function fill(data) {
    formatVersion = data.format || "2021";
    const fields = data.fields || {};
    form.querySelectorAll("input[name], textarea[name]").forEach(function (el) {
      el.value = fields[el.name] !== undefined ? fields[el.name] : "";
    });
    subList.textContent = "";
    (data.subsections || []).forEach(function (s) { addSubsection(s.title, s.text); });
    totals();
  }

  function gather() {
    const fields = {};
    form.querySelectorAll("input[name], textarea[name]").forEach(function (el) { fields[el.name] = el.value; });
    const subsections = [];
    subList.querySelectorAll("li.subsection").forEach(function (li) {
      subsections.push({ title: li.querySelector(".sub-title").value, text: li.querySelector(".sub-text").value });
    });
    return { format: formatVersion, fields: fields, subsections: subsections, version: version };
  }

  // ------------------------------------------------------------ totals as you type

  function value(id) {
    const el = document.getElementById(id);
    // As the server reads a count (inputs/numbers.py): full-width digits and wide spaces
    // normalised, then decimal digits only; anything else leaves the total unknown.
    const text = el ? el.value.normalize("NFKC").replace(/[\s\u200b\ufeff]/g, "") : "";
    if (!/^[0-9]{1,40}$/.test(text)) return null;
    return parseInt(text, 10);
  }

  function sum(values) {
    let total = 0;
    for (const v of values) { if (v === null) return null; total += v; }
    return total;
  }

  function show(id, total) {
    const el = document.getElementById(id);
    if (el) el.textContent = total === null ? "" : String(total);
  }

  function totals() {
    const rows = Array.from(document.querySelectorAll("#table3 input[data-c='0']")).map(function (el) {
      return el.id.slice(3, -2);  // t3.<row id>.0
    });
    const columns = [0, 1, 2, 3, 4, 5];
    const results = rows.filter(function (id) { return !["new", "carried_in", "carried_out"].includes(id); });
    rows.forEach(function (id) {
      show("t3-" + id + "-total", sum(columns.map(function (c) { return value("t3." + id + "." + c); })));
    });
    const columnTotals = columns.map(function (c) {
      return sum(results.map(function (id) { return value("t3." + id + "." + c); }));
    });
    columnTotals.forEach(function (t, c) { show("t3-total-" + c, t); });
    show("t3-total-total", sum(columnTotals));
    ["review", "direct_suit", "suit_after_review"].forEach(function (block) {
      show("t4-" + block + "-total", sum([0, 1, 2, 3].map(function (o) { return value("t4." + block + "." + o); })));
    });
  }

  // ------------------------------------------------------------ findings at their places

  function clearFindings() {
    document.querySelectorAll(".is-error, .is-warning").forEach(function (el) {
      el.classList.remove("is-error", "is-warning");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("title");
      const described = el.getAttribute("aria-describedby") || "";
      const kept = described.split(" ").filter(function (d) { return d && !d.startsWith("f-"); }).join(" ");
      if (kept) el.setAttribute("aria-describedby", kept); else el.removeAttribute("aria-describedby");
    });
    document.querySelectorAll("ul.findings, ul.table-findings, #findings").forEach(function (ul) { ul.textContent = ""; });
  }

  // The element that shows a finding, and the list its message goes into.
  function placeOf(target) {
    if (!target) return null;
    if (target.startsWith("sub-")) {
      const li = document.getElementById(target);
      return li ? { mark: li.querySelector(".sub-title"), list: li.querySelector("ul.findings"), focus: li.querySelector(".sub-text") } : null;
    }
    const el = document.getElementById(target);
    if (!el) return null;
    const table = el.closest("table");
    const mark = el.tagName === "OUTPUT" ? el.parentElement : el;
    const list = table ? document.getElementById(table.id + "-findings") : document.getElementById(target + "-findings");
    return { mark: mark, list: list, focus: el.tagName === "OUTPUT" || el.tagName === "TH" ? el.closest("tr").querySelector("input") || el : el };
  }

  function focusPlace(place) {
    if (!place) return;
    place.focus.scrollIntoView({ block: "center" });
    if (place.focus.focus) place.focus.focus({ preventScroll: true });
  }

  function entry(finding, n, place, where) {
    const li = document.createElement("li");
    li.className = finding.severity;
    li.id = "f-" + where + "-" + n;
    const text = (finding.severity === "error" ? "错误：" : "警告：") + (finding.place ? finding.place + "：" : "") + finding.message;
    if (place && where === "all") {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = text;
      button.addEventListener("click", function () { focusPlace(place); });
      li.appendChild(button);
    } else {
      li.textContent = text;
    }
    return li;
  }

  function showFindings(findings) {
    clearFindings();
    const all = document.getElementById("findings");
    let errors = 0;
    findings.forEach(function (finding, n) {
      if (finding.severity === "error") errors += 1;
      const place = placeOf(finding.target);
      all.appendChild(entry(finding, n, place, "all"));
      if (!place) return;
      const cls = finding.severity === "error" ? "is-error" : "is-warning";
      if (!place.mark.classList.contains("is-error")) place.mark.classList.add(cls);
      const also = finding.also && document.getElementById(finding.also);
      if (also) also.parentElement.classList.add(cls);
      if (finding.severity === "error") place.mark.setAttribute("aria-invalid", "true");
      const title = place.mark.getAttribute("title");
      place.mark.setAttribute("title", (title ? title + "\n" : "") + finding.message);
      if (place.list) {
        const li = entry(finding, n, place, "at");
        place.list.appendChild(li);
        const described = place.mark.getAttribute("aria-describedby");
        place.mark.setAttribute("aria-describedby", (described ? described + " " : "") + li.id);
      }
    });
    const warnings = findings.length - errors;
    const counts = document.getElementById("counts");
    const summary = "错误 " + errors + " · 警告 " + warnings;
    if (counts.textContent !== summary) counts.textContent = summary;  // announced when it changes
    document.body.dataset.errors = String(errors);
  }

  async function check() {
    const seq = ++checkSeq;
    try {
      const data = await post("/api/check", gather());
      if (seq !== checkSeq) return;  // a later check is on its way
      showFindings(data.findings);
      document.body.dataset.checked = String(seq);
    } catch (e) {
      say("检查失败：" + e.message, true);
    }
  }

  // The report's title as it will be printed, in the bar and the tab.
  function showTitle() {
    const field = function (id) { return document.getElementById(id).value.trim(); };
    const title = field("title") || (field("organ") + field("year") + "年政府信息公开工作年度报告");
    document.getElementById("doc-title").textContent = title;
    document.title = title + " · xxgk";
  }

  function changed() {
    showTitle();
    totals();
    setDirty(true);
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, CHECK_DELAY_MS);
  }

  function setDirty(state) {
    dirty = state;
    document.getElementById("dirty").textContent = state ? "（有未保存的修改）" : "";
  }

  // ------------------------------------------------------------ spreadsheet keys in the tables

  function move(from, dr, dc) {
    const grid = from.dataset.grid;
    const r = Number(from.dataset.r), c = Number(from.dataset.c);
    const cells = Array.from(document.querySelectorAll('input[data-grid="' + grid + '"]'));
    let best = null, bestScore = Infinity;
    cells.forEach(function (cell) {
      const cr = Number(cell.dataset.r), cc = Number(cell.dataset.c);
      let score;
      if (dr !== 0) {
        if ((cr - r) * dr <= 0) return;
        score = Math.abs(cr - r) * 100 + Math.abs(cc - c);
      } else {
        if (cr !== r || (cc - c) * dc <= 0) return;
        score = Math.abs(cc - c);
      }
      if (score < bestScore) { best = cell; bestScore = score; }
    });
    if (best) { best.focus(); best.select(); }
    return best !== null;
  }

  form.addEventListener("keydown", function (event) {
    const el = event.target;
    if (!(el instanceof HTMLInputElement) || !el.dataset.grid || event.altKey || event.ctrlKey || event.metaKey) return;
    const whole = el.selectionStart === 0 && el.selectionEnd === el.value.length;
    let moved = false;
    if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) moved = move(el, 1, 0) || event.key === "Enter";
    else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) moved = move(el, -1, 0) || event.key === "Enter";
    else if (event.key === "ArrowRight" && (whole || el.selectionStart === el.value.length)) moved = move(el, 0, 1);
    else if (event.key === "ArrowLeft" && (whole || el.selectionEnd === 0)) moved = move(el, 0, -1);
    if (moved) event.preventDefault();
  });

  form.addEventListener("focusin", function (event) {
    const el = event.target;
    if (!(el instanceof HTMLInputElement) || !el.dataset.grid) return;
    el.select();  // typing replaces the cell, as in a spreadsheet
    el.dataset.justFocused = "1";
  });
  form.addEventListener("mouseup", function (event) {
    const el = event.target;
    // The click that focused a cell would otherwise drop the selection made on focus.
    if (el instanceof HTMLInputElement && el.dataset.justFocused) event.preventDefault();
    if (el instanceof HTMLElement) delete el.dataset.justFocused;
  });
  form.addEventListener("keydown", function (event) {
    if (event.target instanceof HTMLElement) delete event.target.dataset.justFocused;
  }, true);

  // A block copied from a spreadsheet (tabs between cells, a line per row) fills the cells
  // to the right and below, as it would in Excel or WPS.
  form.addEventListener("paste", function (event) {
    const el = event.target;
    if (!(el instanceof HTMLInputElement) || !el.dataset.grid || !event.clipboardData) return;
    const text = event.clipboardData.getData("text/plain").replace(/\r/g, "").replace(/\n+$/, "");
    if (!/[\t\n]/.test(text)) return;
    event.preventDefault();
    const grid = el.dataset.grid, r0 = Number(el.dataset.r), c0 = Number(el.dataset.c);
    text.split("\n").forEach(function (line, i) {
      line.split("\t").forEach(function (cell, j) {
        const target = document.querySelector(
          'input[data-grid="' + grid + '"][data-r="' + (r0 + i) + '"][data-c="' + (c0 + j) + '"]');
        if (target) target.value = cell.trim();
      });
    });
    changed();
  });
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  // ------------------------------------------------------------ subsections

  document.getElementById("add-subsection").addEventListener("click", function () {
    const li = addSubsection("", "");
    li.querySelector(".sub-title").focus();
    changed();
  });

  subList.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    const li = button.closest("li.subsection");
    if (button.classList.contains("remove")) {
      const title = li.querySelector(".sub-title").value || li.querySelector(".marker").textContent;
      if (li.querySelector(".sub-text").value.trim() && !window.confirm("删除分项「" + title + "」及其正文？")) return;
      li.remove();
    } else if (button.classList.contains("up") && li.previousElementSibling) {
      subList.insertBefore(li, li.previousElementSibling);
    } else if (button.classList.contains("down") && li.nextElementSibling) {
      subList.insertBefore(li.nextElementSibling, li);
    } else {
      return;
    }
    renumber();
    button.focus();
    changed();
  });
  subList.addEventListener("input", renumber);

  // ------------------------------------------------------------ save, build, open

  function busy(state) {
    ["save", "build"].forEach(function (id) { document.getElementById(id).disabled = state; });
  }

  // Saving sends the version of the file this page holds; when another tab or program saved
  // since, the server refuses and the clerk is asked before that version is replaced.
  async function postSaving(url) {
    let data = await post(url, gather());
    if (data.conflict) {
      if (!window.confirm(data.message + "\n\n确定用本页内容覆盖吗？")) return data;
      data = await post(url, Object.assign(gather(), { overwrite: true }));
    }
    if (data.version !== undefined && data.saved) version = data.version;
    return data;
  }

  async function save() {
    busy(true);
    say("正在保存…");
    try {
      const data = await postSaving("/api/save");
      if (data.saved) {
        setDirty(false);
        document.getElementById("file-name").textContent = data.file;
        const kept = data.kept ? "（原文件已存入 " + data.kept + "）" : "";
        const elsewhere = data.elsewhere ? "；注意：文件在打开后被其他程序改过，那一版已存入 .history" : "";
        say("已保存：" + data.file + kept + elsewhere, data.elsewhere);
      } else {
        say(data.message, true);
      }
      showFindings(data.findings);
      return Boolean(data.saved);
    } catch (e) {
      say("保存失败：" + e.message, true);
      return false;
    } finally {
      busy(false);
    }
  }

  async function build() {
    busy(true);
    say("正在保存并生成…");
    const downloads = document.getElementById("downloads");
    downloads.textContent = "";
    try {
      const data = await postSaving("/api/build?kinds=" + chosenKinds().join(","));
      if (data.saved) { setDirty(false); document.getElementById("file-name").textContent = data.file; }
      showFindings(data.findings);
      if (!data.built) { say(data.message, true); return; }
      const heading = document.createElement("h3");
      heading.textContent = "已生成（点击下载）";
      downloads.appendChild(heading);
      data.outputs.forEach(function (output) {
        const a = document.createElement("a");
        a.href = output.url;
        a.textContent = output.name;
        a.setAttribute("download", output.name);
        downloads.appendChild(a);
      });
      const moved = (data.history || []).length ? "；原有版本已移至 " + data.history.join("、") : "";
      const notes = (data.notes || []).length ? "；" + data.notes.join("；") : "";
      const note = data.message ? "；" + data.message : "";
      say("已生成（在 " + data.folder + " 文件夹）：" + data.outputs.map(function (o) { return o.name; }).join("、") + moved + notes + note, Boolean(note));
      data.outputs.forEach(function (o) { holdKind(o.name.split(".").pop()); });
    } catch (e) {
      say("生成失败：" + e.message, true);
    } finally {
      busy(false);
    }
  }

  // The kinds 生成 makes: Word and Excel always, 网页 and PDF when ticked, and every kind the
  // output folder already holds for this report (ticked and fixed: out/ keeps one version).
  function chosenKinds() {
    return Array.from(document.querySelectorAll("input[data-kind]"))
      .filter(function (el) { return el.checked; })
      .map(function (el) { return el.dataset.kind; });
  }

  function holdKind(kind) {
    const box = document.querySelector("input[data-kind='" + kind + "']");
    if (!box) return;
    box.checked = true;
    box.disabled = true;
    box.parentElement.title = "输出文件夹中已有这种文件：每次生成都一并重新生成，各文件始终一致";
  }

  function showKinds(kinds) {
    if (!kinds) return;
    const pdf = document.getElementById("kind-pdf");
    if (!kinds.pdf) {
      pdf.disabled = true;
      pdf.parentElement.title = "本机没有 LibreOffice，不能生成 PDF";
    }
    (kinds.held || []).forEach(holdKind);
  }

  async function upload(input, url) {
    const file = input.files[0];
    input.value = "";
    if (!file) return null;
    say("正在读取 " + file.name + "…");
    try {
      return await post(url, await file.arrayBuffer(), { "X-Xxgk-Filename": encodeURIComponent(file.name) });
    } catch (e) {
      say("读取失败：" + e.message, true);
      return null;
    }
  }

  // Real buttons (reachable by Tab) open the hidden file pickers.
  document.querySelectorAll("button[data-picks]").forEach(function (button) {
    button.addEventListener("click", function () { document.getElementById(button.dataset.picks).click(); });
  });
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("build").addEventListener("click", build);
  document.getElementById("open-file").addEventListener("change", async function (event) {
    if (dirty && !window.confirm("有未保存的修改，仍要打开另一份报告？")) { event.target.value = ""; return; }
    const data = await upload(event.target, "/api/open");
    if (!data) return;
    if (!data.form) { showFindings(data.findings); say(data.message, true); return; }
    fill(data.form);
    showTitle();
    if (data.created) {
      version = data.version;  // the master just written is the version this page holds
      document.getElementById("file-name").textContent = data.file;
      setDirty(false);
      say(data.message);
    } else if (data.message) {
      setDirty(true);
      say(data.message, true);
    } else {
      setDirty(true);
      say("已导入 " + data.source + "；核对后点「保存」写入 " + document.getElementById("file-name").textContent);
    }
    check();
  });
  document.getElementById("previous-file").addEventListener("change", async function (event) {
    const data = await upload(event.target, "/api/previous");
    if (!data) return;
    if (!data.previous) { showFindings(data.findings); say(data.message, true); return; }
    document.getElementById("previous-name").textContent = "上年：" + data.previous;
    say("已选上年报告 " + data.previous + "，核对上年结转");
    check();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  // ------------------------------------------------------------ start

  const initial = JSON.parse(document.getElementById("initial").textContent);
  version = initial.version;
  fill(initial.form);
  showTitle();
  document.getElementById("file-name").textContent = initial.file;
  if (initial.previous) document.getElementById("previous-name").textContent = "上年：" + initial.previous;
  showKinds(initial.kinds);
  if (initial.notice) say(initial.notice, initial.notice_bad);
  check();
})();
