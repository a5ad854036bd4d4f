//! The column mapping of a workbook, as TOML a user can read, edit and pass back.
//!
//! Detection guesses; people know. Every import returns the mapping it used so that when a guess
//! is wrong the user fixes one line instead of reshaping the vendor's workbook. The TOML is
//! written by hand (not by serde) so that columns come in sheet order with their header as a
//! comment, and parsed with serde so that a typo is an error naming the file.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::error::{Error, Result};

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    Requirements,
    TestCases,
    Links,
    Results,
    Anomalies,
    /// Deliveries (livraisons) of a project workbook.
    Deliveries,
    /// Test strategies: one criterion per row.
    Strategies,
    /// Campaigns (phase, delivery, strategy, dates, start).
    Campaigns,
    /// The tests planned in each campaign, with their assignee.
    PlannedTests,
    /// Decisions signed (in the store the workbook was exported from).
    Decisions,
    /// The project's settings (`recette config`): one per row.
    Settings,
    /// Not read (summary, history, hidden or unrecognised sheet).
    Ignored,
}

impl SheetKind {
    /// Code used in [`crate::import::records::SheetSummary::kind`] and in the TOML.
    pub fn code(self) -> &'static str {
        match self {
            SheetKind::Requirements => "requirements",
            SheetKind::TestCases => "test_cases",
            SheetKind::Links => "links",
            SheetKind::Results => "results",
            SheetKind::Anomalies => "anomalies",
            SheetKind::Deliveries => "deliveries",
            SheetKind::Strategies => "strategies",
            SheetKind::Campaigns => "campaigns",
            SheetKind::PlannedTests => "planned_tests",
            SheetKind::Decisions => "decisions",
            SheetKind::Settings => "settings",
            SheetKind::Ignored => "ignored",
        }
    }

    /// Fields a sheet of this kind can fill; others are rejected when a mapping is read.
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            SheetKind::Requirements => &[
                Reference,
                Title,
                Description,
                Criticality,
                Category,
                Status,
                Source,
                TestRef,
            ],
            SheetKind::TestCases => &[
                Reference,
                Title,
                Objective,
                Prerequisites,
                TestData,
                Dataset,
                Parameters,
                StepNumber,
                Action,
                Expected,
                TestKind,
                AutomationKey,
                Tags,
                Priority,
                Category,
                RequirementRef,
            ],
            SheetKind::Links => &[RequirementRef, TestRef],
            SheetKind::Results => &[
                TestRef,
                Campaign,
                StepNumber,
                Status,
                StepStatus,
                Tester,
                ExecutedAt,
                Comment,
                Actual,
                AnomalyRefs,
                BaseAttempt,
                Attempt,
                Dataset,
                Assignee,
            ],
            SheetKind::Anomalies => &[
                Reference,
                Title,
                Description,
                Severity,
                Status,
                FoundIn,
                FixedIn,
                Assignee,
                CreatedAt,
                ClosedAt,
                ReopenCount,
            ],
            SheetKind::Deliveries => &[
                Reference,
                Version,
                Vendor,
                Lot,
                PlannedDate,
                DeliveredDate,
                Comment,
            ],
            SheetKind::Strategies => &[
                Reference,
                Title,
                Phase,
                Scope,
                MaxAjournements,
                ReserveDays,
                SmokeTag,
                CriterionKind,
                Rule,
                Blocking,
                Label,
            ],
            SheetKind::Campaigns => &[
                Reference,
                Title,
                Phase,
                Delivery,
                Strategy,
                StartDate,
                EndDate,
                StartedAt,
                Forced,
                StartChecks,
            ],
            SheetKind::PlannedTests => &[Campaign, TestRef, Dataset, Assignee, Reason],
            SheetKind::Decisions => &[
                Campaign,
                RecordNumber,
                Decision,
                SignedAt,
                Signatories,
                SealedFiles,
            ],
            SheetKind::Settings => &[SettingKey, SettingValue],
            SheetKind::Ignored => &[],
        }
    }
}

