//! Finding the header row and guessing what a sheet holds from its headers.
//!
//! Vendors put titles, logos and blank lines above their tables and name columns freely. A
//! header is first matched to a *role* (what the words say, e.g. "a requirement reference");
//! only once the sheet kind is known does a role become a [`Field`] (a requirement reference is
//! the key of a requirements sheet but the covered requirements of a test case sheet).

use std::collections::BTreeMap;

use super::grid::Row;
use super::mapping::{column_letter, Field, SheetKind, SheetMapping};
use super::synonyms::{
    ANOMALY_EVIDENCE, FRONT_MATTER_SHEETS, REQUIREMENT_EVIDENCE, RESULT_EVIDENCE, SHEET_NAME_HINTS,
    SYNONYMS, TEST_CASE_EVIDENCE,
};
use crate::model::normalize_word;

/// What a header says, before the sheet kind is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Role {
    Id,
    ReqId,
    TestId,
    Title,
    Description,
    Criticality,
    Priority,
    Category,
    Status,
    ExecStatus,
    StepStatus,
    Source,
    /// "Étape": a step number when an action column exists, else the action.
    Step,
    StepNo,
    Action,
    Expected,
    Objective,
    Prerequisites,
    /// Free text about the test data (added to the prerequisites).
    Data,
    /// The name of a data set (jeu de données) of the test.
    Dataset,
    /// A data set's values, `cv=7; montant=31200`.
    Parameters,
    Mode,
    AutomationKey,
    Tags,
    ExecutedAt,
    Tester,
    Comment,
    /// Résultat obtenu: what the tester saw (a step's actual result).
    Actual,
    /// The tester a test is assigned to.
    Assignee,
    Anomalies,
    Severity,
    Campaign,
    BaseAttempt,
    FoundIn,
    FixedIn,
    /// The attempt a result row is.
    Attempt,
    CreatedAt,
    ClosedAt,
    Version,
    Vendor,
    PlannedDate,
    DeliveredDate,
    Phase,
    MaxAjournements,
    ReserveDays,
    SmokeTag,
    CriterionKind,
    Rule,
    Blocking,
    CriterionLabel,
    Delivery,
    Strategy,
    StartDate,
    EndDate,
    StartedAt,
    Forced,
    Reason,
    RecordNumber,
    Decision,
    SignedAt,
    Signatories,
    SealedFiles,
    SettingKey,
    SettingValue,
    ReopenCount,
    StartChecks,
}

/// The role of one header text, if any: an exact synonym, else the longest synonym that starts
/// the header at a word boundary (so "Résultat attendu (écran)" is still the expected result).
pub(crate) fn role_of(header: &str) -> Option<Role> {
    let folded = normalize_word(header);
    if folded.is_empty() {
        return None;
    }
    let mut best: Option<(usize, Role)> = None;
    for (role, words) in SYNONYMS {
        for w in *words {
            if folded == *w {
                return Some(*role);
            }
            let boundary = folded.len() > w.len()
                && folded.starts_with(w)
                && folded.as_bytes().get(w.len()) == Some(&b' ');
            if boundary && best.is_none_or(|(l, _)| w.len() > l) {
                best = Some((w.len(), *role));
            }
        }
    }
    best.map(|(_, r)| r)
}

/// Roles of a header row, by 0-based column (first column of a role wins).
pub(crate) fn roles(cells: &[(usize, String)]) -> Vec<(usize, Role)> {
    let mut out: Vec<(usize, Role)> = Vec::new();
    for (col, text) in cells {
        if let Some(r) = role_of(text) {
            if !out.iter().any(|(_, o)| *o == r) {
                out.push((*col, r));
            }
        }
    }
    out
}

/// How well a row looks like a header row: number of recognised headers, 0 when it has no
/// id-like column or fewer than two recognised headers.
pub(crate) fn header_score(cells: &[(usize, String)]) -> usize {
    let found = roles(cells);
    let has = |role: Role| found.iter().any(|(_, r)| *r == role);
    let id_like = found
        .iter()
        .any(|(_, r)| matches!(r, Role::Id | Role::ReqId | Role::TestId | Role::Anomalies))
        || (has(Role::Campaign) && has(Role::Decision))
        || (has(Role::SettingKey) && has(Role::SettingValue));
    if found.len() >= 2 && id_like {
        found.len()
    } else {
        0
    }
}

