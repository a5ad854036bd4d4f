//! Rows to records for requirements, test cases, links and anomalies (results are in
//! `results.rs`).
//!
//! Readers keep going after a bad cell so that one import reports every problem at once; a bad
//! value leaves its field empty and adds an issue, which (without `--partial`) stops the store
//! from writing anything.

use super::cells::{tr, Seen, SheetCtx};
use super::grid::Row;
use super::mapping::Field;
use crate::import::records::{
    AnomalyRecord, DatasetRecord, LinkRecord, RecordSink, RequirementRecord, TestCaseRecord,
};
use crate::model::{AnomalyStatus, Criticality, ReqStatus, Severity, Step, TestKind};

/// Reports a row holding data but no reference.
fn no_reference(ctx: &mut SheetCtx, row: u64) {
    let msg = tr!(ctx.lang, "ligne sans référence", "row without a reference");
    ctx.issue(row, Some(Field::Reference), msg);
}

/// Calls `f` for each row that holds data and a reference seen for the first time in the file
/// (a row without reference or with a duplicate one is an issue); returns the rows read.
pub(crate) fn each_referenced_row(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    seen: &mut Seen,
    kind: &'static str,
    mut f: impl FnMut(&mut SheetCtx, &Row, String),
) -> u64 {
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let Some(reference) = ctx.string(&row, Field::Reference) else {
            no_reference(ctx, row.number);
            continue;
        };
        if ctx.first_time(seen, kind, &reference, row.number) {
            f(ctx, &row, reference);
        }
    }
    n
}

/// One requirement per row; a test reference column adds links.
pub(crate) fn read_requirements(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    seen: &mut Seen,
    batch: &mut dyn RecordSink,
) -> u64 {
    each_referenced_row(ctx, rows, seen, "requirement", |ctx, row, reference| {
        let origin = ctx.at(row.number, None);
        for test_ref in ctx.list(row, Field::TestRef) {
            batch.link(LinkRecord {
                origin: origin.clone(),
                requirement_ref: reference.clone(),
                test_ref,
            });
        }
        batch.requirement(RequirementRecord {
            title: ctx.string(row, Field::Title),
            description: ctx.string(row, Field::Description),
            criticality: ctx.word::<Criticality>(row, Field::Criticality),
            category: ctx.string(row, Field::Category),
            status: ctx.word::<ReqStatus>(row, Field::Status),
            source: ctx.string(row, Field::Source),
            origin,
            reference,
        });
    })
}

/// Test cases with their steps. A row whose reference is blank, or repeats the reference of the
/// test above, continues that test: its action and expected result become the next step and
/// its requirement references and tags are added.
///
/// Blank cells never erase: a test whose step cells are all blank gets `steps: None` and one
/// whose tag cells are all blank gets `tags: None`, so the stored steps and tags are kept (a
/// vendor sheet listing only references and titles must not wipe the steps typed in recette).
/// Steps and tags read from the sheet replace the stored ones.
pub(crate) fn read_test_cases(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    seen: &mut Seen,
    batch: &mut dyn RecordSink,
) -> u64 {
    let mut current: Option<TestCaseRecord> = None;
    // A duplicated test's own rows are skipped silently after the first issue.
    let mut skipping: Option<String> = None;
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let id = ctx.string(&row, Field::Reference);
        let continues = match (&id, &current) {
            (None, _) => true,
            (Some(i), Some(c)) => *i == c.reference,
            (Some(_), None) => false,
        };
        if continues {
            if id.is_none() && skipping.is_some() {
                continue;
            }
            let has_step = [Field::StepNumber, Field::Action, Field::Expected]
                .iter()
                .any(|f| ctx.text(&row, *f).is_some());
            let has_refs = ctx.text(&row, Field::RequirementRef).is_some()
                || ctx.text(&row, Field::Tags).is_some();
            let has_dataset = ctx.text(&row, Field::Dataset).is_some()
                || ctx.text(&row, Field::Parameters).is_some();
            match current.as_mut() {
                Some(rec) if has_step || has_refs || has_dataset || id.is_some() => {
                    rec.last_row = Some(row.number);
                    add_step(ctx, rec, &row);
                    merge_lists(ctx, rec, &row);
                    add_dataset(ctx, rec, &row);
                }
                Some(_) => no_reference(ctx, row.number),
                None if has_step => {
                    let msg = tr!(
                        ctx.lang,
                        "étape sans cas de test au-dessus",
                        "step without a test case above"
                    );
                    ctx.issue(row.number, Some(Field::Reference), msg);
                }
                None => no_reference(ctx, row.number),
            }
            continue;
        }
        let Some(reference) = id else { continue };
        if let Some(done) = current.take() {
            batch.test_case(done);
        }
        if skipping.as_deref() == Some(reference.as_str()) {
            continue;
        }
        if !ctx.first_time(seen, "test_case", &reference, row.number) {
            skipping = Some(reference);
            continue;
        }
        skipping = None;
        let mut rec = new_test_case(ctx, &row, reference);
        add_step(ctx, &mut rec, &row);
        merge_lists(ctx, &mut rec, &row);
        add_dataset(ctx, &mut rec, &row);
        current = Some(rec);
    }
    if let Some(done) = current {
        batch.test_case(done);
    }
    n
}