/// What a column holds. `status` is the requirement status, the test status or the anomaly
/// status depending on the sheet kind; `requirement_ref` and `test_ref` may hold several
/// references separated by commas, semicolons or line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Reference,
    Title,
    Description,
    Criticality,
    Category,
    Status,
    Source,
    RequirementRef,
    TestRef,
    StepNumber,
    Action,
    Expected,
    Objective,
    Prerequisites,
    TestData,
    TestKind,
    AutomationKey,
    Tags,
    Priority,
    StepStatus,
    ExecutedAt,
    Tester,
    Comment,
    AnomalyRefs,
    Severity,
    Campaign,
    BaseAttempt,
    /// Anomalies: delivery it was found in.
    FoundIn,
    /// Anomalies: delivery that fixes it.
    FixedIn,
    /// Test cases: the name of a data set (one row per data set under the test); results:
    /// the data set run.
    Dataset,
    /// Test cases: the data set's values, `cv=7; montant=31200`.
    Parameters,
    /// Results: a step's actual result (résultat obtenu).
    Actual,
    /// Results (offline sheets): the tester assigned; shown, not applied (`campaign assign`
    /// changes assignments). Planned tests: the tester assigned. Anomalies: who must act.
    Assignee,
    /// Results of a project workbook: the attempt a row is (every attempt is listed).
    Attempt,
    /// Anomalies: when raised.
    CreatedAt,
    /// Anomalies: when closed.
    ClosedAt,
    /// Deliveries: the version delivered.
    Version,
    /// Deliveries: the vendor (titulaire).
    Vendor,
    /// Deliveries: the lot of the contract.
    Lot,
    /// Deliveries: the planned date.
    PlannedDate,
    /// Deliveries: the date delivered.
    DeliveredDate,
    /// Strategies and campaigns: the test phase (VABF, VSR...).
    Phase,
    /// Strategies: the scope.
    Scope,
    /// Strategies: ajournements allowed before a blocking failure proposes rejet.
    MaxAjournements,
    /// Strategies: days given to lift a reservation.
    ReserveDays,
    /// Strategies: the tag of the smoke tests.
    SmokeTag,
    /// Strategies: `sortie` (exit) or `entrée` (entry) criterion.
    CriterionKind,
    /// Strategies: the criterion's rule, `execution_rate >= 95`.
    Rule,
    /// Strategies: whether an unmet criterion blocks (oui/non).
    Blocking,
    /// Strategies: the criterion's label in reports.
    Label,
    /// Campaigns: the delivery tested.
    Delivery,
    /// Campaigns: the strategy applied.
    Strategy,
    /// Campaigns: first day.
    StartDate,
    /// Campaigns: last day.
    EndDate,
    /// Campaigns: when started (`recette campaign start`).
    StartedAt,
    /// Campaigns: started with `--force` (oui/non).
    Forced,
    /// Planned tests: why the test is in the campaign.
    Reason,
    /// Decisions: the record's number among its campaign's (PV n°).
    RecordNumber,
    /// Decisions: the decision signed.
    Decision,
    /// Decisions: when signed.
    SignedAt,
    /// Decisions: who signed, one per line.
    Signatories,
    /// Decisions: the sealed files and their sha256.
    SealedFiles,
    /// Settings: the setting's key (`name`, `buyer`, `contract`...).
    SettingKey,
    /// Settings: its value.
    SettingValue,
    /// Anomalies: how many times reopened.
    ReopenCount,
    /// Campaigns: the entry criteria as measured at start, one per line.
    StartChecks,
}

impl Field {
    /// The snake_case name used in the TOML.
    pub fn code(self) -> String {
        match toml::Value::try_from(self) {
            Ok(toml::Value::String(s)) => s,
            _ => format!("{self:?}"),
        }
    }
}

