//! The four Squash TM sheets, each read into records: test cases, steps, requirements, links.

use std::collections::HashMap;

use super::{action_ok, folders, issue, path_key, require, split_path, Table};
use crate::import::records::{ImportBatch, LinkRecord, RequirementRecord, TestCaseRecord};
use crate::interop::html::html_to_text;
use crate::interop::tr;
use crate::model::{Criticality, ReqStatus, Step};
use crate::Error;

pub(super) fn read_test_cases(
    t: &Table,
    batch: &mut ImportBatch,
    refs: &mut HashMap<String, usize>,
) {
    let used = [
        "ACTION",
        "TC_PATH",
        "TC_REFERENCE",
        "TC_NAME",
        "TC_DESCRIPTION",
        "TC_PRE_REQUISITE",
        "TC_IMPORTANCE",
        "TC_NATURE",
        "TC_TYPE",
        "TC_CUF_*",
    ];
    let before = batch.test_cases.len();
    if require(t, batch, &["TC_PATH", "TC_REFERENCE"]) {
        for (row, cells) in &t.rows {
            let row = *row;
            if !action_ok(t, batch, row, cells) {
                continue;
            }
            let segments = split_path(t.get(cells, "TC_PATH"));
            let reference = t.get(cells, "TC_REFERENCE").to_string();
            if segments.len() < 2 || reference.is_empty() {
                let msg = tr!(
                    t.lang,
                    "TC_PATH (/Projet/.../Nom) et TC_REFERENCE sont obligatoires",
                    "TC_PATH (/Project/.../Name) and TC_REFERENCE are required"
                );
                issue(batch, t.origin(row), msg);
                continue;
            }
            if batch.test_cases.iter().any(|tc| tc.reference == reference) {
                let msg = tr!(
                    t.lang,
                    "référence « {reference} » en double",
                    "duplicate reference \"{reference}\""
                );
                issue(batch, t.cell_origin(row, "TC_REFERENCE"), msg);
                continue;
            }
            let priority = match t.get(cells, "TC_IMPORTANCE").to_ascii_uppercase().as_str() {
                "" => None,
                "VERY_HIGH" => Some("très haute".to_string()),
                "HIGH" => Some("haute".to_string()),
                "MEDIUM" => Some("moyenne".to_string()),
                "LOW" => Some("basse".to_string()),
                other => {
                    let msg = tr!(t.lang,
                        "TC_IMPORTANCE « {other} » inconnue (VERY_HIGH, HIGH, MEDIUM ou LOW attendu)",
                        "unknown TC_IMPORTANCE \"{other}\" (VERY_HIGH, HIGH, MEDIUM or LOW expected)");
                    issue(batch, t.cell_origin(row, "TC_IMPORTANCE"), msg);
                    None
                }
            };
            let mut tags: Vec<String> = ["TC_NATURE", "TC_TYPE"]
                .iter()
                .map(|c| t.get(cells, c).to_string())
                .filter(|v| !v.is_empty() && !v.to_ascii_uppercase().ends_with("UNDEFINED"))
                .collect();
            for (i, h) in t.headers.iter().enumerate() {
                let value = cells.get(i).map_or("", |v| v.trim());
                if let Some(code) = h
                    .trim()
                    .to_ascii_uppercase()
                    .strip_prefix("TC_CUF_")
                    .filter(|_| !value.is_empty())
                {
                    tags.push(format!("{code} : {value}"));
                }
            }
            let text = |c: &str| Some(html_to_text(t.get(cells, c))).filter(|s| !s.is_empty());
            refs.insert(segments.join("/"), batch.test_cases.len());
            batch.test_cases.push(TestCaseRecord {
                origin: t.origin(row),
                title: text("TC_NAME").or_else(|| segments.last().cloned()),
                objective: text("TC_DESCRIPTION"),
                prerequisites: text("TC_PRE_REQUISITE"),
                tags: (!tags.is_empty()).then_some(tags),
                priority,
                category: folders(&segments),
                reference,
                ..TestCaseRecord::default()
            });
        }
    }
    batch
        .sheets
        .push(t.summary("test_cases", &used, batch.test_cases.len() - before, None));
}

