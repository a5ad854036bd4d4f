//! The team workspace (`recette serve`, feature `web`): axum on tokio, pages rendered on the
//! server (minijinja, templates embedded under `templates/web/`, overridable), htmx for partial
//! updates, and a JSON API under `/api/v1`. Every handler is a thin adapter over the library:
//! parse the request, call `ops`/`store`, render. The store is one SQLite file; the server is
//! its one writer (a single connection behind a mutex, used from `spawn_blocking`), and CLI
//! commands may still run beside it (WAL, busy timeout).
//!
//! - [`routes`]: the ONE table of routes with the [`crate::access::Action`] each needs; the
//!   router is built from it and every request passes [`auth::guard`], so the role x route
//!   matrix test can enumerate it.
//! - [`auth`]: login/logout, sessions (cookie), API tokens, CSRF, [`auth::CurrentUser`].
//! - [`security`]: response headers (CSP without inline script, nosniff, frame-ancestors).
//! - [`pages`]: one module per area (`tester`; `lead`: imports by upload; `vendor` comes next).
//! - [`api`]: `/api/v1` JSON, errors `{"error"}` in the user's language.
//! - [`assets`]: embedded templates and static files (htmx, app.js, CSS).

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod execution;
pub mod pages;
pub mod routes;
pub mod security;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::report::render::Renderer;
use crate::store::{Context, Store};

pub use auth::CurrentUser;
pub use error::WebError;

/// Default upload limit (evidence, result files): 20 MiB.
pub const DEFAULT_UPLOAD_LIMIT: usize = 20 * 1024 * 1024;
/// Default idle time after which a browser session ends: 30 minutes.
pub const DEFAULT_SESSION_IDLE_SECS: i64 = 30 * 60;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The store file.
    pub db: PathBuf,
    /// Address to listen on (`127.0.0.1:8080` by default; port 0 picks a free one).
    pub addr: SocketAddr,
    /// Certificate and private key (PEM) for built-in HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Folder whose files replace embedded templates of the same name.
    pub templates: Option<PathBuf>,
    /// Largest upload accepted, in bytes.
    pub upload_limit: usize,
    /// Idle seconds after which a session ends.
    pub session_idle_secs: i64,
    /// Login throttling.
    pub throttle: crate::accounts::Throttle,
    /// Mark cookies `Secure` even without built-in TLS (behind an HTTPS reverse proxy).
    pub secure_cookies: bool,
    /// A fixed clock (`RECETTE_NOW`).
    pub fixed_now: Option<String>,
}

impl ServeOptions {
    /// Defaults for a store: loopback port 8080, 20 MiB uploads, 30 minutes idle.
    pub fn new(db: PathBuf) -> ServeOptions {
        ServeOptions {
            db,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls: None,
            templates: None,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            session_idle_secs: DEFAULT_SESSION_IDLE_SECS,
            throttle: crate::accounts::Throttle::default(),
            secure_cookies: false,
            fixed_now: None,
        }
    }
}

/// What every handler shares: the store (one writer), the templates, the settings.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

/// One job for the store's thread: runs with the store, answers through its own channel.
type Job = Box<dyn FnOnce(&mut Store) + Send>;

struct Inner {
    /// The store's thread takes jobs in the order they come (FIFO): under load every request
    /// waits its turn, none is starved behind later ones as with a contended lock.
    jobs: std::sync::mpsc::Sender<Job>,
    renderer: Renderer,
    upload_limit: usize,
    session_idle_secs: i64,
    throttle: crate::accounts::Throttle,
    secure_cookies: bool,
    /// The folder of template overrides, for the reports written on demand.
    templates: Option<PathBuf>,
    /// Staged uploads waiting for their "Appliquer" (imports by upload).
    uploads: Mutex<pages::lead::Uploads>,
}

/// The actor of what the server does outside any account (session bookkeeping).
const SERVER_ACTOR: &str = "recette-serve";

