"""A companion notebook as a reader meets it: JupyterLab served headless on a loopback port, the notebook opened in
headless Chromium (Debian's `chromium` + `chromium-driver`), and the rendered page checked for the figures and tables
the committed notebook holds. A screenshot is kept under `$PAPERLIB_TEST_ARTIFACTS` (default `tests/artifacts/`, ignored).

Skips where Chromium or its driver is missing, except where `PAPERLIB_REQUIRE_BROWSER=1` (`.ci/run` installs both and
sets it), so CI cannot skip it."""
import json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "nbs/companions/er.ipynb"
CHROMIUM, DRIVER = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _need_browser():
    missing = [p for p in (CHROMIUM, DRIVER) if not Path(p).exists()]
    try: import selenium  # noqa: F401
    except ImportError: missing.append("selenium (pip)")
    if missing:
        msg = f"browser test needs {', '.join(missing)} (Debian: apt-get install chromium chromium-driver)"
        if os.environ.get("PAPERLIB_REQUIRE_BROWSER") == "1": pytest.fail(msg)
        pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s: s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


def _committed_outputs(path: Path) -> dict:
    "The committed notebook's title and how many PNG figures and HTML tables its outputs hold."
    cells = json.loads(path.read_text())["cells"]
    outs = [o.get("data", {}) for c in cells for o in c.get("outputs", [])]
    return {"title": "".join(cells[0]["source"]).split("\n")[0].lstrip("# "), "figures": sum("image/png" in d for d in outs), "tables": sum("".join(d.get("text/html", [])).count("<table") for d in outs)}


@pytest.fixture(scope="module")
def lab():
    "A JupyterLab server on a free loopback port, the repository as its root, fresh settings that render every cell."
    _need_browser()
    tmp = Path(tempfile.mkdtemp(prefix="paperlib-lab-"))
    settings = tmp/"settings"/"@jupyterlab"/"notebook-extension"; settings.mkdir(parents=True)
    (settings/"tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))   # every cell in the DOM
    news = tmp/"settings"/"@jupyterlab"/"apputils-extension"; news.mkdir(parents=True)
    (news/"notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))    # no news prompt over the page
    port, token = _free_port(), "paperlib-browser-test"
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp/"settings"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp/"workspaces"),
           "JUPYTER_RUNTIME_DIR": str(tmp/"runtime"), "JUPYTER_CONFIG_DIR": str(tmp/"config")}
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
                             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO}", "--LabApp.news_url=",
                             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(tmp/"lab.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2); break
            except OSError:
                if proc.poll() is not None: pytest.fail(f"JupyterLab exited: {(tmp/'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else: pytest.fail(f"JupyterLab did not answer on {base} in 60 s")
        yield base, token
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def test_companion_renders_its_figures_and_tables(lab):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    base, token = lab
    want = _committed_outputs(REPO/NOTEBOOK)
    assert want["figures"] >= 5 and want["tables"] >= 5, f"{NOTEBOOK} is committed without its outputs: {want}"
    o = webdriver.ChromeOptions(); o.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1800",
              f"--user-data-dir={tempfile.mkdtemp(prefix='paperlib-chromium-')}"):
        o.add_argument(a)
    driver = webdriver.Chrome(service=Service(DRIVER), options=o)
    try:
        driver.get(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
        count = lambda css: len(driver.find_elements(By.CSS_SELECTOR, css))
        figures = ".jp-Notebook .jp-OutputArea-output img"
        tables = ".jp-Notebook .jp-OutputArea-output table"
        try: WebDriverWait(driver, 90, 0.5).until(lambda d: count(figures) >= want["figures"] and count(tables) >= want["tables"])
        except Exception: pass
        seen = {"figures": count(figures), "tables": count(tables)}
        loaded = driver.execute_script(f"return Array.from(document.querySelectorAll('{figures}')).filter(i => i.complete && i.naturalWidth > 0).length")
        text = driver.find_element(By.CSS_SELECTOR, ".jp-Notebook").text
        out = Path(os.environ.get("PAPERLIB_TEST_ARTIFACTS") or REPO/"tests"/"artifacts"); out.mkdir(parents=True, exist_ok=True)
        first = driver.find_elements(By.CSS_SELECTOR, figures)
        if first: driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", first[0])
        driver.save_screenshot(str(out/"companion_er.png"))
        print(f"\nbrowser: {NOTEBOOK} rendered {seen['figures']} figures ({loaded} decoded) and {seen['tables']} tables "
              f"(committed: {want['figures']} and {want['tables']}); screenshot {out/'companion_er.png'}")
        assert seen["figures"] >= want["figures"] and loaded >= want["figures"], (seen, loaded, want)
        assert seen["tables"] >= want["tables"], (seen, want)
        assert text.split("\n")[0] == want["title"] and "Traceback" not in text, text[:300]
    finally:
        driver.quit()