/// The test case fields read from its first row.
fn new_test_case(ctx: &mut SheetCtx, row: &Row, reference: String) -> TestCaseRecord {
    let data = ctx
        .text(row, Field::TestData)
        .map(|d| tr!(ctx.lang, "Jeu de données : {}", "Test data: {}", d));
    let pre: Vec<String> = ctx
        .string(row, Field::Prerequisites)
        .into_iter()
        .chain(data)
        .collect();
    let kind = ctx
        .text(row, Field::TestKind)
        .and_then(|w| match TestKind::parse(w) {
            Some(k) => Some(k),
            None => {
                let msg = tr!(
                    ctx.lang,
                    "type inconnu « {} » ; valeurs acceptées : manuel, automatique",
                    "unknown test type \"{}\"; accepted values: manual, automated",
                    w
                );
                ctx.issue(row.number, Some(Field::TestKind), msg);
                None
            }
        });
    TestCaseRecord {
        origin: ctx.at(row.number, None),
        reference,
        title: ctx.string(row, Field::Title),
        objective: ctx.string(row, Field::Objective),
        prerequisites: (!pre.is_empty()).then(|| pre.join("\n")),
        steps: None,
        kind,
        automation_key: ctx.string(row, Field::AutomationKey),
        tags: None,
        priority: ctx.string(row, Field::Priority),
        category: ctx.string(row, Field::Category),
        requirement_refs: Vec::new(),
        datasets: None,
        last_row: None,
    }
}

/// Adds the row's data set (a name in the `Jeu de données` column, its values in the
/// `Paramètres` column, `cv=7; montant=31200`): one row per data set under the test.
fn add_dataset(ctx: &mut SheetCtx, rec: &mut TestCaseRecord, row: &Row) {
    let values = match ctx.text(row, Field::Parameters) {
        None => crate::params::Values::new(),
        Some(t) => match crate::params::parse_assignments(t) {
            Ok(v) => v,
            Err(e) => {
                let msg = e.message(ctx.lang);
                ctx.issue(row.number, Some(Field::Parameters), msg);
                return;
            }
        },
    };
    let Some(name) = ctx.string(row, Field::Dataset) else {
        if !values.is_empty() {
            let msg = tr!(
                ctx.lang,
                "paramètres sans jeu de données : nommez le jeu dans la colonne « Jeu de données »",
                "parameters without a data set: name the data set in the \"Jeu de données\" column"
            );
            ctx.issue(row.number, Some(Field::Parameters), msg);
        }
        return;
    };
    if !crate::params::valid_dataset_name(&name) {
        let msg = tr!(
            ctx.lang,
            "nom de jeu de données invalide « {} » (100 caractères au plus, sans espace au début ni à la fin)",
            "invalid data set name \"{}\" (at most 100 characters, no leading or trailing space)",
            name
        );
        ctx.issue(row.number, Some(Field::Dataset), msg);
        return;
    }
    let sets = rec.datasets.get_or_insert_with(Vec::new);
    if let Some(first) = sets.iter().find(|d| d.name == name) {
        let msg = tr!(
            ctx.lang,
            "jeu de données « {} » en double pour {} (déjà ligne {})",
            "duplicate data set \"{}\" for {} (already row {})",
            name,
            rec.reference,
            first.origin.row.unwrap_or_default()
        );
        ctx.issue(row.number, Some(Field::Dataset), msg);
        return;
    }
    sets.push(DatasetRecord {
        origin: ctx.at(row.number, Some(Field::Dataset)),
        name,
        parameters: values,
    });
}

