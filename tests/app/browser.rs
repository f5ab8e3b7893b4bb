//! A real browser for the journeys: Debian's Chromium, headless, driven through chromedriver
//! (W3C WebDriver, with `fantoccini`). Every `Browser` is a fresh Chromium with its own profile
//! and download folder, and checks each page it is asked to with axe-core (`BLOEI_AXE_JS`, from
//! `.ci/install-axe.sh`). Without chromedriver or axe the journeys skip with a loud message
//! locally and fail when `BLOEI_REQUIRE_SERVICES=1` (CI).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{REQUIRE_SERVICES, TestApp};

/// A phone held upright (the journeys' mobile size).
pub const PHONE: (u32, u32) = (390, 844);
/// A laptop screen.
pub const DESKTOP: (u32, u32) = (1280, 900);

/// How a browser is set up.
#[derive(Clone, Copy)]
pub struct Setup {
    /// Window (viewport) width and height in CSS pixels.
    pub size: (u32, u32),
    /// The browser's language (`Accept-Language`).
    pub lang: &'static str,
    /// Whether pages may run JavaScript.
    pub javascript: bool,
}

impl Setup {
    /// A browser of `size` in `lang`, with JavaScript.
    pub fn new(size: (u32, u32), lang: &'static str) -> Setup {
        Setup {
            size,
            lang,
            javascript: true,
        }
    }
}

/// Where the tools are, or why the journey cannot run.
fn tools() -> Result<(PathBuf, PathBuf, String), String> {
    let driver = std::env::var("BLOEI_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let driver = which(&driver).ok_or(format!(
        "no chromedriver ({driver}); install Debian's chromium and chromium-driver"
    ))?;
    let chromium = std::env::var("BLOEI_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let chromium = which(&chromium).ok_or(format!("no Chromium ({chromium})"))?;
    let axe = std::env::var("BLOEI_AXE_JS")
        .ok()
        .filter(|p| Path::new(p).is_file())
        .ok_or("BLOEI_AXE_JS must name axe.min.js (run .ci/install-axe.sh)")?;
    let axe = std::fs::read_to_string(axe).map_err(|e| format!("BLOEI_AXE_JS: {e}"))?;
    Ok((driver, chromium, axe))
}

fn which(program: &str) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.is_absolute() {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(program))
        .find(|candidate| candidate.is_file())
}

/// A ChromeDevTools command sent through chromedriver (emulating print media, allowing
/// downloads): WebDriver has no word for these.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// One headless Chromium on one `TestApp`.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    base: String,
    axe: String,
    /// Where downloads land.
    pub downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
    /// Names the screenshots this journey keeps.
    journey: String,
    /// Pages already checked with axe (a journey passes some pages twice).
    checked: std::collections::BTreeSet<String>,
    /// A phone's width: pages must fit it.
    phone: Option<u32>,
}