/// Rows scanned for the header row: vendors put titles, logos and notes above their tables.
pub(crate) const HEADER_SCAN_ROWS: usize = 30;

/// Finds the header row among the first non-blank rows (the best [`header_score`], the first
/// on a tie), or takes row `at` when a mapping gives it. Returns it with the rows already
/// read below it, which are data.
pub(crate) fn find_header(
    rows: &mut dyn Iterator<Item = Row>,
    at: Option<u64>,
) -> (Option<Row>, Vec<Row>) {
    if let Some(h) = at {
        for r in &mut *rows {
            if r.number == h {
                return (Some(r), Vec::new());
            }
            if r.number > h {
                // The given header row is blank: no header texts, data starts here.
                return (
                    Some(Row {
                        number: h,
                        cells: Vec::new(),
                    }),
                    vec![r],
                );
            }
        }
        return (
            Some(Row {
                number: h,
                cells: Vec::new(),
            }),
            Vec::new(),
        );
    }
    let mut scanned: Vec<Row> = rows.take(HEADER_SCAN_ROWS).collect();
    let mut best: Option<(usize, usize)> = None;
    for (i, r) in scanned.iter().enumerate() {
        let score = header_score(&r.cells);
        if score > 0 && best.is_none_or(|(_, b)| score > b) {
            best = Some((i, score));
        }
    }
    match best {
        Some((i, _)) => {
            let pending = scanned.split_off(i + 1);
            (scanned.pop(), pending)
        }
        None => (None, Vec::new()),
    }
}

/// The sheet kind suggested by its name, used to break ties.
fn name_hint(sheet: &str) -> Option<SheetKind> {
    let n = normalize_word(sheet);
    SHEET_NAME_HINTS
        .iter()
        .find(|(_, words)| words.iter().any(|w| n.split(' ').any(|t| t.starts_with(w))))
        .map(|(k, _)| *k)
}

/// Whether a sheet name says it is not data (summary, history...): reported as ignored.
pub(crate) fn is_ignorable_name(sheet: &str) -> bool {
    FRONT_MATTER_SHEETS.contains(&normalize_word(sheet).as_str())
}

/// Guesses the kind of a sheet from the roles of its header row and its name. Each kind needs
/// an identity column and some evidence; the kind with most characteristic headers wins, the
/// sheet name adds weight, and requirements win a tie.
pub(crate) fn detect_kind(found: &[(usize, Role)], sheet: &str) -> Option<SheetKind> {
    use Role::*;
    let has = |r: Role| found.iter().any(|(_, o)| *o == r);
    let count = |rs: &[Role]| rs.iter().filter(|r| has(**r)).count();
    let text = has(Title) || has(Description);
    let steps = has(Action) || has(Expected) || has(StepNo) || has(Step);
    let exec = has(ExecStatus) || has(StepStatus);
    let mut scores: Vec<(SheetKind, usize)> = Vec::new();
    if (has(Id) || has(ReqId)) && (text || has(Criticality)) && !steps && !exec {
        scores.push((SheetKind::Requirements, count(REQUIREMENT_EVIDENCE) + 1));
    }
    if (has(Id) || has(TestId)) && (text || steps || has(Objective) || has(Prerequisites)) {
        scores.push((SheetKind::TestCases, count(TEST_CASE_EVIDENCE)));
    }
    if (has(Id) || has(TestId)) && (exec || has(Status)) {
        scores.push((SheetKind::Results, count(RESULT_EVIDENCE)));
    }
    if has(ReqId) && has(TestId) && !text && !steps && !exec && !has(Criticality) {
        scores.push((SheetKind::Links, 3));
    }
    if (has(Id) || has(Anomalies)) && has(Severity) && !steps && !has(TestId) {
        scores.push((SheetKind::Anomalies, count(ANOMALY_EVIDENCE) + 1));
    }
    // The sheets of a project workbook have headers no vendor sheet has together.
    let id = has(Id) || has(Campaign);
    if id && has(Rule) && (has(CriterionKind) || has(Blocking)) {
        return Some(SheetKind::Strategies);
    }
    if id
        && (has(DeliveredDate) || has(PlannedDate))
        && (has(Version) || has(Vendor))
        && !has(TestId)
    {
        return Some(SheetKind::Deliveries);
    }
    if id && has(Phase) && (has(Delivery) || has(Strategy)) && !has(TestId) && !has(Rule) {
        return Some(SheetKind::Campaigns);
    }
    if has(SettingKey) && has(SettingValue) && !has(TestId) && !has(ReqId) {
        return Some(SheetKind::Settings);
    }
    if has(Campaign) && has(Decision) && (has(SignedAt) || has(RecordNumber)) && !has(TestId) {
        return Some(SheetKind::Decisions);
    }
    if has(Campaign)
        && has(TestId)
        && (has(Assignee) || has(Reason))
        && !exec
        && !has(Status)
        && !steps
    {
        return Some(SheetKind::PlannedTests);
    }
    let hint = name_hint(sheet);
    scores
        .iter()
        .map(|(k, s)| (*k, s * 2 + if Some(*k) == hint { 3 } else { 0 }))
        .fold(
            None,
            |best: Option<(SheetKind, usize)>, (k, s)| match best {
                Some((_, b)) if b >= s => best,
                _ => Some((k, s)),
            },
        )
        .map(|(k, _)| k)
}