/// Appends the row's step, if it has an action or an expected result.
fn add_step(ctx: &mut SheetCtx, rec: &mut TestCaseRecord, row: &Row) {
    // Validates the step number (an issue when it is not a number); steps keep row order.
    let _ = ctx.number(row, Field::StepNumber);
    let action = ctx.string(row, Field::Action).unwrap_or_default();
    let expected = ctx.string(row, Field::Expected).unwrap_or_default();
    if action.is_empty() && expected.is_empty() {
        return;
    }
    rec.steps
        .get_or_insert_with(Vec::new)
        .push(Step { action, expected });
}

/// Adds the row's requirement references and tags to the test case.
fn merge_lists(ctx: &SheetCtx, rec: &mut TestCaseRecord, row: &Row) {
    for r in ctx.list(row, Field::RequirementRef) {
        if !rec.requirement_refs.contains(&r) {
            rec.requirement_refs.push(r);
        }
    }
    let tags = ctx.list(row, Field::Tags);
    if !tags.is_empty() {
        let all = rec.tags.get_or_insert_with(Vec::new);
        for t in tags {
            if !all.contains(&t) {
                all.push(t);
            }
        }
    }
}

/// Requirement <-> test links; either cell may hold several references.
pub(crate) fn read_links(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    batch: &mut dyn RecordSink,
) -> u64 {
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let (reqs, tests) = (
            ctx.list(&row, Field::RequirementRef),
            ctx.list(&row, Field::TestRef),
        );
        if reqs.is_empty() || tests.is_empty() {
            let missing = if reqs.is_empty() {
                Field::RequirementRef
            } else {
                Field::TestRef
            };
            let msg = tr!(
                ctx.lang,
                "lien incomplet : une exigence et un cas de test sont attendus",
                "incomplete link: a requirement and a test case are expected"
            );
            ctx.issue(row.number, Some(missing), msg);
            continue;
        }
        let origin = ctx.at(row.number, None);
        for r in &reqs {
            for t in &tests {
                batch.link(LinkRecord {
                    origin: origin.clone(),
                    requirement_ref: r.clone(),
                    test_ref: t.clone(),
                });
            }
        }
    }
    n
}

/// One anomaly per row.
pub(crate) fn read_anomalies(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    seen: &mut Seen,
    batch: &mut dyn RecordSink,
) -> u64 {
    each_referenced_row(ctx, rows, seen, "anomaly", |ctx, row, reference| {
        batch.anomaly(AnomalyRecord {
            origin: ctx.at(row.number, None),
            title: ctx.string(row, Field::Title),
            description: ctx.string(row, Field::Description),
            found_in: ctx.string(row, Field::FoundIn),
            fixed_in: ctx.string(row, Field::FixedIn),
            severity: ctx.word::<Severity>(row, Field::Severity),
            status: ctx.word::<AnomalyStatus>(row, Field::Status),
            assignee: ctx.string(row, Field::Assignee),
            created_at: ctx.date(row, Field::CreatedAt),
            closed_at: ctx.date(row, Field::ClosedAt),
            reopen_count: ctx.number(row, Field::ReopenCount),
            reference,
        });
    })
}
