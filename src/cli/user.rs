//! `recette serve`, `recette user ...`, `recette token create`: the team workspace's server
//! and accounts (feature `web`). Each command calls `crate::accounts` or `crate::web`.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::access::Role;
use crate::accounts::{self, NewUser};
use crate::error::{Error, Result};
use crate::i18n::Lang;

/// `recette serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Adresse d'écoute (boucle locale par défaut ; port 0 : un port libre)
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Certificat TLS (PEM) pour servir en HTTPS
    #[arg(long, requires = "tls_key", value_name = "FICHIER")]
    pub tls_cert: Option<PathBuf>,
    /// Clé privée TLS (PEM)
    #[arg(long, requires = "tls_cert", value_name = "FICHIER")]
    pub tls_key: Option<PathBuf>,
    /// Dossier de modèles remplaçant ceux intégrés (même nom de fichier)
    #[arg(long, value_name = "DOSSIER")]
    pub templates: Option<PathBuf>,
    /// Taille maximale d'un envoi (preuve, fichier de résultats), en Mio
    #[arg(long, default_value_t = 20, value_name = "MIO")]
    pub upload_limit_mib: usize,
    /// Durée d'inactivité après laquelle une session se termine, en secondes
    #[arg(long, default_value_t = 1800, value_name = "SECONDES")]
    pub session_idle: i64,
    /// Cookies marqués Secure sans TLS intégré (derrière un mandataire HTTPS)
    #[arg(long)]
    pub secure_cookies: bool,
}

/// `recette user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Crée un compte (mot de passe demandé au terminal, ou lu sur l'entrée standard)
    Add(UserAddArgs),
    /// Liste les comptes
    List(UserListArgs),
    /// Change le mot de passe d'un compte (et termine ses sessions)
    Passwd(UserPasswdArgs),
    /// Change le rôle d'un compte (et termine ses sessions)
    Role(UserRoleArgs),
    /// Désactive un compte (ses sessions et jetons cessent de fonctionner)
    Disable(UserNameArg),
    /// Réactive un compte désactivé
    Enable(UserNameArg),
}

/// `user add`
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Identifiant du compte
    pub name: String,
    /// Rôle : admin, lead, tester, vendor, viewer
    #[arg(long)]
    pub role: String,
    /// Nom complet
    #[arg(long, default_value = "")]
    pub full_name: String,
    /// Titulaire dont le compte voit les livraisons (rôle vendor), tel qu'écrit sur ses livraisons
    #[arg(long, default_value = "")]
    pub vendor: String,
    /// Langue des pages : fr (défaut) ou en
    #[arg(long, default_value = "fr")]
    pub lang: String,
    /// Lit le mot de passe sur l'entrée standard (première ligne)
    #[arg(long)]
    pub password_stdin: bool,
}

/// `user list`
#[derive(Debug, Args)]
pub struct UserListArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `user passwd`
#[derive(Debug, Args)]
pub struct UserPasswdArgs {
    /// Identifiant du compte
    pub name: String,
    /// Lit le mot de passe sur l'entrée standard (première ligne)
    #[arg(long)]
    pub password_stdin: bool,
}

/// `user role`
#[derive(Debug, Args)]
pub struct UserRoleArgs {
    /// Identifiant du compte
    pub name: String,
    /// Nouveau rôle : admin, lead, tester, vendor, viewer
    pub role: String,
    /// Titulaire (rôle vendor)
    #[arg(long)]
    pub vendor: Option<String>,
}

/// An account name.
#[derive(Debug, Args)]
pub struct UserNameArg {
    /// Identifiant du compte
    pub name: String,
}

/// `recette token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Crée un jeton d'API pour un compte et l'affiche une seule fois (seule son empreinte est gardée)
    Create(TokenCreateArgs),
    /// Liste les jetons (numéro, compte, libellé, création, dernier usage, expiration, état)
    List(TokenListArgs),
    /// Révoque un jeton (par son numéro) ou tous les jetons actifs d'un compte (--all NOM)
    Revoke(TokenRevokeArgs),
}

/// `token list`
#[derive(Debug, Args)]
pub struct TokenListArgs {
    /// Seulement les jetons de ce compte
    pub name: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `token revoke`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["id", "all"])))]
pub struct TokenRevokeArgs {
    /// Numéro du jeton (colonne « N° » de `token list`)
    pub id: Option<i64>,
    /// Tous les jetons actifs de ce compte
    #[arg(long, value_name = "NOM")]
    pub all: Option<String>,
}

