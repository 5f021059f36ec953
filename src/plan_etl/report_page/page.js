(() => {
  const q = document.getElementById("filter");
  const g = document.getElementById("goal-filter");
  const out = document.getElementById("shown");
  const rows = Array.from(document.querySelectorAll("#heatmap tr[data-item-id]"));
  const apply = () => {
    const text = q.value.trim().toLowerCase();
    let n = 0;
    for (const r of rows) {
      const ok = (!g.value || r.dataset.goal === g.value) && (!text || r.dataset.search.includes(text));
      r.hidden = !ok;
      if (ok) n++;
    }
    for (const tb of document.querySelectorAll("#heatmap tbody")) {
      tb.hidden = !tb.querySelector("tr[data-item-id]:not([hidden])");
    }
    out.textContent = n + " / " + rows.length + " 件";
  };
  q.addEventListener("input", apply);
  g.addEventListener("change", apply);
  document.getElementById("filter-box").hidden = false;
  apply();
})();
