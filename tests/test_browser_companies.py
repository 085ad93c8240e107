"""The companies page in a real browser, offline: the layer draws, and hostile company names stay text."""

from __future__ import annotations

import pytest

from tests.browser_support import IDLE, chromium_page, screenshot, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Names that would run script if the layer put them into the page or its template literals as they are.
HOSTILE = (
    "Nama Perusahaan,Kode Desa,TK Dipekerjakan,Upah\n"
    "\"${window.parent.__pwned = 1} `CV` Satu\",32.05.01.1001,12,2000000\n"
    "\"</script><script>window.parent.__pwned = 2</script>\",32.05.05.2004,30,2000000\n"
    "\"<img src=x onerror=\"\"window.parent.__pwned = 3\"\"> PT Tiga\",32.05.10.2001,15,2000000\n"
)

#: Every company marker's popup and tooltip, parsed as Leaflet parses them when they open; what they show.
OPEN_ALL = """() => {
  const f = [...document.querySelectorAll('iframe')].find(f => f.title.includes('st_folium'));
  const w = f.contentWindow, shown = [];
  for (const key in w) {
    const m = w[key];
    if (!(m instanceof w.L.Marker)) continue;
    for (const part of [m.getPopup(), m.getTooltip()]) {
      if (!part) continue;
      const content = part.getContent();
      if (content instanceof w.Node) { shown.push(content.textContent); continue; }   // folium's popup element
      const div = w.document.createElement('div');
      div.innerHTML = content;
      w.document.body.appendChild(div);
      shown.push(div.textContent);
    }
  }
  return shown;
}"""


#: Company markers of the map in the frame (counted in the page's script objects, clustered or not).
COUNT = """() => {
  const f = [...document.querySelectorAll('iframe')].find(f => f.title.includes('st_folium'));
  if (!f || !f.contentWindow) return -1;
  const w = f.contentWindow, found = new Set();
  if (!w.L) return -1;
  for (const key in w) { const m = w[key]; if (m instanceof w.L.Marker) found.add(m); }
  return found.size;
}"""


def _markers(page, at_least: int) -> None:
    page.wait_for_function(
        "n => { const f = [...document.querySelectorAll('iframe')].find(f => f.title.includes('st_folium'));"
        " return !!f && !!f.contentDocument && f.contentDocument.querySelectorAll("
        "'.peta-company-icon, .marker-cluster').length >= n; }", arg=at_least, timeout=90_000)


def test_the_layer_draws_offline_and_hostile_names_stay_text(tmp_path):
    (tmp_path / "jahat.csv").write_text(HOSTILE, encoding="utf-8")
    dialogs: list[str] = []
    with streamlit_server(env={"PETA_APP_DB": str(tmp_path / "app.db")}, timeout=120) as url, \
            chromium_page(1400, 1000) as (page, log):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/perusahaan")
        _markers(page, 10)
        page.wait_for_function(IDLE, timeout=60_000)
        page.get_by_text("ILUSTRATIF — daftar perusahaan karangan").first.wait_for()
        legend = page.frame_locator("iframe[title*=st_folium]").locator(".peta-sites-legend")
        assert "PWBD (wajib belum daftar)" in legend.inner_text()
        screenshot(page, "companies_illustrative")

        page.get_by_text("Unggah daftar perusahaan sendiri").click()
        page.locator("input[type=file]").first.set_input_files(str(tmp_path / "jahat.csv"))
        page.get_by_role("button", name="Gunakan berkas ini").click()
        page.get_by_text("Yang dipakai: berkas").wait_for(timeout=60_000)
        page.wait_for_function(f"() => ({IDLE})() && !document.body.innerText.includes('ILUSTRATIF — daftar')",
                               timeout=60_000)
        page.wait_for_function(f"() => ({COUNT})() === 3", timeout=60_000)    # the new frame: three companies
        shown = page.evaluate(OPEN_ALL)
        text = " ".join(shown)
        assert "${window.parent.__pwned = 1} `CV` Satu" in text
        assert "</script><script>window.parent.__pwned = 2</script>" in text
        assert '<img src=x onerror="window.parent.__pwned = 3"> PT Tiga' in text
        assert page.evaluate("() => window.__pwned") is None
        screenshot(page, "companies_hostile_upload")
    assert dialogs == []
    assert log.blocked == [] and log.page_errors == []