impl AppState {
    /// Opens the store and the templates.
    pub fn new(opts: &ServeOptions) -> Result<AppState> {
        let store = Store::open(
            &opts.db,
            Context {
                actor: SERVER_ACTOR.to_string(),
                fixed_now: opts.fixed_now.clone(),
            },
        )?;
        let renderer = assets::renderer(opts.templates.as_deref())?;
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("recette-store".into())
            .spawn(move || {
                let mut store = store;
                // Ends when the last sender (the server's state) is dropped.
                while let Ok(job) = queue.recv() {
                    // A panic in one request must not stop the server: the store itself is
                    // consistent (its transaction rolled back); the request gets an error.
                    let _ =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut store)));
                }
            })
            .map_err(|e| Error::Other(format!("fil de la base : {e}")))?;
        Ok(AppState {
            inner: Arc::new(Inner {
                jobs,
                renderer,
                upload_limit: opts.upload_limit,
                session_idle_secs: opts.session_idle_secs,
                throttle: opts.throttle,
                secure_cookies: opts.tls.is_some() || opts.secure_cookies,
                templates: opts.templates.clone(),
                uploads: Mutex::new(pages::lead::Uploads::default()),
            }),
        })
    }

    /// Runs `f` on the store in a blocking thread, as the server itself.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.db_as(SERVER_ACTOR.to_string(), f).await
    }

    /// Runs `f` on the store in a blocking thread, every write recorded under `actor` (the
    /// authenticated account, never a name from the request).
    pub async fn db_as<T: Send + 'static>(
        &self,
        actor: String,
        f: impl FnOnce(&mut Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |store: &mut Store| {
            let previous = store.set_actor(&actor);
            // The actor is put back even if `f` panics (the panic goes on to the thread).
            struct Restore<'a>(&'a mut Store, String);
            impl Drop for Restore<'_> {
                fn drop(&mut self) {
                    self.0.set_actor(&self.1);
                }
            }
            let guard = Restore(store, previous);
            let out = f(&mut *guard.0);
            drop(guard);
            let _ = tx.send(out);
        });
        self.inner
            .jobs
            .send(job)
            .map_err(|_| Error::Other("la base n'est plus ouverte".into()))?;
        rx.await
            .map_err(|_| Error::Other("tâche interrompue".into()))?
    }

    /// Renders a page template.
    pub fn render<T: serde::Serialize>(&self, name: &str, ctx: &T) -> Result<String> {
        self.inner.renderer.render(name, ctx)
    }

    /// The folder whose templates replace the embedded ones (`serve --templates`).
    pub fn templates_dir(&self) -> Option<PathBuf> {
        self.inner.templates.clone()
    }

    /// Largest upload accepted, in bytes.
    pub fn upload_limit(&self) -> usize {
        self.inner.upload_limit
    }

    /// Idle seconds after which a session ends.
    pub fn session_idle_secs(&self) -> i64 {
        self.inner.session_idle_secs
    }

    /// Login throttling.
    pub fn throttle(&self) -> crate::accounts::Throttle {
        self.inner.throttle
    }

    /// Runs `f` on the staged uploads (in memory, a short lock).
    pub fn uploads<T>(&self, f: impl FnOnce(&mut pages::lead::Uploads) -> T) -> T {
        let mut u = self.inner.uploads.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut u)
    }

    /// Whether cookies carry `Secure` (HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }
}

/// Whether listening on `addr` without HTTPS deserves a warning (anything but loopback).
pub fn needs_tls_warning(addr: &SocketAddr, tls: bool) -> bool {
    !tls && !addr.ip().is_loopback()
}

/// Serves until the process is stopped (Ctrl-C ends it gracefully). Prints the address it
/// listens on (`recette serve: http://127.0.0.1:8080`) once bound: with port 0 that is how a
/// script learns the port.
pub fn serve(opts: ServeOptions, lang: Lang) -> Result<()> {
    let state = AppState::new(&opts)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("tokio : {e}")))?;
    runtime.block_on(run(opts, state, lang))
}

async fn run(opts: ServeOptions, state: AppState, lang: Lang) -> Result<()> {
    let app = routes::router(state);
    let io = |e: std::io::Error| Error::Other(format!("{}: {e}", opts.addr));
    let listener = std::net::TcpListener::bind(opts.addr).map_err(io)?;
    listener.set_nonblocking(true).map_err(io)?;
    let local = listener.local_addr().map_err(io)?;
    let scheme = if opts.tls.is_some() { "https" } else { "http" };
    if needs_tls_warning(&local, opts.tls.is_some()) {
        eprintln!(
            "{}",
            lang.pick(
                "attention : écoute sur une adresse autre que la boucle locale sans HTTPS ; les mots de passe et les sessions circulent en clair (donnez --tls-cert et --tls-key, ou placez un mandataire HTTPS devant)",
                "warning: listening on a non-loopback address without HTTPS; passwords and sessions travel in clear text (give --tls-cert and --tls-key, or put an HTTPS reverse proxy in front)"
            )
        );
    }
    println!("recette serve: {scheme}://{local}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    match &opts.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|e| {
                    Error::input(
                        format!(
                            "certificat ou clé TLS illisible ({} , {}) : {e}",
                            cert.display(),
                            key.display()
                        ),
                        format!(
                            "unreadable TLS certificate or key ({}, {}): {e}",
                            cert.display(),
                            key.display()
                        ),
                    )
                })?;
            let handle = axum_server::Handle::new();
            let h = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                h.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
            });
            axum_server::from_tcp_rustls(listener, config)
                .handle(handle)
                .serve(service)
                .await
                .map_err(io)
        }
        None => {
            let listener = tokio::net::TcpListener::from_std(listener).map_err(io)?;
            axum::serve(listener, service)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(io)
        }
    }
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
