//! Library errors. Each variant carries what a user needs to act (file, reference, expected value).

use std::path::PathBuf;

use crate::import::records::ImportIssue;
use crate::model::UnknownWord;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong. `Display` is French; [`Error::message`] gives either language.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input was rejected (exit code 1).
    #[error("{fr}")]
    Input { fr: String, en: String },
    /// A reference that does not exist.
    #[error("{kind} {} : {reference}", agree(kind, "inconnu", "inconnue"))]
    NotFound {
        kind: &'static str,
        reference: String,
    },
    /// A reference that already exists.
    #[error(
        "{kind} {} : {reference}",
        agree(kind, "déjà existant", "déjà existante")
    )]
    Duplicate {
        kind: &'static str,
        reference: String,
    },
    /// Someone recorded a newer attempt of the same test (and data set) since the attempt the
    /// writer started from: nothing was written, so that no result silently replaces another.
    #[error("conflit : {} a été enregistré dans la campagne {campaign} (essai {latest}) depuis l'essai {based_on} sur lequel cette saisie se fonde ; rien n'a été écrit : relisez le dernier essai, puis enregistrez de nouveau", crate::entities::item_label(test, dataset.as_deref()))]
    Conflict {
        campaign: String,
        test: String,
        dataset: Option<String>,
        /// The attempt the writer saw.
        based_on: i64,
        /// The latest attempt in the store.
        latest: i64,
    },
    /// An unknown vocabulary word.
    #[error(transparent)]
    Word(#[from] UnknownWord),
    /// The file is not a recette store.
    #[error("{} n'est pas une base recette (fichier laissé intact)", path.display())]
    NotAStore { path: PathBuf },
    /// The store was written by a newer recette.
    #[error("{} a le schéma version {found}, plus récent que celui que cette version de recette connaît ({supported}) : mettez recette à jour (fichier laissé intact)", path.display())]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// No store at the given path.
    #[error("aucune base recette à {} : lancez d'abord « recette init »", path.display())]
    NoStore { path: PathBuf },
    /// An import found problems; nothing was written.
    #[error("import refusé : {} problème(s), rien n'a été écrit", issues.len())]
    Import { issues: Vec<ImportIssue> },
    /// Reading or writing a file failed.
    #[error("{} : {}", path.display(), io_words(source, crate::i18n::Lang::Fr))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("base de données : {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Anything else, already worded.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// A rejected input, worded in both languages.
    pub fn input(fr: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Input {
            fr: fr.into(),
            en: en.into(),
        }
    }

    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            // A staged upload is named as the user sent it, not by its temporary path.
            path: crate::import::input::display_path(path.into()),
            source,
        }
    }

    /// The message in the given language.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        if lang == Lang::Fr {
            return self.to_string();
        }
        match self {
            Error::Input { en, .. } => en.clone(),
            Error::NotFound { kind, reference } => format!("unknown {}: {reference}", kind_en(kind)),
            Error::Duplicate { kind, reference } => {
                format!("{} already exists: {reference}", kind_en(kind))
            }
            Error::Word(w) => format!(
                "unknown {} \"{}\"; accepted values: {} (or a usual synonym)",
                kind_en(w.kind),
                w.word,
                w.accepted
            ),
            Error::NotAStore { path } => {
                format!("{} is not a recette store (file left untouched)", path.display())
            }
            Error::NewerSchema {
                path,
                found,
                supported,
            } => format!(
                "{} has schema version {found}, newer than this recette knows ({supported}): upgrade recette (file left untouched)",
                path.display()
            ),
            Error::NoStore { path } => {
                format!("no recette store at {}: run \"recette init\" first", path.display())
            }
            Error::Import { issues } => {
                format!("import rejected: {} problem(s), nothing was written", issues.len())
            }
            Error::Conflict {
                campaign,
                test,
                dataset,
                based_on,
                latest,
            } => format!(
                "conflict: {} was recorded in campaign {campaign} (attempt {latest}) since attempt {based_on} this entry is based on; nothing was written: read the latest attempt, then record again",
                crate::entities::item_label(test, dataset.as_deref())
            ),
            Error::Io { path, source } => format!(
                "{}: {}",
                path.display(),
                io_words(source, Lang::En)
            ),
            Error::Sqlite(e) => format!("database: {e}"),
            Error::Other(s) => s.clone(),
        }
    }
}

/// An operating-system error worded for a person (not "os error 2").
fn io_words(e: &std::io::Error, lang: crate::i18n::Lang) -> String {
    use std::io::ErrorKind::*;
    let (fr, en) = match e.kind() {
        NotFound => ("fichier ou dossier introuvable", "no such file or folder"),
        PermissionDenied => ("accès refusé", "permission denied"),
        AlreadyExists => ("existe déjà", "already exists"),
        NotADirectory => (
            "un élément du chemin n'est pas un dossier",
            "a part of the path is not a folder",
        ),
        IsADirectory => (
            "c'est un dossier, pas un fichier",
            "it is a folder, not a file",
        ),
        ReadOnlyFilesystem => (
            "système de fichiers en lecture seule",
            "read-only file system",
        ),
        StorageFull => ("disque plein", "no space left on the disk"),
        UnexpectedEof => ("fichier tronqué", "truncated file"),
        InvalidData => ("contenu illisible", "unreadable content"),
        _ => return e.to_string(),
    };
    lang.pick(fr, en).to_string()
}

/// The masculine or feminine form of an adjective agreeing with a French entity name.
pub(crate) fn agree(kind: &str, masculine: &'static str, feminine: &'static str) -> &'static str {
    const FEMININE: &[&str] = &[
        "exigence",
        "livraison",
        "campagne",
        "anomalie",
        "stratégie",
        "réserve",
        "preuve",
        "criticité",
        "sévérité",
        "décision",
        "phase",
        "exécution",
    ];
    if FEMININE.contains(&kind) {
        feminine
    } else {
        masculine
    }
}

/// English name of an entity or vocabulary kind given in French.
fn kind_en(kind: &str) -> &str {
    match kind {
        "exigence" => "requirement",
        "cas de test" => "test case",
        "livraison" => "delivery",
        "campagne" => "campaign",
        "anomalie" => "anomaly",
        "stratégie" => "strategy",
        "réserve" => "reservation",
        "statut" => "status",
        "criticité" => "criticality",
        "sévérité" => "severity",
        "statut d'anomalie" => "anomaly status",
        "statut d'exigence" => "requirement status",
        "décision" => "decision",
        "phase" => "phase",
        "preuve" => "evidence file",
        "jeu de données" => "data set",
        "lien" => "link",
        "exécution" => "execution",
        "compte" => "account",
        other => other,
    }
}