impl Browser {
    /// Starts Chromium for the journey `journey` against `app`; `None` when the tools are
    /// missing outside CI (after saying so loudly).
    pub fn open(app: &TestApp, journey: &str, setup: Setup) -> Option<Browser> {
        let (driver_path, chromium, axe) = match tools() {
            Ok(tools) => tools,
            Err(why) => {
                if std::env::var(REQUIRE_SERVICES).is_ok_and(|v| v == "1") {
                    panic!("{journey}: {why}");
                }
                eprintln!("\n*** SKIPPED {journey}: {why} ***\n");
                return None;
            }
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let downloads = tempfile::tempdir().expect("download dir");
        let profile = tempfile::tempdir().expect("profile dir");
        let prefs = json!({
            "intl.accept_languages": setup.lang,
            "download.default_directory": downloads.path(),
            "download.prompt_for_download": false,
        });
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--lang={}", setup.lang),
            format!("--window-size={},{}", setup.size.0, setup.size.1),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut args = args.to_vec();
        if !setup.javascript {
            args.push("--blink-settings=scriptEnabled=false".to_owned());
        }
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        let mut options = json!({ "binary": chromium, "args": args, "prefs": prefs });
        if setup.size.0 < 500 {
            // A desktop window is at least 500 px wide: a phone is emulated (its width and pixel
            // ratio; clicks stay mouse clicks, which WebDriver aims reliably).
            options["mobileEmulation"] = json!({
                "deviceMetrics": {
                    "width": setup.size.0, "height": setup.size.1, "pixelRatio": 2.0, "touch": false
                }
            });
        }
        capabilities.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let client = runtime.block_on(async {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let mut builder =
                    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
                builder.capabilities(capabilities.clone());
                match builder.connect(&url).await {
                    Ok(client) => break client,
                    Err(e) if Instant::now() > deadline => panic!("chromedriver: {e}"),
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        });
        let browser = Browser {
            runtime,
            client: Some(client),
            driver,
            base: app.base.clone(),
            axe,
            downloads,
            _profile: profile,
            journey: journey.to_owned(),
            checked: Default::default(),
            phone: (setup.size.0 < 500).then_some(setup.size.0),
        };
        browser.cdp(
            "Page.setDownloadBehavior",
            json!({ "behavior": "allow", "downloadPath": browser.downloads.path() }),
        );

        Some(browser)
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("open browser")
    }

    fn run<T>(
        &self,
        what: &str,
        future: impl Future<Output = Result<T, fantoccini::error::CmdError>>,
    ) -> T {
        match self.runtime.block_on(future) {
            Ok(value) => value,
            Err(e) => self.fail(&format!("{what}: {e}")),
        }
    }

    /// Fails the journey, keeping a screenshot of where it stood.
    fn fail(&self, why: &str) -> ! {
        let shot = self
            .runtime
            .block_on(self.client().screenshot())
            .ok()
            .map(|png| {
                let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/journeys");
                let file = dir.join(format!("{}-failure.png", self.journey));
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(&file, png);
                file.display().to_string()
            })
            .unwrap_or_default();
        panic!(
            "{}: {why}\non {} (screenshot: {shot})",
            self.journey,
            self.path()
        );
    }

    fn cdp(&self, cmd: &'static str, params: Value) {
        self.run(cmd, self.client().issue_cmd(Cdp { cmd, params }));
    }

    /// Opens a path of the shop, as typed into the address bar.
    pub fn visit(&self, path: &str) {
        self.visit_url(&format!("{}{path}", self.base));
    }

    /// Opens any URL.
    pub fn visit_url(&self, url: &str) {
        self.run("goto", self.client().goto(url));
    }

    /// The page's title.
    pub fn title(&self) -> String {
        self.run("title", self.client().title())
    }

    /// The path (and query) of the page shown.
    pub fn path(&self) -> String {
        match self.runtime.block_on(self.client().current_url()) {
            Ok(url) => match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_owned(),
            },
            Err(e) => format!("(unknown: {e})"),
        }
    }

    /// Runs a script in the page and returns its value.
    pub fn script(&self, source: &str) -> Value {
        self.run("script", self.client().execute(source, vec![]))
    }

    /// The text of the first element matching `css`.
    pub fn text(&self, css: &str) -> String {
        let element = self.run(css, self.client().find(Locator::Css(css)));
        self.run(css, element.text())
    }

    /// The texts of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let elements = self.run(css, self.client().find_all(Locator::Css(css)));
        elements.iter().map(|e| self.run(css, e.text())).collect()
    }

    /// Whether an element matching `css` is on the page.
    pub fn has(&self, css: &str) -> bool {
        !self
            .run(css, self.client().find_all(Locator::Css(css)))
            .is_empty()
    }

    /// Clicks (taps) the first element matching `css`: a radio button, a checkbox, anything
    /// that does not leave the page.
    pub fn click(&self, css: &str) {
        let element = self.run(css, self.client().find(Locator::Css(css)));
        self.run(css, element.click());
    }

    /// Clicks the button or link matching `css` and waits for the page it leads to.
    pub fn follow(&self, css: &str) {
        let element = self.run(css, self.client().find(Locator::Css(css)));
        self.run(css, element.click());
        self.wait_gone(css, &element);
    }