pub(super) fn read_steps(t: &Table, batch: &mut ImportBatch, refs: &HashMap<String, usize>) {
    let used = [
        "ACTION",
        "TC_OWNER_PATH",
        "TC_STEP_NUM",
        "TC_STEP_IS_CALL_STEP",
        "TC_STEP_ACTION",
        "TC_STEP_EXPECTED_RESULT",
    ];
    let mut numbered: HashMap<usize, Vec<(f64, Step)>> = HashMap::new();
    let mut count = 0;
    if require(t, batch, &["TC_OWNER_PATH", "TC_STEP_ACTION"]) {
        for (row, cells) in &t.rows {
            let row = *row;
            if !action_ok(t, batch, row, cells) {
                continue;
            }
            let owner = t.get(cells, "TC_OWNER_PATH");
            let Some(&index) = refs.get(&path_key(owner)) else {
                let msg =
                    tr!(t.lang,
                    "pas de cas de test « {owner} » dans la feuille TEST_CASES des classeurs lus",
                    "no test case \"{owner}\" in the TEST_CASES sheets of the workbooks read");
                issue(batch, t.cell_origin(row, "TC_OWNER_PATH"), msg);
                continue;
            };
            let num = t
                .get(cells, "TC_STEP_NUM")
                .parse::<f64>()
                .unwrap_or(row as f64);
            let call = matches!(
                t.get(cells, "TC_STEP_IS_CALL_STEP")
                    .to_ascii_uppercase()
                    .as_str(),
                "1" | "TRUE" | "Y" | "YES" | "OUI"
            );
            let action = html_to_text(t.get(cells, "TC_STEP_ACTION"));
            let action = if call {
                format!("Appel du cas de test : {action}")
            } else {
                action
            };
            let expected = html_to_text(t.get(cells, "TC_STEP_EXPECTED_RESULT"));
            numbered
                .entry(index)
                .or_default()
                .push((num, Step { action, expected }));
            count += 1;
        }
    }
    for (index, mut steps) in numbered {
        steps.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(tc) = batch.test_cases.get_mut(index) {
            tc.steps = Some(steps.into_iter().map(|(_, s)| s).collect());
        }
    }
    batch.sheets.push(t.summary(
        "test_cases",
        &used,
        count,
        Some(tr!(t.lang, "étapes des cas de test", "test case steps")),
    ));
}

fn category_label(code: &str) -> Option<String> {
    let label = match code.to_ascii_uppercase().as_str() {
        "" | "CAT_UNDEFINED" | "UNDEFINED" => return None,
        "CAT_FUNCTIONAL" => "Fonctionnelle",
        "CAT_NON_FUNCTIONAL" => "Non fonctionnelle",
        "CAT_USE_CASE" => "Cas d'utilisation",
        "CAT_BUSINESS" => "Métier",
        "CAT_TEST_REQUIREMENT" => "Exigence de test",
        "CAT_PERFORMANCE" => "Performance",
        "CAT_SECURITY" => "Sécurité",
        "CAT_ERGONOMIC" => "Ergonomie",
        "CAT_USER_STORY" => "User story",
        "CAT_TECHNICAL" => "Technique",
        _ => return Some(code.to_string()),
    };
    Some(label.to_string())
}

