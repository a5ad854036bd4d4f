//! Domain types and the status vocabulary.
//!
//! The model does no I/O. Every enumerated value has one canonical code (stored in SQLite and
//! written in JSON) and is accepted on input in French and English words, insensitive to case,
//! accents, punctuation and spaces (see [`normalize_word`]).

use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

use crate::i18n::Lang;

/// Folds a word for vocabulary matching: lower case, no accents, every run of characters that are
/// not letters or digits (spaces, non-breaking spaces, punctuation) becomes one space, trimmed.
///
/// `"  Non-Conforme "` and `"non conforme"` fold to the same string.
pub fn normalize_word(input: &str) -> String {
    if input.is_ascii() {
        // Same result without decomposition (ASCII has no combining marks nor ligatures).
        let mut out = String::with_capacity(input.len());
        let mut pending_space = false;
        for c in input.chars() {
            if c.is_ascii_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c.to_ascii_lowercase());
            } else {
                pending_space = true;
            }
        }
        return out;
    }
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    // Ligatures common in French text.
    if out.contains(['œ', 'æ']) {
        out.replace('œ', "oe").replace('æ', "ae")
    } else {
        out
    }
}

/// An input word that matches no value of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    /// Which vocabulary (e.g. "statut", "criticité").
    pub kind: &'static str,
    /// The word as given.
    pub word: String,
    /// The main accepted words (each value's code and labels), comma separated; usual
    /// synonyms are accepted too, not listed.
    pub accepted: String,
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} « {} » ; valeurs acceptées : {} (ou un synonyme usuel)",
            self.kind,
            crate::error::agree(self.kind, "inconnu", "inconnue"),
            self.word,
            self.accepted
        )
    }
}

impl std::error::Error for UnknownWord {}

/// Declares a vocabulary enum: canonical code, French and English labels, and accepted synonyms
/// (already folded with [`normalize_word`]).
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:literal, $kind_en:literal {
            $( $variant:ident => $code:literal, $fr:literal, $en:literal, [$($syn:literal),* $(,)?] ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(
                #[serde(rename = $code)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in their natural order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical code, as stored and written in JSON.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label shown to users in the given language.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Fr) => $fr, ($name::$variant, Lang::En) => $en,)+
                }
            }

            /// Parses a canonical code exactly (used when reading the store).
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Parses a user word in French or English, case, accent, punctuation and space
            /// insensitive.
            pub fn parse(word: &str) -> Result<Self, UnknownWord> {
                // The folded vocabulary, in the order it is tried: folded once per process
                // rather than on every cell of an import.
                static FOLDED: std::sync::OnceLock<Vec<(String, $name)>> =
                    std::sync::OnceLock::new();
                let table = FOLDED.get_or_init(|| {
                    vec![$(
                        (normalize_word($code), $name::$variant),
                        (normalize_word($fr), $name::$variant),
                        (normalize_word($en), $name::$variant),
                        $(($syn.to_string(), $name::$variant),)*
                    )+]
                });
                let folded = normalize_word(word);
                if let Some((_, found)) = table.iter().find(|(w, _)| *w == folded) {
                    return Ok(*found);
                }
                Err(UnknownWord {
                    kind: $kind,
                    word: word.to_string(),
                    accepted: Self::accepted_words(),
                })
            }

            /// The main accepted words (codes and labels, not the synonyms), for error
            /// messages and documentation.
            pub fn accepted_words() -> String {
                let mut words: Vec<&str> = vec![$($code, $fr, $en,)+];
                let mut seen = std::collections::BTreeSet::new();
                words.retain(|w| seen.insert(normalize_word(w)));
                words.join(", ")
            }

            /// Name of the vocabulary in English (for messages in English).
            pub fn kind_en() -> &'static str { $kind_en }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    };
}

vocabulary! {
    /// Status of one execution of a test (or of one step).
    ExecStatus, "statut", "status" {
        Passed => "passed", "Conforme", "Passed",
            ["ok", "pass", "passe", "reussi", "reussite", "succes", "success", "succeeded", "valide", "conforme", "oui", "yes", "green", "vert"],
        Failed => "failed", "Non conforme", "Failed",
            ["ko", "nok", "fail", "failure", "echec", "echoue", "en echec", "non conforme", "nc", "error", "erreur", "errored", "broken", "red", "rouge"],
        Blocked => "blocked", "Bloqué", "Blocked",
            ["bloque", "bloquant", "block", "impossible"],
        NotRun => "not_run", "Non passé", "Not run",
            ["not run", "non passe", "non execute", "non executee", "a executer", "a faire", "a tester", "non teste", "skipped", "skip", "ignore", "ignored", "pending", "todo", "not executed", "disabled", "no run", "norun"],
        NotApplicable => "not_applicable", "Non applicable", "Not applicable",
            ["n a", "na", "sans objet", "so", "not applicable", "hors perimetre"],
        InProgress => "in_progress", "En cours", "In progress",
            ["en cours", "in progress", "running", "wip"],
    }
}