/// `token create`
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// Identifiant du compte
    pub name: String,
    /// Libellé du jeton (ex. « CI Jenkins »)
    #[arg(long, default_value = "")]
    pub label: String,
    /// Validité : nombre de jours (90j), date de fin (AAAA-MM-JJ) ou « jamais »
    #[arg(long, default_value = "90j", value_name = "DURÉE")]
    pub expires: String,
}

/// Runs `recette serve`.
pub fn run_serve(a: ServeArgs, env: &Env) -> Result<i32> {
    // The store must exist (and be migrated) before the server announces itself.
    drop(env.open()?);
    let mut opts = crate::web::ServeOptions::new(env.db.clone());
    opts.addr = a.addr;
    opts.tls = a.tls_cert.zip(a.tls_key);
    opts.templates = a.templates;
    opts.upload_limit = a.upload_limit_mib.clamp(1, 4096) * 1024 * 1024;
    opts.session_idle_secs = a.session_idle.max(1);
    opts.secure_cookies = a.secure_cookies;
    opts.fixed_now = env.ctx.fixed_now.clone();
    crate::web::serve(opts, env.lang)?;
    Ok(EXIT_OK)
}

/// Reads a password: the first line of stdin with `--password-stdin`, else asked twice on the
/// terminal without echo.
fn read_password(from_stdin: bool, lang: Lang) -> Result<String> {
    let stdin = std::io::stdin();
    if from_stdin || !stdin.is_terminal() {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    let first = prompt_hidden(lang.pick("Mot de passe : ", "Password: "))?;
    let second = prompt_hidden(lang.pick("Mot de passe (encore) : ", "Password (again): "))?;
    if first != second {
        return Err(Error::input(
            "les deux mots de passe diffèrent : rien n'a été modifié",
            "the two passwords differ: nothing was changed",
        ));
    }
    Ok(first)
}

#[cfg(unix)]
fn prompt_hidden(prompt: &str) -> Result<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    // SAFETY: termios calls on the process's own stdin, with a zeroed struct filled by
    // tcgetattr; the previous settings are restored before returning.
    let saved = unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut t) != 0 {
            None
        } else {
            let old = t;
            t.c_lflag &= !libc::ECHO;
            libc::tcsetattr(0, libc::TCSANOW, &t);
            Some(old)
        }
    };
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if let Some(old) = saved {
        // SAFETY: restores the settings read above.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, &old);
        }
    }
    eprintln!();
    read.map_err(|e| Error::io("<stdin>", e))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

#[cfg(not(unix))]
fn prompt_hidden(prompt: &str) -> Result<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io("<stdin>", e))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

fn parse_lang(s: &str) -> Result<Lang> {
    Lang::parse(s).ok_or_else(|| {
        Error::input(
            format!("langue inconnue « {s} » : attendu fr ou en"),
            format!("unknown language \"{s}\": expected fr or en"),
        )
    })
}

/// Runs a `recette user` command.
pub fn run_user(cmd: UserCommand, env: &Env) -> Result<i32> {
    let lang = env.lang;
    match cmd {
        UserCommand::Add(a) => {
            let role = Role::parse(&a.role)?;
            let user_lang = parse_lang(&a.lang)?;
            crate::store::check_account_name(&a.name)?;
            let mut store = env.open()?;
            let password = read_password(a.password_stdin, lang)?;
            let account = accounts::add_user(
                &mut store,
                &NewUser {
                    name: a.name,
                    full_name: a.full_name,
                    role,
                    vendor: a.vendor,
                    lang: user_lang,
                    password,
                },
            )?;
            println!(
                "{} {} ({})",
                env.t("Compte créé :", "Account created:"),
                account.name,
                account.role.label(lang)
            );
        }
        UserCommand::List(a) => {
            let store = env.open()?;
            let list = store.accounts()?;
            if a.json {
                return json(&list).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Compte", "Account"),
                env.t("Nom complet", "Full name"),
                env.t("Rôle", "Role"),
                env.t("Titulaire", "Vendor"),
                env.t("Langue", "Language"),
                env.t("État", "State"),
            ]);
            for u in list {
                t.row(vec![
                    u.name.clone(),
                    u.full_name.clone(),
                    u.role.code().to_string(),
                    u.vendor.clone(),
                    u.lang.code().to_string(),
                    if u.disabled {
                        env.t("désactivé", "disabled").to_string()
                    } else {
                        env.t("actif", "active").to_string()
                    },
                ]);
            }
            print!("{}", t.render());
        }
        UserCommand::Passwd(a) => {
            let mut store = env.open()?;
            if store.account(&a.name)?.is_none() {
                return Err(Error::NotFound {
                    kind: "compte",
                    reference: a.name,
                });
            }
            let password = read_password(a.password_stdin, lang)?;
            accounts::set_password(&mut store, &a.name, &password)?;
            println!(
                "{} {}",
                env.t("Mot de passe changé :", "Password changed:"),
                a.name
            );
        }
        UserCommand::Role(a) => {
            let role = Role::parse(&a.role)?;
            let mut store = env.open()?;
            store.write("user role", |tx| {
                tx.set_account_role(&a.name, role, a.vendor.as_deref())
            })?;
            println!(
                "{} {} : {}",
                env.t("Rôle changé", "Role changed"),
                a.name,
                role.label(lang)
            );
        }
        UserCommand::Disable(a) => {
            let mut store = env.open()?;
            store.write("user disable", |tx| tx.set_account_disabled(&a.name, true))?;
            println!(
                "{} {}",
                env.t("Compte désactivé :", "Account disabled:"),
                a.name
            );
        }
        UserCommand::Enable(a) => {
            let mut store = env.open()?;
            store.write("user enable", |tx| tx.set_account_disabled(&a.name, false))?;
            println!(
                "{} {}",
                env.t("Compte réactivé :", "Account enabled:"),
                a.name
            );
        }
    }
    Ok(EXIT_OK)
}