/// How to read a whole workbook: one entry per sheet it names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default, rename = "sheet")]
    pub sheets: Vec<SheetMapping>,
}

/// How to read one sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetMapping {
    /// Sheet name (for CSV files: the file name without extension).
    pub name: String,
    pub kind: SheetKind,
    /// 1-based row of the headers; found by detection when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
    /// CSV only: the separator (`;`, `,` or `\t`); sniffed when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// CSV only: the encoding (`UTF-8`, `windows-1252`, `UTF-16LE`...); detected when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Column letter -> field; detected from the headers when empty.
    #[serde(default)]
    pub columns: BTreeMap<String, Field>,
    /// Word as written in the sheet -> canonical code, tried before the built-in vocabulary
    /// (e.g. `"Validé client" = "passed"`).
    #[serde(default)]
    pub status_words: BTreeMap<String, String>,
    /// Header text per column letter, written as comments only.
    #[serde(skip)]
    pub headers: BTreeMap<String, String>,
    /// Why the sheet is ignored, written as a comment only.
    #[serde(skip)]
    pub reason: Option<String>,
}

impl SheetMapping {
    /// An empty mapping of the given kind.
    pub fn new(name: &str, kind: SheetKind) -> SheetMapping {
        SheetMapping {
            name: name.to_string(),
            kind,
            header_row: None,
            delimiter: None,
            encoding: None,
            columns: BTreeMap::new(),
            status_words: BTreeMap::new(),
            headers: BTreeMap::new(),
            reason: None,
        }
    }

    /// Columns as (0-based index, letter, field), in sheet order.
    pub fn ordered_columns(&self) -> Vec<(usize, &str, Field)> {
        let mut cols: Vec<(usize, &str, Field)> = self
            .columns
            .iter()
            .filter_map(|(l, f)| column_index(l).map(|i| (i, l.as_str(), *f)))
            .collect();
        cols.sort_by_key(|c| c.0);
        cols
    }
}

impl Mapping {
    /// The entry for a sheet, if the mapping names it.
    pub fn sheet(&self, name: &str) -> Option<&SheetMapping> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// Readable, deterministic TOML: sheets in workbook order, columns in sheet order, each
    /// with its header as a comment.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# Correspondance des colonnes (recette). Corrigez-la puis relancez l'import\n",
        );
        out.push_str("# avec --mapping <ce fichier>.\n");
        out.push_str("# kind : requirements, test_cases, links, results, anomalies, deliveries,\n");
        out.push_str(
            "#        strategies, campaigns, planned_tests, decisions, settings, ignored\n",
        );
        for s in &self.sheets {
            out.push_str("\n[[sheet]]\n");
            let _ = writeln!(out, "name = {}", quote(&s.name));
            let _ = writeln!(out, "kind = {}", quote(s.kind.code()));
            if let Some(reason) = &s.reason {
                let _ = writeln!(out, "# {}", one_line(reason));
            }
            if let Some(r) = s.header_row {
                let _ = writeln!(out, "header_row = {r}");
            }
            if let Some(d) = &s.delimiter {
                let _ = writeln!(out, "delimiter = {}", quote(d));
            }
            if let Some(e) = &s.encoding {
                let _ = writeln!(out, "encoding = {}", quote(e));
            }
            if !s.columns.is_empty() {
                out.push_str("\n[sheet.columns]\n");
                for (_, letter, field) in s.ordered_columns() {
                    let _ = write!(out, "{letter} = {}", quote(&field.code()));
                    if let Some(h) = s.headers.get(letter) {
                        let _ = write!(out, "  # {}", one_line(h));
                    }
                    out.push('\n');
                }
            }
            if !s.status_words.is_empty() {
                out.push_str("\n[sheet.status_words]\n");
                for (word, code) in &s.status_words {
                    let _ = writeln!(out, "{} = {}", quote(word), quote(code));
                }
            }
        }
        out
    }

    /// Parses and checks a mapping; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<Mapping> {
        let mut mapping: Mapping = toml::from_str(text).map_err(|e| {
            let m = one_line(e.message());
            let at = e
                .span()
                .map(|sp| {
                    1 + text.as_bytes()[..sp.start.min(text.len())]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                })
                .map(|l| format!(" (ligne {l})"))
                .unwrap_or_default();
            Error::input(
                format!("{file}{at} : correspondance illisible : {m}"),
                format!("{file}{at}: unreadable mapping: {m}"),
            )
        })?;
        for s in &mut mapping.sheets {
            let mut columns = BTreeMap::new();
            for (letter, field) in &s.columns {
                let upper = letter.trim().to_ascii_uppercase();
                if column_index(&upper).is_none() {
                    return Err(Error::input(
                        format!(
                            "{file} › {} : colonne « {letter} » invalide (attendu : A, B, …, AA…)",
                            s.name
                        ),
                        format!(
                            "{file} › {}: invalid column \"{letter}\" (expected A, B, …, AA…)",
                            s.name
                        ),
                    ));
                }
                if !s.kind.fields().contains(field) {
                    let allowed: Vec<String> = s.kind.fields().iter().map(|f| f.code()).collect();
                    let (f, k, a) = (field.code(), s.kind.code(), allowed.join(", "));
                    return Err(Error::input(
                        format!("{file} › {} › {upper} : champ « {f} » impossible pour {k} ; champs possibles : {a}", s.name),
                        format!("{file} › {} › {upper}: field \"{f}\" not allowed for {k}; allowed: {a}", s.name),
                    ));
                }
                columns.insert(upper, *field);
            }
            s.columns = columns;
        }
        Ok(mapping)
    }
}