impl ExecStatus {
    /// The statuses in the order charts, legends and progress bars show them.
    pub const CHART_ORDER: [ExecStatus; 6] = [
        ExecStatus::Passed,
        ExecStatus::Failed,
        ExecStatus::Blocked,
        ExecStatus::InProgress,
        ExecStatus::NotRun,
        ExecStatus::NotApplicable,
    ];

    /// Rank used to aggregate several statuses into one: the higher wins.
    /// failed > blocked > in_progress > not_run > passed > not_applicable.
    pub fn severity_rank(self) -> u8 {
        match self {
            ExecStatus::Failed => 5,
            ExecStatus::Blocked => 4,
            ExecStatus::InProgress => 3,
            ExecStatus::NotRun => 2,
            ExecStatus::Passed => 1,
            ExecStatus::NotApplicable => 0,
        }
    }

    /// The worst of several statuses ([`ExecStatus::severity_rank`]); `None` when empty.
    pub fn worst<I: IntoIterator<Item = ExecStatus>>(items: I) -> Option<ExecStatus> {
        items.into_iter().max_by_key(|s| s.severity_rank())
    }

    /// Whether the status counts as executed (passed, failed or blocked).
    pub fn is_executed(self) -> bool {
        matches!(
            self,
            ExecStatus::Passed | ExecStatus::Failed | ExecStatus::Blocked
        )
    }
}

vocabulary! {
    /// Criticality of a requirement.
    Criticality, "criticité", "criticality" {
        Critique => "critique", "Critique", "Critical",
            ["critical", "haute", "high", "elevee", "must", "must have", "p1", "1", "bloquante", "vitale", "essentielle", "obligatoire"],
        Majeure => "majeure", "Majeure", "Major",
            ["major", "majeur", "moyenne", "medium", "normale", "normal", "should", "should have", "p2", "2", "importante"],
        Mineure => "mineure", "Mineure", "Minor",
            ["minor", "mineur", "basse", "faible", "low", "could", "could have", "wont", "won t", "p3", "3", "souhaitable", "optionnelle"],
    }
}

vocabulary! {
    /// Severity of an anomaly.
    Severity, "sévérité", "severity" {
        Bloquante => "bloquante", "Bloquante", "Blocking",
            ["blocking", "blocker", "bloquant", "critique", "critical", "fatale", "s1", "1"],
        Majeure => "majeure", "Majeure", "Major",
            ["major", "majeur", "grave", "haute", "high", "s2", "2"],
        Mineure => "mineure", "Mineure", "Minor",
            ["minor", "mineur", "cosmetique", "cosmetic", "faible", "low", "basse", "s3", "3", "trivial"],
    }
}

vocabulary! {
    /// Lifecycle status of an anomaly.
    AnomalyStatus, "statut d'anomalie", "anomaly status" {
        Ouverte => "ouverte", "Ouverte", "Open",
            ["open", "nouvelle", "new", "ouvert", "declaree", "signalee"],
        Analysee => "analysee", "Analysée", "Acknowledged",
            ["analysed", "analyzed", "prise en compte", "pris en compte", "en analyse", "acknowledged", "assigned", "affectee", "en cours"],
        Corrigee => "corrigee", "Corrigée", "Fixed",
            ["fixed", "corrige", "resolved", "resolue", "livree", "delivered"],
        ARetester => "a_retester", "À retester", "To retest",
            ["a retester", "to retest", "retest", "corrigee a retester", "ready for retest"],
        Close => "close", "Close", "Closed",
            ["closed", "clos", "cloturee", "fermee", "verified", "verifiee"],
        Rouverte => "rouverte", "Rouverte", "Reopened",
            ["reopened", "reouverte", "re ouverte", "rouvert"],
        Rejetee => "rejetee", "Rejetée", "Rejected",
            ["rejected", "rejete", "doublon", "duplicate", "non reproductible", "wontfix", "won t fix", "hors perimetre", "evolution"],
    }
}

impl AnomalyStatus {
    /// Whether the anomaly still counts as open (not closed, not rejected).
    pub fn is_open(self) -> bool {
        !matches!(self, AnomalyStatus::Close | AnomalyStatus::Rejetee)
    }