    /// Clicks the button or link whose visible text is `text` and waits for the page it
    /// leads to.
    pub fn click_text(&self, text: &str) {
        let xpath = format!(
            "//*[self::button or self::a][normalize-space(.)={}]",
            xpath_literal(text)
        );
        let element = self.run(text, self.client().find(Locator::XPath(&xpath)));
        self.run(text, element.click());
        self.wait_gone(text, &element);
    }

    /// Presses Enter (or Space, `key`) on the focused button or link and waits for the page
    /// it leads to.
    pub fn activate(&self, key: &str) {
        let focused = self.run("focus", self.client().active_element());
        self.press(key);
        self.wait_gone("the focused element", &focused);
    }

    /// Waits (at most 10 s) until `element`'s page has been replaced: a click returns before
    /// the form it submits has been answered.
    fn wait_gone(&self, what: &str, element: &fantoccini::elements::Element) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.runtime.block_on(element.is_enabled()).is_ok() {
            if Instant::now() > deadline {
                self.fail(&format!("{what} led nowhere"));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let ready = "return document.readyState === 'complete'";
        while Instant::now() < deadline {
            match self.runtime.block_on(self.client().execute(ready, vec![])) {
                Ok(Value::Bool(false)) => std::thread::sleep(Duration::from_millis(25)),
                // Loaded, or a page without scripts (where WebDriver already waited).
                _ => break,
            }
        }
    }

    /// Types into the field whose label reads `label` (as a person finds it), replacing what
    /// it held. Found through the label's `for`, or the control inside it: a label that points
    /// nowhere fails the journey, as it fails a screen-reader user.
    pub fn fill(&self, label: &str, value: &str) {
        let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(label));
        let found = self.run(label, self.client().find_all(Locator::XPath(&xpath)));
        let Some(found) = found.first() else {
            panic!("{}: no label {label:?} on {}", self.journey, self.path());
        };
        let control = match self.run(label, found.attr("for")) {
            Some(id) => self.run(label, self.client().find(Locator::Id(&id))),
            None => self.run(label, found.find(Locator::Css("input, select, textarea"))),
        };
        self.run(label, control.clear());
        self.run(label, control.send_keys(value));
    }