/// Turns header roles into the column -> field mapping of a sheet of the given kind.
pub(crate) fn fields_for(kind: SheetKind, found: &[(usize, Role)]) -> BTreeMap<usize, Field> {
    use Role::*;
    let col = |r: Role| found.iter().find(|(_, o)| *o == r).map(|(c, _)| *c);
    let mut out: BTreeMap<usize, Field> = BTreeMap::new();
    let mut put = |c: Option<usize>, f: Field| {
        if let Some(c) = c {
            if !out.values().any(|v| *v == f) && !out.contains_key(&c) {
                out.insert(c, f);
            }
        }
    };
    match kind {
        SheetKind::Requirements => {
            put(col(Id).or(col(ReqId)), Field::Reference);
            put(col(Title), Field::Title);
            put(col(Description).or(col(ReqId)), Field::Description);
            put(col(Criticality).or(col(Priority)), Field::Criticality);
            put(col(Category), Field::Category);
            put(col(Status), Field::Status);
            put(col(Source), Field::Source);
            put(col(TestId), Field::TestRef);
        }
        SheetKind::TestCases => {
            put(col(Id).or(col(TestId)), Field::Reference);
            put(col(Title).or(col(TestId)), Field::Title);
            put(col(Objective).or(col(Description)), Field::Objective);
            put(col(Prerequisites), Field::Prerequisites);
            put(col(Data), Field::TestData);
            put(col(Dataset), Field::Dataset);
            put(col(Parameters), Field::Parameters);
            put(col(StepNo), Field::StepNumber);
            let (step, action) = (col(Step), col(Action));
            if action.is_some() {
                put(step, Field::StepNumber);
            }
            put(action.or(step), Field::Action);
            put(col(Expected), Field::Expected);
            put(col(Mode), Field::TestKind);
            put(col(AutomationKey), Field::AutomationKey);
            put(col(Tags), Field::Tags);
            put(col(Priority).or(col(Criticality)), Field::Priority);
            put(col(Category), Field::Category);
            put(col(ReqId), Field::RequirementRef);
        }
        SheetKind::Links => {
            put(col(ReqId), Field::RequirementRef);
            put(col(TestId), Field::TestRef);
        }
        SheetKind::Results => {
            put(col(TestId).or(col(Id)), Field::TestRef);
            put(col(Campaign), Field::Campaign);
            put(col(StepNo).or(col(Step)), Field::StepNumber);
            put(col(StepStatus), Field::StepStatus);
            put(col(ExecStatus).or(col(Status)), Field::Status);
            put(col(Tester), Field::Tester);
            put(col(ExecutedAt), Field::ExecutedAt);
            // A sheet with only a "Résultat obtenu" column: it is the comment.
            put(col(Comment).or(col(Actual)), Field::Comment);
            put(col(Actual), Field::Actual);
            put(col(Anomalies), Field::AnomalyRefs);
            put(col(BaseAttempt), Field::BaseAttempt);
            put(col(Attempt), Field::Attempt);
            put(col(Dataset), Field::Dataset);
            put(col(Assignee), Field::Assignee);
        }
        SheetKind::Anomalies => {
            put(col(Id).or(col(Anomalies)), Field::Reference);
            put(col(Title).or(col(Description)), Field::Title);
            put(col(Description), Field::Description);
            put(col(Severity), Field::Severity);
            put(col(Status), Field::Status);
            put(col(FoundIn), Field::FoundIn);
            put(col(FixedIn), Field::FixedIn);
            put(col(Assignee), Field::Assignee);
            put(col(CreatedAt), Field::CreatedAt);
            put(col(ClosedAt), Field::ClosedAt);
            put(col(ReopenCount), Field::ReopenCount);
        }
        SheetKind::Deliveries => {
            put(col(Id).or(col(Delivery)), Field::Reference);
            put(col(Version), Field::Version);
            put(col(Vendor), Field::Vendor);
            put(col(Category), Field::Lot);
            put(col(PlannedDate), Field::PlannedDate);
            put(col(DeliveredDate), Field::DeliveredDate);
            put(col(Comment).or(col(Description)), Field::Comment);
        }
        SheetKind::Strategies => {
            put(col(Id).or(col(Strategy)), Field::Reference);
            put(col(Title), Field::Title);
            put(col(Phase), Field::Phase);
            put(col(Category).or(col(Description)), Field::Scope);
            put(col(MaxAjournements), Field::MaxAjournements);
            put(col(ReserveDays), Field::ReserveDays);
            put(col(SmokeTag), Field::SmokeTag);
            put(col(CriterionKind), Field::CriterionKind);
            put(col(Rule), Field::Rule);
            put(col(Blocking), Field::Blocking);
            put(col(CriterionLabel), Field::Label);
        }
        SheetKind::Campaigns => {
            put(col(Id).or(col(Campaign)), Field::Reference);
            put(col(Title), Field::Title);
            put(col(Phase), Field::Phase);
            put(col(Delivery), Field::Delivery);
            put(col(Strategy), Field::Strategy);
            put(col(StartDate), Field::StartDate);
            put(col(EndDate), Field::EndDate);
            put(col(StartedAt), Field::StartedAt);
            put(col(Forced), Field::Forced);
            put(col(StartChecks), Field::StartChecks);
        }
        SheetKind::PlannedTests => {
            put(col(Campaign), Field::Campaign);
            put(col(TestId).or(col(Id)), Field::TestRef);
            put(col(Dataset), Field::Dataset);
            put(col(Assignee), Field::Assignee);
            put(col(Reason), Field::Reason);
        }
        SheetKind::Decisions => {
            put(col(Campaign), Field::Campaign);
            put(col(RecordNumber), Field::RecordNumber);
            put(col(Decision), Field::Decision);
            put(col(SignedAt), Field::SignedAt);
            put(col(Signatories), Field::Signatories);
            put(col(SealedFiles), Field::SealedFiles);
        }
        SheetKind::Settings => {
            put(col(SettingKey), Field::SettingKey);
            put(col(SettingValue), Field::SettingValue);
        }
        SheetKind::Ignored => {}
    }
    out
}