    /// The statuses an anomaly in this status may move to (the lifecycle of the domain):
    /// ouverte → analysée → corrigée (delivered in a version) → à retester → close; a fix may
    /// be declared or delivered before the analysis is recorded; a retest that fails reopens it
    /// (rouverte), as does a closed or rejected anomaly found again; rouverte goes through the
    /// same steps again; an anomaly that is not closed may be rejected (doublon, non
    /// reproductible, hors périmètre, évolution).
    pub fn next(self) -> &'static [AnomalyStatus] {
        use AnomalyStatus::*;
        match self {
            Ouverte | Rouverte => &[Analysee, Corrigee, ARetester, Rejetee],
            Analysee => &[Corrigee, ARetester, Rejetee],
            Corrigee => &[ARetester, Close, Rouverte, Rejetee],
            ARetester => &[Close, Rouverte, Rejetee],
            Close | Rejetee => &[Rouverte],
        }
    }

    /// Whether the lifecycle allows moving from this status to `to`.
    pub fn can_move_to(self, to: AnomalyStatus) -> bool {
        self.next().contains(&to)
    }

    /// Whether a move to `to` needs a comment saying why: reopening and rejecting do.
    pub fn move_needs_comment(self, to: AnomalyStatus) -> bool {
        matches!(to, AnomalyStatus::Rouverte | AnomalyStatus::Rejetee) && self != to
    }

    /// Whether moving from this status to `to` counts as a reopening (a fixed, closed or
    /// rejected anomaly found again).
    pub fn is_reopening(self, to: AnomalyStatus) -> bool {
        matches!(to, AnomalyStatus::Rouverte | AnomalyStatus::Ouverte)
            && matches!(
                self,
                AnomalyStatus::Corrigee
                    | AnomalyStatus::ARetester
                    | AnomalyStatus::Close
                    | AnomalyStatus::Rejetee
            )
    }
}

vocabulary! {
    /// Status of a requirement.
    ReqStatus, "statut d'exigence", "requirement status" {
        Brouillon => "brouillon", "Brouillon", "Draft",
            ["draft", "proposed", "proposee", "en redaction"],
        Validee => "validee", "Validée", "Approved",
            ["approved", "valide", "validated", "active", "actif", "applicable", "accepted", "acceptee"],
        Obsolete => "obsolete", "Obsolète", "Withdrawn",
            ["withdrawn", "retiree", "supprimee", "deprecated", "abandonnee", "removed"],
    }
}

vocabulary! {
    /// Acceptance decision (CCAG-TIC article 34 and everyday practice).
    Decision, "décision", "decision" {
        Admission => "admission", "Admission", "Acceptance",
            ["acceptance", "accepted", "admis", "admise", "accept"],
        Reserves => "reserves", "Admission avec réserves", "Acceptance with reservations",
            ["admission avec reserves", "avec reserves", "reserve", "with reservations", "accepted with reservations"],
        Ajournement => "ajournement", "Ajournement", "Postponement",
            ["postponement", "postponed", "ajourne", "ajournee"],
        Refaction => "refaction", "Réfaction", "Acceptance with price reduction",
            ["price reduction", "refaction"],
        Rejet => "rejet", "Rejet", "Rejection",
            ["rejection", "rejected", "rejete", "rejetee", "refus", "refuse"],
    }
}

vocabulary! {
    /// Test phase of a campaign.
    Phase, "phase", "phase" {
        Vabf => "vabf", "VABF", "Acceptance verification",
            ["va", "vabf", "verification d aptitude", "verification d aptitude au bon fonctionnement", "acceptance", "uat", "recette"],
        Vsr => "vsr", "VSR", "Verification of regular service",
            ["verification de service regulier", "regular service"],
        NonRegression => "non_regression", "Non-régression", "Regression",
            ["non regression", "nr", "regression", "tnr"],
        Integration => "integration", "Intégration", "Integration",
            ["vi", "integration", "qualification"],
        Other => "autre", "Autre", "Other", ["other"],
    }
}

/// Whether a test case is run by hand or by a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// Run by a tester following the steps.
    Manual,
    /// Run by a tool; results are imported.
    Automated,
}

impl TestKind {
    /// Canonical code.
    pub fn code(self) -> &'static str {
        match self {
            TestKind::Manual => "manual",
            TestKind::Automated => "automated",
        }
    }
    /// Parses a code or a French/English word.
    pub fn parse(word: &str) -> Option<Self> {
        match normalize_word(word).as_str() {
            "manual" | "manuel" | "manuelle" | "m" => Some(TestKind::Manual),
            "automated" | "automatique" | "automatise" | "auto" | "a" => Some(TestKind::Automated),
            _ => None,
        }
    }
}

/// One ordered step of a test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// What the tester does.
    pub action: String,
    /// What the tester must observe.
    pub expected: String,
}