pub(super) fn read_requirements(
    t: &Table,
    batch: &mut ImportBatch,
    refs: &mut HashMap<String, String>,
) {
    let used = [
        "ACTION",
        "REQ_PATH",
        "REQ_NUM",
        "REQ_VERSION_NUM",
        "REQ_VERSION_REFERENCE",
        "REQ_VERSION_NAME",
        "REQ_VERSION_CRITICALITY",
        "REQ_VERSION_CATEGORY",
        "REQ_VERSION_STATUS",
        "REQ_VERSION_DESCRIPTION",
    ];
    // Squash TM writes one row per requirement version: keep the highest version of each path.
    let mut latest: HashMap<String, (f64, u64)> = HashMap::new();
    for (row, cells) in &t.rows {
        let version = t
            .get(cells, "REQ_VERSION_NUM")
            .parse::<f64>()
            .unwrap_or(1.0);
        let key = path_key(t.get(cells, "REQ_PATH"));
        let entry = latest.entry(key).or_insert((version, *row));
        if version > entry.0 {
            *entry = (version, *row);
        }
    }
    let before = batch.requirements.len();
    let mut older = 0;
    if require(t, batch, &["REQ_PATH", "REQ_VERSION_REFERENCE"]) {
        for (row, cells) in &t.rows {
            let row = *row;
            let segments = split_path(t.get(cells, "REQ_PATH"));
            if latest
                .get(&segments.join("/"))
                .is_some_and(|(_, r)| *r != row)
            {
                older += 1;
                continue;
            }
            if !action_ok(t, batch, row, cells) {
                continue;
            }
            let reference = t.get(cells, "REQ_VERSION_REFERENCE").to_string();
            if segments.len() < 2 || reference.is_empty() {
                let msg = tr!(
                    t.lang,
                    "REQ_PATH (/Projet/.../Nom) et REQ_VERSION_REFERENCE sont obligatoires",
                    "REQ_PATH (/Project/.../Name) and REQ_VERSION_REFERENCE are required"
                );
                issue(batch, t.origin(row), msg);
                continue;
            }
            if refs.values().any(|r| *r == reference) {
                let msg = tr!(
                    t.lang,
                    "référence « {reference} » en double",
                    "duplicate reference \"{reference}\""
                );
                issue(batch, t.cell_origin(row, "REQ_VERSION_REFERENCE"), msg);
                continue;
            }
            let criticality = match t
                .get(cells, "REQ_VERSION_CRITICALITY")
                .to_ascii_uppercase()
                .as_str()
            {
                "" | "UNDEFINED" => None,
                word => match Criticality::parse(word) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        let e = Error::from(e).message(t.lang);
                        let msg = tr!(
                            t.lang,
                            "{e} (ou CRITICAL, MAJOR, MINOR, UNDEFINED)",
                            "{e} (or CRITICAL, MAJOR, MINOR, UNDEFINED)"
                        );
                        issue(batch, t.cell_origin(row, "REQ_VERSION_CRITICALITY"), msg);
                        None
                    }
                },
            };
            let status = match t
                .get(cells, "REQ_VERSION_STATUS")
                .to_ascii_uppercase()
                .as_str()
            {
                "" => None,
                "WORK_IN_PROGRESS" | "UNDER_REVIEW" => Some(ReqStatus::Brouillon),
                "APPROVED" => Some(ReqStatus::Validee),
                "OBSOLETE" => Some(ReqStatus::Obsolete),
                word => match ReqStatus::parse(word) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        let e = Error::from(e).message(t.lang);
                        let msg = tr!(
                            t.lang,
                            "{e} (ou WORK_IN_PROGRESS, UNDER_REVIEW, APPROVED, OBSOLETE)",
                            "{e} (or WORK_IN_PROGRESS, UNDER_REVIEW, APPROVED, OBSOLETE)"
                        );
                        issue(batch, t.cell_origin(row, "REQ_VERSION_STATUS"), msg);
                        None
                    }
                },
            };
            let text = |c: &str| Some(html_to_text(t.get(cells, c))).filter(|s| !s.is_empty());
            refs.insert(segments.join("/"), reference.clone());
            batch.requirements.push(RequirementRecord {
                origin: t.origin(row),
                title: text("REQ_VERSION_NAME").or_else(|| segments.last().cloned()),
                description: text("REQ_VERSION_DESCRIPTION"),
                criticality,
                category: folders(&segments)
                    .or_else(|| category_label(t.get(cells, "REQ_VERSION_CATEGORY"))),
                status,
                source: None,
                reference,
            });
        }
    }
    let note = (older > 0).then(|| {
        tr!(
            t.lang,
            "{older} version(s) antérieure(s) ignorée(s)",
            "{older} earlier version(s) ignored"
        )
    });
    batch.sheets.push(t.summary(
        "requirements",
        &used,
        batch.requirements.len() - before,
        note,
    ));
}

pub(super) fn read_links(
    t: &Table,
    batch: &mut ImportBatch,
    tcs: &HashMap<String, usize>,
    reqs: &HashMap<String, String>,
) {
    let used = ["ACTION", "REQ_PATH", "REQ_VERSION_NUM", "TC_PATH"];
    let before = batch.links.len();
    if require(t, batch, &["REQ_PATH", "TC_PATH"]) {
        for (row, cells) in &t.rows {
            let row = *row;
            if !action_ok(t, batch, row, cells) {
                continue;
            }
            let (req_path, tc_path) = (t.get(cells, "REQ_PATH"), t.get(cells, "TC_PATH"));
            let requirement = reqs.get(&path_key(req_path));
            let test = tcs
                .get(&path_key(tc_path))
                .and_then(|&i| batch.test_cases.get(i))
                .map(|tc| tc.reference.clone());
            match (requirement, test) {
                (Some(r), Some(tc)) => batch.links.push(LinkRecord {
                    origin: t.origin(row),
                    requirement_ref: r.clone(),
                    test_ref: tc,
                }),
                (None, _) => {
                    let msg = tr!(t.lang,
                        "exigence « {req_path} » absente des feuilles REQUIREMENT des classeurs lus (lisez ensemble les classeurs d'exigences et de cas de test)",
                        "requirement \"{req_path}\" is in no REQUIREMENT sheet of the workbooks read (read the requirement and test case workbooks together)");
                    issue(batch, t.cell_origin(row, "REQ_PATH"), msg);
                }
                (_, None) => {
                    let msg = tr!(t.lang,
                        "cas de test « {tc_path} » absent des feuilles TEST_CASES des classeurs lus (lisez ensemble les classeurs d'exigences et de cas de test)",
                        "test case \"{tc_path}\" is in no TEST_CASES sheet of the workbooks read (read the requirement and test case workbooks together)");
                    issue(batch, t.cell_origin(row, "TC_PATH"), msg);
                }
            }
        }
    }
    batch
        .sheets
        .push(t.summary("links", &used, batch.links.len() - before, None));
}