/// Runs a `recette token` command.
pub fn run_token(cmd: TokenCommand, env: &Env) -> Result<i32> {
    match cmd {
        TokenCommand::Create(a) => {
            let mut store = env.open()?;
            match store.account(&a.name)? {
                Some(acc) if !acc.disabled => {}
                Some(_) => {
                    return Err(Error::input(
                        format!("le compte {} est désactivé", a.name),
                        format!("account {} is disabled", a.name),
                    ))
                }
                None => {
                    return Err(Error::NotFound {
                        kind: "compte",
                        reference: a.name,
                    })
                }
            }
            let expires = accounts::token_expiry(&store.context().now(), &a.expires)?;
            let token = accounts::create_token(&mut store, &a.name, &a.label, expires.as_deref())?;
            let until = match &expires {
                Some(e) => format!("{} {e}", env.t("valable jusqu'au", "valid until")),
                None => env.t("sans expiration", "no expiry").to_string(),
            };
            eprintln!(
                "{} ({until}) :",
                env.t(
                    "Jeton créé ; il n'est affiché qu'une fois (Authorization: Bearer ...)",
                    "Token created; it is shown only once (Authorization: Bearer ...)"
                )
            );
            println!("{token}");
        }
        TokenCommand::List(a) => {
            let store = env.open()?;
            if let Some(name) = &a.name {
                if store.account(name)?.is_none() {
                    return Err(Error::NotFound {
                        kind: "compte",
                        reference: name.clone(),
                    });
                }
            }
            let tokens = store.tokens(a.name.as_deref())?;
            if a.json {
                super::output::json(&tokens)?;
                return Ok(EXIT_OK);
            }
            if tokens.is_empty() {
                println!("{}", env.t("Aucun jeton.", "No token."));
                return Ok(EXIT_OK);
            }
            let lang = env.lang;
            let mut t = super::output::Table::new(&[
                env.t("N°", "No."),
                env.t("Compte", "Account"),
                env.t("Libellé", "Label"),
                env.t("Créé le", "Created"),
                env.t("Dernier usage", "Last used"),
                env.t("Expire le", "Expires"),
                env.t("État", "State"),
            ]);
            for k in &tokens {
                t.row(vec![
                    k.id.to_string(),
                    k.account.clone(),
                    k.label.clone(),
                    super::output::when(env.lang, &k.created_at),
                    super::output::when_or_dash(env.lang, k.last_used.as_deref()),
                    k.expires_at
                        .as_deref()
                        .map(|e| super::output::when(env.lang, e))
                        .unwrap_or_else(|| env.t("jamais", "never").into()),
                    k.state.label(lang).to_string(),
                ]);
            }
            print!("{}", t.render());
        }
        TokenCommand::Revoke(a) => {
            let mut store = env.open()?;
            let which = match (a.id, a.all) {
                (Some(id), _) => crate::store::TokenSelector::Id(id),
                (None, Some(name)) => crate::store::TokenSelector::Account(name),
                (None, None) => {
                    return Err(Error::input(
                        "token revoke : donnez un numéro de jeton ou --all NOM",
                        "token revoke: give a token number or --all NAME",
                    ))
                }
            };
            let n = store.write("token revoke", |tx| tx.revoke_tokens(&which))?;
            println!("{} : {n}", env.t("Jetons révoqués", "Tokens revoked"),);
        }
    }
    Ok(EXIT_OK)
}