/// A TOML basic string, escaped.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text safe inside a `#` comment.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `A` -> 0, `Z` -> 25, `AA` -> 26; `None` when not letters or absurdly wide.
pub fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + usize::from(b - b'A' + 1);
    }
    Some(n - 1)
}

/// 0 -> `A`, 25 -> `Z`, 26 -> `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip() {
        for (i, l) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (52, "BA"),
            (701, "ZZ"),
        ] {
            assert_eq!(column_letter(i), l);
            assert_eq!(column_index(l), Some(i));
        }
        assert_eq!(column_index("a1"), None);
    }

    #[test]
    fn toml_round_trip_and_checks() {
        let mut s = SheetMapping::new("Résultats \"v2\"", SheetKind::Results);
        s.header_row = Some(3);
        s.columns.insert("AA".into(), Field::Comment);
        s.columns.insert("B".into(), Field::TestRef);
        s.columns.insert("C".into(), Field::Status);
        s.status_words
            .insert("Validé client".into(), "passed".into());
        s.headers.insert("B".into(), "Cas\nde test".into());
        let m = Mapping { sheets: vec![s] };
        let text = m.to_toml();
        assert!(
            text.find("B = ").unwrap() < text.find("AA = ").unwrap(),
            "{text}"
        );
        let back = Mapping::from_toml(&text, "m.toml").unwrap();
        assert_eq!(back.sheets[0].columns, m.sheets[0].columns);
        assert_eq!(back.sheets[0].status_words, m.sheets[0].status_words);
        assert_eq!(back.sheets[0].name, m.sheets[0].name);

        let bad = "[[sheet]]\nname = \"X\"\nkind = \"links\"\n[sheet.columns]\nA = \"severity\"\n";
        let err = Mapping::from_toml(bad, "m.toml").unwrap_err().to_string();
        assert!(
            err.contains("champ « severity » impossible pour links"),
            "{err}"
        );
        let bad = "[[sheet]]\nname = \"X\"\nkind = \"tests\"\n";
        let err = Mapping::from_toml(bad, "m.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("m.toml (ligne 3) : correspondance illisible"),
            "{err}"
        );
    }
}
