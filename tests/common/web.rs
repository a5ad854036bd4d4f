//! Helpers for the team server's tests: a demo store with one account per role, the real
//! binary serving it on a free port, and an HTTP client that keeps its session cookie and CSRF
//! token like a browser.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use tempfile::TempDir;

/// Password of every test account.
pub const PASSWORD: &str = "mot-de-passe-1";

/// The accounts of the demo store: name, role, full name (the demo's assignees), vendor.
pub const ACCOUNTS: &[(&str, &str, &str, &str)] = &[
    ("admin", "admin", "Admin", ""),
    ("lead", "lead", "Pilote", ""),
    ("marie", "tester", "Marie Wamytan", ""),
    ("sylvie", "tester", "Sylvie Nouvel", ""),
    ("vendor", "vendor", "Pacific", "Pacific Logiciels SARL"),
    ("other-vendor", "vendor", "Autre", "Autre Éditeur SA"),
    ("viewer", "viewer", "COPIL", ""),
];

/// The binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_recette"))
}

/// Runs the binary on a store; panics unless it succeeds; returns stdout.
pub fn recette(db: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut c = Command::new(bin());
    c.env("RECETTE_DB", db)
        .env("RECETTE_USER", "admin-cli")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RECETTE_NOW")
        .env_remove("RECETTE_LANG")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn recette");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("run recette");
    assert!(
        out.status.success(),
        "recette {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temp folder with the demo store and the accounts of [`ACCOUNTS`].
pub struct Site {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Site {
    /// The demo project with one account per role.
    pub fn demo() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("demo");
        recette(
            &dir.path().join("unused.db"),
            &["demo", "--out", out.to_str().expect("utf-8"), "--json"],
            None,
        );
        let db = out.join("recette.db");
        for (name, role, full, vendor) in ACCOUNTS {
            let mut args = vec![
                "user",
                "add",
                name,
                "--role",
                role,
                "--full-name",
                full,
                "--password-stdin",
            ];
            if !vendor.is_empty() {
                args.extend(["--vendor", vendor]);
            }
            recette(&db, &args, Some(&format!("{PASSWORD}\n")));
        }
        // A campaign to run in the browser, on the vendor's second delivery, spread between
        // the two testers' accounts.
        recette(
            &db,
            &[
                "campaign",
                "create",
                "WEB-1",
                "--title",
                "Recette <script>alert(1)</script>",
                "--delivery",
                "LIV-1.1",
            ],
            None,
        );
        recette(&db, &["campaign", "add", "WEB-1", "--all"], None);
        recette(
            &db,
            &[
                "campaign",
                "assign",
                "WEB-1",
                "--all",
                "--spread",
                "marie,sylvie",
            ],
            None,
        );
        Site { dir, db }
    }

    /// Serves the store with extra `serve` options.
    pub fn serve(&self, extra: &[&str]) -> Server {
        Server::start(&self.db, extra)
    }
}

/// The binary serving a store on a free loopback port.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts `recette serve --addr 127.0.0.1:0` and waits for its address.
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        Server::start_at(db, extra, None)
    }

    /// [`Server::start`] with the store's clock fixed at `now` (`RECETTE_NOW`), or the real one.
    pub fn start_at(db: &Path, extra: &[&str], now: Option<&str>) -> Server {
        let mut cmd = Command::new(bin());
        cmd.env("RECETTE_DB", db)
            .env_remove("RECETTE_NOW")
            .env_remove("RECETTE_LANG");
        if let Some(now) = now {
            cmd.env("RECETTE_NOW", now);
        }
        let mut child = cmd
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            // The server's warnings and any panic show in the test's output.
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn recette serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read address");
        let base = line
            .trim()
            .strip_prefix("recette serve: ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, base }
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A client without session.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client logged in as `name`.
    pub fn login(&self, name: &str) -> Client {
        let mut c = self.client();
        let r = c.login(name, PASSWORD);
        assert_eq!(r.status, 303, "login {name}: {}", r.body);
        c
    }

    /// An API token for `name` (`POST /api/v1/login`).
    pub fn token(&self, name: &str) -> String {
        let r = self.client().post_json(
            "/api/v1/login",
            &serde_json::json!({"user": name, "password": PASSWORD}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["token"].as_str().expect("token").to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: BTreeMap<String, Vec<String>>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The first value of a header (lower-case name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A client that keeps cookies (name -> value) and the page's CSRF token.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    pub cookies: BTreeMap<String, String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

/// The value of `attr="..."` after `marker` in an HTML page.
pub fn attr_after(html: &str, marker: &str, attr: &str) -> Option<String> {
    let at = html.find(marker)?;
    let rest = &html[at..];
    let key = format!("{attr}=\"");
    let start = rest.find(&key)? + key.len();
    let end = rest[start..].find('"')? + start;
    Some(rest[start..end].to_string())
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            // A fresh connection per request: the server may close one after refusing a
            // request whose body it did not read (403 before the upload), and a pooled
            // connection would then fail the next request.
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .build()
            .new_agent();
        Client {
            agent,
            base: base.to_string(),
            cookies: BTreeMap::new(),
            csrf: None,
            bearer: None,
        }
    }

    /// A client with an API token.
    pub fn with_token(base: &str, token: &str) -> Client {
        let mut c = Client::new(base);
        c.bearer = Some(token.to_string());
        c
    }

    fn cookie_header(&self) -> Option<String> {
        if self.cookies.is_empty() {
            None
        } else {
            Some(
                self.cookies
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
    }

    fn finish(&mut self, res: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
        let mut res = res.expect("HTTP request");
        let status = res.status().as_u16();
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in res.headers() {
            headers
                .entry(k.as_str().to_ascii_lowercase())
                .or_default()
                .push(v.to_str().unwrap_or("").to_string());
        }
        for c in headers.get("set-cookie").cloned().unwrap_or_default() {
            let first = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        let bytes = res
            .body_mut()
            .with_config()
            .limit(100 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(t) = attr_after(&body, "<body", "data-csrf") {
            if !t.is_empty() {
                self.csrf = Some(t);
            }
        }
        Resp {
            status,
            headers,
            body,
            bytes,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET.
    pub fn get(&mut self, path: &str) -> Resp {
        let mut req = self.agent.get(&self.url(path));
        if let Some(c) = self.cookie_header() {
            req = req.header("cookie", &c);
        }
        if let Some(t) = &self.bearer {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        let res = req.call();
        self.finish(res)
    }

    /// POST of a urlencoded form, the CSRF token added first unless `csrf` is false.
    pub fn post_form_with(&mut self, path: &str, fields: &[(&str, &str)], csrf: bool) -> Resp {
        let mut all: Vec<(String, String)> = Vec::new();
        if csrf {
            if let Some(t) = &self.csrf {
                all.push(("csrf".into(), t.clone()));
            }
        }
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let body = all
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = self
            .agent
            .post(&self.url(path))
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = self.cookie_header() {
            req = req.header("cookie", &c);
        }
        if let Some(t) = &self.bearer {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        let res = req.send(body.as_bytes());
        self.finish(res)
    }

    /// POST of a form with the CSRF token.
    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.post_form_with(path, fields, true)
    }

    /// POST of raw bytes with a content type and extra headers.
    pub fn post_bytes(
        &mut self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self
            .agent
            .post(&self.url(path))
            .header("content-type", content_type);
        if let Some(c) = self.cookie_header() {
            req = req.header("cookie", &c);
        }
        if let Some(t) = &self.bearer {
            req = req.header("authorization", &format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send(body);
        self.finish(res)
    }

    /// POST of JSON (with the session's CSRF header when logged in by cookie).
    pub fn post_json(&mut self, path: &str, value: &serde_json::Value) -> Resp {
        let csrf = self.csrf.clone();
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(t) = csrf.as_deref() {
            headers.push(("x-csrf-token", t));
        }
        self.post_bytes(
            path,
            "application/json",
            value.to_string().as_bytes(),
            &headers,
        )
    }

    /// POST of a multipart form: text fields (the CSRF token first) and files (field, name,
    /// content type, bytes).
    pub fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Resp {
        let boundary = "----recette-test-boundary-7d3f";
        let mut body: Vec<u8> = Vec::new();
        let mut all: Vec<(String, String)> = Vec::new();
        if let Some(t) = &self.csrf {
            all.push(("csrf".into(), t.clone()));
        }
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        for (k, v) in &all {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (field, name, ct, bytes) in files {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: {ct}\r\n\r\n").as_bytes());
            body.extend(*bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        self.post_bytes(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            &body,
            &[],
        )
    }

    /// Records a result through the API, as `tester`, for the first test assigned to them in
    /// `campaign` (another screen or a script, beside the one under test); returns the test.
    pub fn record_first_assigned(
        base: &str,
        token: &str,
        tester: &str,
        campaign: &str,
        run: serde_json::Value,
    ) -> String {
        let mut c = Client::with_token(base, token);
        let planned: serde_json::Value = c.get(&format!("/api/v1/campaigns/{campaign}")).json();
        let test = planned["tests"]
            .as_array()
            .and_then(|t| t.iter().find(|x| x["assignee"] == tester))
            .and_then(|x| x["ref"].as_str())
            .unwrap_or_else(|| panic!("no test of {tester} in {campaign}: {planned}"))
            .to_string();
        let mut body = run;
        body["test"] = serde_json::Value::String(test.clone());
        let r = c.post_json(&format!("/api/v1/campaigns/{campaign}/executions"), &body);
        assert!(r.status < 300, "{}", r.body);
        test
    }

    /// Logs in through the login form (GET for its token, then POST).
    pub fn login(&mut self, name: &str, password: &str) -> Resp {
        let page = self.get("/login");
        assert_eq!(page.status, 200, "{}", page.body);
        let token = attr_after(&page.body, "name=\"form_token\"", "value").expect("form token");
        let r = self.post_form_with(
            "/login",
            &[
                ("form_token", &token),
                ("user", name),
                ("password", password),
                ("next", "/"),
            ],
            false,
        );
        if r.status == 303 {
            // The first page gives the session's CSRF token.
            let page = self.get("/account");
            assert_eq!(page.status, 200, "{}", page.body);
        }
        r
    }
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