    /// Chooses `file` in the file field whose label reads `label` (what a person does in the
    /// file dialog).
    pub fn attach(&self, label: &str, file: &std::path::Path) {
        let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(label));
        let found = self.run(label, self.client().find(Locator::XPath(&xpath)));
        let id = self
            .run(label, found.attr("for"))
            .unwrap_or_else(|| panic!("{}: label {label:?} points nowhere", self.journey));
        let control = self.run(label, self.client().find(Locator::Id(&id)));
        self.run(label, control.send_keys(&file.display().to_string()));
    }

    /// The non-empty values of the options of the select matching `css`, in order.
    pub fn option_values(&self, css: &str) -> Vec<String> {
        let options = self.run(
            css,
            self.client()
                .find_all(Locator::Css(&format!("{css} option"))),
        );
        options
            .iter()
            .filter_map(|o| self.run(css, o.attr("value")))
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Chooses the option with `value` in the select matching `css`.
    pub fn choose(&self, css: &str, value: &str) {
        let element = self.run(css, self.client().find(Locator::Css(css)));
        self.run(css, element.select_by_value(value));
    }

    /// Presses keys on whatever has the focus, as a keyboard does (`\u{E004}` is Tab,
    /// `\u{E007}` Enter, `' '` Space; see `fantoccini::key::Key`).
    pub fn press(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.run("keys", self.client().perform_actions(actions));
    }

    /// What a screen reader announces for the focused element: its label, or its own text.
    pub fn focused_name(&self) -> String {
        self.script(
            "const e = document.activeElement;
             if (!e || e === document.body) return '';
             if (e.labels && e.labels.length) return e.labels[0].textContent.replace(/\\s+/g, ' ').trim();
             return (e.getAttribute('aria-label') || e.textContent || e.value || '').replace(/\\s+/g, ' ').trim();",
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Presses Tab until the focused element's name satisfies `wanted` (at most 150 presses):
    /// how a keyboard user reaches a control.
    pub fn tab_to(&self, what: &str, wanted: impl Fn(&str) -> bool) {
        let mut seen = Vec::new();
        for _ in 0..150 {
            self.press("\u{E004}");
            let name = self.focused_name();
            if wanted(&name) {
                return;
            }
            seen.push(name);
        }
        panic!(
            "{}: Tab never reached {what} on {}; focus went through {seen:?}",
            self.journey,
            self.path()
        );
    }

    /// Runs axe-core on the page and fails on any violation, naming rule, elements and help.
    /// On a phone, the page must also fit the screen's width (WCAG 1.4.10, reflow).
    pub fn assert_accessible(&mut self) {
        let page = self.path();
        if !self.checked.insert(page.clone()) {
            return;
        }
        if let Some(width) = self.phone {
            // Against the phone's width, not `innerWidth`: a page that sticks out widens the
            // layout viewport itself.
            // What scrolls inside its own box (a wide table in its scroll region) is fine.
            let wide = self.script(&format!(
                "const scrolls = e => {{
                   for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
                     if (getComputedStyle(p).overflowX !== 'visible') return true;
                   return false; }};
                 return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > {width} + 1 && !scrolls(e))
                   .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className);"
            ));
            if wide.as_array().is_some_and(|w| !w.is_empty()) {
                self.fail(&format!("sticks out sideways on a phone: {wide}"));
            }
        }
        self.script(&format!("{}\nreturn true;", self.axe));
        let run = "const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({
                  rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                  nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.failureSummary) }))))
              .catch(e => done([{ rule: 'axe failed', help: String(e), url: '', nodes: [] }]));";
        let violations = self.run("axe", self.client().execute_async(run, vec![]));
        let violations = violations.as_array().cloned().unwrap_or_default();
        if !violations.is_empty() {
            let report: Vec<String> = violations
                .iter()
                .map(|v| {
                    format!(
                        "- {} ({}): {}\n  {}\n  {}",
                        v["rule"].as_str().unwrap_or_default(),
                        v["impact"].as_str().unwrap_or("?"),
                        v["help"].as_str().unwrap_or_default(),
                        v["url"].as_str().unwrap_or_default(),
                        v["nodes"]
                            .as_array()
                            .map(|n| n
                                .iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join("\n  "))
                            .unwrap_or_default()
                    )
                })
                .collect();
            panic!(
                "{}: axe found {} violation(s) on {page}:\n{}",
                self.journey,
                violations.len(),
                report.join("\n")
            );
        }
    }

    /// Shows the page as printed (CSS `@media print`).
    pub fn emulate_print(&self) {
        self.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    }

    /// Keeps a screenshot of the page under `target/journeys/` and returns its path.
    pub fn keep_screenshot(&self, name: &str) -> PathBuf {
        let png = self.run("screenshot", self.client().screenshot());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/journeys");
        std::fs::create_dir_all(&dir).expect("target/journeys");
        let file = dir.join(format!("{}-{name}.png", self.journey));
        std::fs::write(&file, png).expect("screenshot written");
        file
    }

    /// Waits (at most 10 s) for a finished download and returns its path.
    pub fn downloaded(&self) -> PathBuf {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let done: Vec<PathBuf> = std::fs::read_dir(self.downloads.path())
                .expect("download dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x != "crdownload" && x != "tmp")
                })
                .collect();
            if let Some(file) = done.into_iter().next() {
                return file;
            }
            assert!(
                Instant::now() < deadline,
                "{}: no download arrived",
                self.journey
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A string as an XPath literal (XPath 1 has no escapes: quote with the other kind of quote).
fn xpath_literal(text: &str) -> String {
    if text.contains('\'') {
        format!("\"{text}\"")
    } else {
        format!("'{text}'")
    }
}