/// Builds the mapping of a detected sheet: kind, header row, columns with their header text.
pub(crate) fn build_mapping(
    name: &str,
    kind: SheetKind,
    header_row: u64,
    headers: &[(usize, String)],
    fields: &BTreeMap<usize, Field>,
) -> SheetMapping {
    let mut m = SheetMapping::new(name, kind);
    m.header_row = Some(header_row);
    for (c, f) in fields {
        let letter = column_letter(*c);
        if let Some((_, h)) = headers.iter().find(|(hc, _)| hc == c) {
            m.headers.insert(letter.clone(), h.clone());
        }
        m.columns.insert(letter, *f);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(hs: &[&str]) -> Vec<(usize, String)> {
        hs.iter()
            .enumerate()
            .map(|(i, h)| (i, h.to_string()))
            .collect()
    }

    #[test]
    fn header_words() {
        assert_eq!(role_of("Réf.\u{a0}exigence"), Some(Role::ReqId));
        assert_eq!(role_of("N° étape"), Some(Role::StepNo));
        assert_eq!(role_of("Résultat attendu (écran)"), Some(Role::Expected));
        assert_eq!(role_of("Exigence(s)"), Some(Role::ReqId));
        assert_eq!(role_of("PRÉ-REQUIS"), Some(Role::Prerequisites));
        assert_eq!(role_of("Résultat"), Some(Role::ExecStatus));
        assert_eq!(role_of("Statut d'exécution"), Some(Role::ExecStatus));
        assert_eq!(role_of("Clé d'automatisation"), Some(Role::AutomationKey));
        assert_eq!(role_of("Cahier de recette – Immatriculation"), None);
    }

    #[test]
    fn kinds() {
        let k = |hs: &[&str], n: &str| detect_kind(&roles(&cells(hs)), n);
        assert_eq!(
            k(&["Réf. exigence", "Libellé", "Criticité", "Lot"], "Feuil1"),
            Some(SheetKind::Requirements)
        );
        assert_eq!(
            k(
                &[
                    "Réf.",
                    "Intitulé",
                    "Exigences couvertes",
                    "Étape",
                    "Action",
                    "Résultat attendu"
                ],
                "X"
            ),
            Some(SheetKind::TestCases)
        );
        assert_eq!(k(&["Exigence", "Cas de test"], "X"), Some(SheetKind::Links));
        assert_eq!(
            k(
                &["Cas de test", "Résultat", "Testeur", "Date d'exécution"],
                "X"
            ),
            Some(SheetKind::Results)
        );
        assert_eq!(
            k(&["N° FA", "Titre", "Sévérité", "Statut"], "X"),
            Some(SheetKind::Anomalies)
        );
        assert_eq!(
            k(
                &[
                    "Campagne",
                    "Cas de test",
                    "N° étape",
                    "Action",
                    "Résultat attendu",
                    "Statut",
                    "Commentaire",
                    "Anomalie",
                    "Testeur",
                    "Date",
                    "Tentative de base"
                ],
                "X"
            ),
            Some(SheetKind::Results)
        );
        assert_eq!(
            k(&["ID", "Titre", "Priorité"], "Exigences"),
            Some(SheetKind::Requirements)
        );
        assert_eq!(
            k(&["ID", "Titre", "Priorité"], "Cas de test"),
            Some(SheetKind::TestCases)
        );
        assert_eq!(k(&["Date", "Auteur", "Version"], "Historique"), None);
        // The sheets of a project workbook.
        assert_eq!(
            k(&["Référence", "Version", "Titulaire", "Date prévue"], "X"),
            Some(SheetKind::Deliveries)
        );
        assert_eq!(
            k(
                &["Référence", "Titre", "Type de critère", "Règle", "Bloquant"],
                "X"
            ),
            Some(SheetKind::Strategies)
        );
        assert_eq!(
            k(
                &["Référence", "Titre", "Phase", "Livraison", "Stratégie"],
                "X"
            ),
            Some(SheetKind::Campaigns)
        );
        assert_eq!(
            k(
                &["Campagne", "Cas de test", "Jeu de données", "Attribué à"],
                "X"
            ),
            Some(SheetKind::PlannedTests)
        );
        assert_eq!(
            k(&["Campagne", "N° PV", "Décision", "Signé le"], "X"),
            Some(SheetKind::Decisions)
        );
        assert_eq!(
            k(&["Réglage", "Valeur"], "Projet"),
            Some(SheetKind::Settings)
        );
        // A vendor's results sheet with a campaign and a tester stays a results sheet.
        assert_eq!(
            k(
                &["Campagne", "Cas de test", "Statut", "Testeur", "Attribué à"],
                "X"
            ),
            Some(SheetKind::Results)
        );
    }

    #[test]
    fn step_column_is_number_or_action() {
        let with = fields_for(
            SheetKind::TestCases,
            &roles(&cells(&["Réf", "Étape", "Action"])),
        );
        assert_eq!(with.get(&1), Some(&Field::StepNumber));
        let without = fields_for(
            SheetKind::TestCases,
            &roles(&cells(&["Réf", "Étape", "Attendu"])),
        );
        assert_eq!(without.get(&1), Some(&Field::Action));
    }
}