impl Step {
    /// Parses the CLI form `"action => expected"` (the expected part may be empty).
    pub fn parse_cli(text: &str) -> Step {
        match text.split_once("=>") {
            Some((a, e)) => Step {
                action: a.trim().to_string(),
                expected: e.trim().to_string(),
            },
            None => Step {
                action: text.trim().to_string(),
                expected: String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anomaly_lifecycle_moves() {
        use AnomalyStatus::*;
        // The nominal path of the domain.
        for (a, b) in [
            (Ouverte, Analysee),
            (Analysee, Corrigee),
            (Corrigee, ARetester),
            (ARetester, Close),
        ] {
            assert!(a.can_move_to(b), "{a:?} -> {b:?}");
        }
        // A failed retest reopens; a reopened one goes through the fix again.
        assert!(ARetester.can_move_to(Rouverte));
        assert!(Close.can_move_to(Rouverte));
        assert!(Rouverte.can_move_to(Corrigee));
        // Skipping the fix or its retest is not a move of the lifecycle.
        for (a, b) in [
            (Ouverte, Close),
            (Analysee, Close),
            (Rouverte, Close),
            (Close, Ouverte),
            (Close, ARetester),
            (Rejetee, Analysee),
            (Ouverte, Rouverte),
            (Close, Rejetee),
        ] {
            assert!(!a.can_move_to(b), "{a:?} -> {b:?}");
        }
        // Every status can be left, nothing moves to itself nor back to ouverte.
        for s in AnomalyStatus::ALL {
            assert!(!s.next().is_empty(), "{s:?}");
            assert!(!s.next().contains(s), "{s:?}");
            assert!(!s.next().contains(&Ouverte), "{s:?}");
        }
        // Reopening and rejecting need a comment; the other moves do not.
        assert!(Close.move_needs_comment(Rouverte));
        assert!(Ouverte.move_needs_comment(Rejetee));
        assert!(!Analysee.move_needs_comment(Corrigee));
        assert!(Close.is_reopening(Rouverte));
        assert!(Rejetee.is_reopening(Rouverte));
        assert!(!Ouverte.is_reopening(Analysee));
    }

    #[test]
    fn words_fold() {
        assert_eq!(normalize_word("  Non-Conforme\u{a0}"), "non conforme");
        assert_eq!(normalize_word("Bloqué"), "bloque");
        assert_eq!(normalize_word("À exécuter"), "a executer");
        assert_eq!(normalize_word("N/A"), "n a");
    }

    #[test]
    fn statuses_in_both_languages() {
        for (w, s) in [
            ("OK", ExecStatus::Passed),
            ("KO", ExecStatus::Failed),
            ("Conforme", ExecStatus::Passed),
            ("Non conforme", ExecStatus::Failed),
            ("NON-CONFORME", ExecStatus::Failed),
            ("Bloqué", ExecStatus::Blocked),
            ("bloque", ExecStatus::Blocked),
            ("Non passé", ExecStatus::NotRun),
            ("N/A", ExecStatus::NotApplicable),
            ("passed", ExecStatus::Passed),
            ("failed", ExecStatus::Failed),
            ("blocked", ExecStatus::Blocked),
            ("skipped", ExecStatus::NotRun),
            ("En cours", ExecStatus::InProgress),
            ("not_run", ExecStatus::NotRun),
        ] {
            assert_eq!(ExecStatus::parse(w), Ok(s), "{w}");
        }
    }

    #[test]
    fn unknown_word_lists_accepted() {
        let err = ExecStatus::parse("peut-être").unwrap_err();
        assert_eq!(err.word, "peut-être");
        assert!(err.accepted.contains("Conforme"));
        assert!(err.accepted.contains("passed"));
    }

    #[test]
    fn worst_status() {
        use ExecStatus::*;
        assert_eq!(ExecStatus::worst([Passed, Blocked, NotRun]), Some(Blocked));
        assert_eq!(ExecStatus::worst([Passed, Failed, Blocked]), Some(Failed));
        assert_eq!(ExecStatus::worst([]), None);
    }

    #[test]
    fn criticality_synonyms() {
        assert_eq!(Criticality::parse("Haute"), Ok(Criticality::Critique));
        assert_eq!(Criticality::parse("Must"), Ok(Criticality::Critique));
        assert_eq!(Criticality::parse("moyenne"), Ok(Criticality::Majeure));
        assert_eq!(Criticality::parse("Basse"), Ok(Criticality::Mineure));
    }

    #[test]
    fn step_cli_form() {
        let s = Step::parse_cli("Ouvrir la page => La page s'affiche");
        assert_eq!(s.action, "Ouvrir la page");
        assert_eq!(s.expected, "La page s'affiche");
    }
}
