//! A real headless browser for the web tests: Debian's Chromium driven by ChromeDriver through
//! the W3C WebDriver protocol (JSON over HTTP, spoken here with ureq).
//!
//! `Browser::start()` returns `None` when `chromium` or `chromedriver` is missing, and the test
//! says it was skipped; with `RECETTE_BROWSER_TESTS=require` (set by `.ci/run`, which installs
//! both packages) a missing browser fails the test instead.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The W3C key for an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

/// An element of the current page.
#[derive(Clone, Debug)]
pub struct Element(String);

fn find_program(names: &[&str]) -> Option<PathBuf> {
    for name in names {
        for dir in ["/usr/bin", "/usr/local/bin", "/snap/bin"] {
            let p = Path::new(dir).join(name);
            if p.exists() {
                return Some(p);
            }
        }
    }
    None
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium session, or `None` (skipped) when they are
    /// not installed and not required.
    pub fn start() -> Option<Browser> {
        let required = std::env::var("RECETTE_BROWSER_TESTS").as_deref() == Ok("require");
        let (Some(chromium), Some(chromedriver)) = (
            find_program(&["chromium", "chromium-browser", "google-chrome"]),
            find_program(&["chromedriver"]),
        ) else {
            assert!(
                !required,
                "RECETTE_BROWSER_TESTS=require but chromium/chromedriver are not installed \
                 (apt-get install chromium chromium-driver)"
            );
            eprintln!("browser test skipped: chromium or chromedriver not installed");
            return None;
        };
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let deadline = Instant::now() + Duration::from_secs(20);
        while agent.get(format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--lang=fr-FR",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            _profile: profile,
        };
        let v = b.call("POST", "/session", caps);
        b.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}"))
            .to_string();
        Some(b)
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{}", self.base, path);
        let resp = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(&body),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let status = resp.status().as_u16();
        let v: Value = resp
            .body_mut()
            .read_json()
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: not JSON: {e}"));
        assert!(
            status < 400,
            "WebDriver {method} {path} -> {status}: {}",
            v["value"]["message"]
        );
        v
    }

    fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{}", self.session, path);
        self.call(method, &path, body)["value"].clone()
    }

    /// Opens a URL and waits for the page to load.
    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", json!({ "url": url }));
    }

    pub fn url(&self) -> String {
        self.session_call("GET", "/url", Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn title(&self) -> String {
        self.session_call("GET", "/title", Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's HTML as the browser has it now.
    pub fn source(&self) -> String {
        self.session_call("GET", "/source", Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The visible text of the whole page. Read by a script rather than through an element
    /// handle: a page that is still loading (after a form post) replaces its body, and a
    /// handle taken a moment before would be stale.
    pub fn text(&self) -> String {
        let url = format!("{}/session/{}/execute/sync", self.base, self.session);
        let body = json!({
            "script": "return document.body ? document.body.innerText : '';",
            "args": []
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let answer = self
                .agent
                .post(&url)
                .send_json(&body)
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok());
            if let Some(text) = answer.as_ref().and_then(|v| v["value"].as_str()) {
                return text.to_string();
            }
            assert!(
                Instant::now() < deadline,
                "the page text could not be read: {answer:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first element matching a CSS selector, waiting up to 10 s for it to appear.
    pub fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(e) = self.try_find(css) {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "no element {css} on {}:\n{}",
                self.url(),
                self.source()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first element matching a CSS selector, if there is one now.
    pub fn try_find(&self, css: &str) -> Option<Element> {
        let url = format!("{}/session/{}/element", self.base, self.session);
        let body = json!({"using": "css selector", "value": css});
        let mut resp = self.agent.post(&url).send_json(&body).ok()?;
        let v: Value = resp.body_mut().read_json().ok()?;
        v["value"][ELEMENT]
            .as_str()
            .map(|id| Element(id.to_string()))
    }

    /// Every element matching a CSS selector now.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self.session_call(
            "POST",
            "/elements",
            json!({"using": "css selector", "value": css}),
        );
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT].as_str().map(|id| Element(id.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn click(&self, e: &Element) {
        self.session_call("POST", &format!("/element/{}/click", e.0), json!({}));
    }

    /// Clicks the first element matching a CSS selector.
    pub fn click_css(&self, css: &str) {
        let e = self.find(css);
        self.click(&e);
    }

    /// Types text into a field (after what it holds).
    pub fn type_into(&self, e: &Element, text: &str) {
        self.session_call(
            "POST",
            &format!("/element/{}/value", e.0),
            json!({ "text": text }),
        );
    }

    /// Empties a field then types text into it.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.session_call("POST", &format!("/element/{}/clear", e.0), json!({}));
        self.type_into(&e, text);
    }

    pub fn text_of(&self, e: &Element) -> String {
        self.session_call("GET", &format!("/element/{}/text", e.0), Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A property of an element (`value`, `checked`...).
    pub fn property(&self, e: &Element, name: &str) -> Value {
        self.session_call(
            "GET",
            &format!("/element/{}/property/{name}", e.0),
            Value::Null,
        )
    }

    /// Sends keys to the page (WebDriver key codes, e.g. "\u{E007}" for Enter).
    pub fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.session_call(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
        self.session_call("DELETE", "/actions", Value::Null);
    }

    /// Runs a script in the page and returns its value.
    pub fn script(&self, js: &str, args: Value) -> Value {
        self.session_call("POST", "/execute/sync", json!({"script": js, "args": args}))
    }

    /// Waits until the page's text contains `needle`.
    pub fn wait_for_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text();
            if text.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "« {needle} » never appeared on {}:\n{text}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Resizes the window (CSS pixels).
    pub fn resize(&self, width: u32, height: u32) {
        self.session_call(
            "POST",
            "/window/rect",
            json!({"width": width, "height": height}),
        );
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let b64 = self.session_call("GET", "/screenshot", Value::Null);
        decode_base64(b64.as_str().unwrap_or_default())
    }

    /// Saves a screenshot to `path` (for the README when `RECETTE_SCREENSHOTS` names a folder).
    pub fn save_screenshot(&self, name: &str) {
        if let Ok(dir) = std::env::var("RECETTE_SCREENSHOTS") {
            let png = self.screenshot();
            assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");
            std::fs::create_dir_all(&dir).expect("screenshot folder");
            std::fs::write(Path::new(&dir).join(name), png).expect("write screenshot");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let url = format!("{}/session/{}", self.base, self.session);
            let _ = self.agent.delete(&url).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
