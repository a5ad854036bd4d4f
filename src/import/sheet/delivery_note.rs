//! Delivery notes (bordereaux de livraison) into a [`DeliveryNoteRecord`].
//!
//! A vendor's note lists what a delivery contains: the anomalies it fixes, the requirements it
//! delivers or changes, the documents that come with it, and its version and date. Layouts
//! vary as much as test books, so the same approach is taken: headers are found by their words
//! (the anomaly, requirement and status words of the workbook reader, plus a few of notes), a
//! sheet may hold several tables one below the other, and "Version : 1.1.0" or "Date de
//! livraison | 14/03/2026" lines above the tables give the version and date. Every problem is
//! an issue naming its cell.
//!
//! A table header needs a reference column (anomaly, requirement or document) whose header has
//! no digit, at least one other recognised column, and at most one unrecognised cell: a lone
//! "Anomalies corrigées" title line or a data line such as "FA-002 | Libellé tronqué" is not
//! taken for one.

use std::path::Path;

use super::cells::{parse_date, split_list, tr};
use super::grid::Row;
use super::header::{role_of, Role};
use super::mapping::column_letter;
use crate::error::Result;
use crate::i18n::Lang;
use crate::import::records::{DeliveryNoteRecord, ImportIssue, NoteLine, Origin, SheetSummary};
use crate::model::normalize_word;

/// What a column of a note holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Anomaly,
    Requirement,
    Document,
    Nature,
    State,
    Comment,
}

/// Header words of notes, folded, tried before the workbook reader's synonyms.
#[rustfmt::skip]
const NOTE_WORDS: &[(Col, &[&str])] = &[
    (Col::Anomaly, &["correction", "corrections", "anomalie corrigee", "anomalies corrigees", "fa corrigee",
        "fa corrigees", "ticket corrige", "tickets corriges", "corrige", "fixes", "fixed", "fixed issues"]),
    (Col::Requirement, &["exigence livree", "exigences livrees", "exigence modifiee", "exigences modifiees",
        "exigences livrees ou modifiees"]),
    (Col::Document, &["document", "documents", "livrable", "livrables", "document livre", "documents livres",
        "documentation", "nom du document", "deliverable"]),
    (Col::Nature, &["nature", "nature de la modification", "type de modification", "type de livraison",
        "livree modifiee", "change", "nature du changement"]),
    (Col::State, &["etat du document", "etat de livraison"]),
];

/// Keys of the lines giving the version and the date.
const VERSION_KEYS: &[&str] = &[
    "version",
    "version livree",
    "numero de version",
    "n de version",
    "version du logiciel",
    "version logicielle",
    "release",
];
const DATE_KEYS: &[&str] = &[
    "date de livraison",
    "date",
    "livree le",
    "date de mise a disposition",
    "delivery date",
    "date de la livraison",
];

fn col_of(header: &str) -> Option<Col> {
    let folded = normalize_word(header);
    let mut best: Option<(usize, Col)> = None;
    for (c, words) in NOTE_WORDS {
        for w in *words {
            if folded == *w {
                return Some(*c);
            }
            let boundary = folded.len() > w.len()
                && folded.starts_with(w)
                && folded.as_bytes().get(w.len()) == Some(&b' ');
            if boundary && best.is_none_or(|(l, _)| w.len() > l) {
                best = Some((w.len(), *c));
            }
        }
    }
    if let Some((_, c)) = best {
        return Some(c);
    }
    match role_of(header)? {
        Role::Anomalies => Some(Col::Anomaly),
        Role::ReqId => Some(Col::Requirement),
        Role::Status => Some(Col::State),
        Role::Comment | Role::Title | Role::Description => Some(Col::Comment),
        Role::Mode => Some(Col::Nature),
        _ => None,
    }
}

/// The columns of a header row, when it is one.
fn header_of(row: &Row) -> Option<Vec<(usize, Col, String)>> {
    let mut cols: Vec<(usize, Col, String)> = Vec::new();
    for (i, text) in &row.cells {
        if let Some(c) = col_of(text) {
            if !cols.iter().any(|(_, o, _)| *o == c) {
                cols.push((*i, c, text.clone()));
            }
        }
    }
    // A reference column's header has no digit ("FA-002" folds to "fa 002", which starts
    // like the header "FA"), and a header row is mostly header words.
    let key = cols.iter().any(|(_, c, t)| {
        matches!(c, Col::Anomaly | Col::Requirement | Col::Document)
            && !t.bytes().any(|b| b.is_ascii_digit())
    });
    (key && cols.len() >= 2 && cols.len() + 1 >= row.cells.len()).then_some(cols)
}

/// Reads a requirement's nature word: `delivered` or `changed`.
fn nature(word: &str) -> Option<&'static str> {
    match normalize_word(word).as_str() {
        "livree" | "livre" | "nouvelle" | "nouveau" | "ajoutee" | "ajout" | "creee"
        | "creation" | "implementee" | "realisee" | "delivered" | "new" | "added" => {
            Some("delivered")
        }
        "modifiee" | "modifie" | "modification" | "changee" | "change" | "changed" | "modified"
        | "mise a jour" | "evolution" | "evoluee" | "corrigee" | "updated" => Some("changed"),
        _ => None,
    }
}

/// The value of a "key : value" line: the text after the key's colon in the same cell, else
/// the next non-empty cell of the row.
fn key_value(row: &Row, keys: &[&str]) -> Option<(usize, String)> {
    let (first_col, first) = row.cells.first()?;
    let (key, inline) = match first.split_once([':', '：']) {
        Some((k, v)) => (k, Some(v.trim())),
        None => (first.as_str(), None),
    };
    if !keys.contains(&normalize_word(key).as_str()) {
        return None;
    }
    match inline.filter(|v| !v.is_empty()) {
        Some(v) => Some((*first_col, v.to_string())),
        None => row.cells.get(1).map(|(c, v)| (*c, v.clone())),
    }
}

/// Reads a delivery note (xlsx, xls, ods, csv).
pub fn read_delivery_note(path: &Path, lang: Lang) -> Result<DeliveryNoteRecord> {
    let file = crate::import::display_name(path);
    let mut note = DeliveryNoteRecord::default();
    super::visit_sheets(path, lang, &mut |name, rows, note_issue| {
        if let Some(issue) = note_issue {
            note.issues.push(issue);
            note.sheets.push(SheetSummary {
                file: file.clone(),
                sheet: name.to_string(),
                kind: "ignored".into(),
                reason: None,
                rows: 0,
                ..SheetSummary::default()
            });
            return;
        }
        let origin = Origin::file(&file).with_sheet(name);
        let rows: Vec<Row> = rows.filter(|r| !r.is_blank()).collect();
        let n = read_sheet(&origin, &rows, lang, &mut note);
        note.sheets.push(SheetSummary {
            file: file.clone(),
            sheet: name.to_string(),
            kind: if n > 0 { "delivery_note" } else { "ignored" }.into(),
            reason: None,
            rows: n,
            ..SheetSummary::default()
        });
    })?;
    Ok(note)
}

/// Reads one sheet's tables and key lines; returns the number of data rows read.
fn read_sheet(origin: &Origin, rows: &[Row], lang: Lang, note: &mut DeliveryNoteRecord) -> u64 {
    let mut header: Option<Vec<(usize, Col, String)>> = None;
    let mut n = 0;
    for (i, row) in rows.iter().enumerate() {
        if let Some(h) = header_of(row) {
            header = Some(h);
            continue;
        }
        let at = |c: usize, h: Option<&str>| {
            origin.with_row(row.number).with_column(column_letter(c), h)
        };
        let Some(cols) = &header else {
            if note.version.is_none() {
                if let Some((c, v)) = key_value(row, VERSION_KEYS) {
                    note.version = Some((v, at(c, None)));
                    continue;
                }
            }
            if note.delivered_date.is_none() {
                if let Some((c, v)) = key_value(row, DATE_KEYS) {
                    match parse_date(&v) {
                        Some(d) => note.delivered_date = Some((d, at(c, None))),
                        None => note.issues.push(ImportIssue {
                            origin: at(c, None),
                            message: tr!(
                                lang,
                                "date illisible « {} » ; formats acceptés : jj/mm/aaaa, aaaa-mm-jj",
                                "unreadable date \"{}\"; accepted formats: dd/mm/yyyy, yyyy-mm-dd",
                                v
                            ),
                        }),
                    }
                }
            }
            continue;
        };
        // A title line just above the next table ("2. Documents livrés") is not data.
        let next_is_header = rows.get(i + 1).and_then(header_of).is_some();
        if row.cells.len() == 1 && next_is_header {
            continue;
        }
        let cell = |c: Col| {
            cols.iter()
                .find(|(_, o, _)| *o == c)
                .map(|(i, _, h)| (*i, row.get(*i), h.as_str()))
                .filter(|(_, t, _)| !t.is_empty())
        };
        let comment = cell(Col::Comment)
            .map(|(_, t, _)| t.to_string())
            .unwrap_or_default();
        let mut used = false;
        if let Some((c, text, h)) = cell(Col::Anomaly) {
            for r in split_list(text) {
                note.fixes.push(NoteLine {
                    origin: at(c, Some(h)),
                    reference: r,
                    detail: String::new(),
                    comment: comment.clone(),
                });
            }
            used = true;
        }
        if let Some((c, text, h)) = cell(Col::Requirement) {
            let change = match cell(Col::Nature) {
                None => Some("delivered"),
                Some((nc, w, nh)) => {
                    let v = nature(w);
                    if v.is_none() {
                        note.issues.push(ImportIssue {
                            origin: at(nc, Some(nh)),
                            message: tr!(
                                lang,
                                "nature inconnue « {} » ; valeurs acceptées : livrée, modifiée",
                                "unknown nature \"{}\"; accepted values: delivered, changed",
                                w
                            ),
                        });
                    }
                    v
                }
            };
            if let Some(change) = change {
                for r in split_list(text) {
                    note.requirements.push(NoteLine {
                        origin: at(c, Some(h)),
                        reference: r,
                        detail: change.to_string(),
                        comment: comment.clone(),
                    });
                }
            }
            used = true;
        }
        if let Some((c, text, h)) = cell(Col::Document) {
            let state = match cell(Col::State) {
                None => Some("received"),
                Some((sc, w, sh)) => match crate::store::parse_document_state(w) {
                    Ok(s) => Some(s),
                    Err(_) => {
                        note.issues.push(ImportIssue {
                            origin: at(sc, Some(sh)),
                            message: tr!(lang, "état de document inconnu « {} » ; valeurs acceptées : attendu, reçu, accepté, refusé",
                                "unknown document state \"{}\"; accepted values: expected, received, accepted, refused", w),
                        });
                        None
                    }
                },
            };
            if let Some(state) = state {
                note.documents.push(NoteLine {
                    origin: at(c, Some(h)),
                    reference: text.to_string(),
                    detail: state.to_string(),
                    comment: comment.clone(),
                });
            }
            used = true;
        }
        if used {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u64, cells: &[&str]) -> Row {
        Row {
            number: n,
            cells: cells
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.is_empty())
                .map(|(i, t)| (i, t.to_string()))
                .collect(),
        }
    }

    #[test]
    fn stacked_tables_and_key_lines() {
        let rows = vec![
            row(1, &["Bordereau de livraison"]),
            row(2, &["Version : 1.1.0"]),
            row(3, &["Date de livraison", "14/03/2026"]),
            row(5, &["1. Anomalies corrigées"]),
            row(6, &["N° FA", "Titre"]),
            row(7, &["FA-001", "Taxe"]),
            row(8, &["FA-002, FA-003", "Libellé tronqué"]),
            row(10, &["2. Exigences"]),
            row(11, &["Exigence", "Nature", "Commentaire"]),
            row(12, &["EXI-1", "Modifiée", ""]),
            row(13, &["EXI-2", "", ""]),
            row(14, &["EXI-3", "peut-être", ""]),
            row(16, &["Document", "État"]),
            row(17, &["Notes de version", "Livré"]),
        ];
        let mut note = DeliveryNoteRecord::default();
        let origin = Origin::file("b.xlsx").with_sheet("Bordereau");
        let n = read_sheet(&origin, &rows, Lang::Fr, &mut note);
        assert_eq!(n, 6);
        assert_eq!(note.version.as_ref().map(|v| v.0.as_str()), Some("1.1.0"));
        assert_eq!(
            note.delivered_date.as_ref().map(|v| v.0.as_str()),
            Some("2026-03-14")
        );
        let fixes: Vec<&str> = note.fixes.iter().map(|f| f.reference.as_str()).collect();
        assert_eq!(fixes, ["FA-001", "FA-002", "FA-003"]);
        let reqs: Vec<(&str, &str)> = note
            .requirements
            .iter()
            .map(|r| (r.reference.as_str(), r.detail.as_str()))
            .collect();
        assert_eq!(reqs, [("EXI-1", "changed"), ("EXI-2", "delivered")]);
        assert_eq!(note.documents[0].detail, "received");
        assert_eq!(note.issues.len(), 1);
        assert_eq!(
            note.issues[0].to_string(),
            "b.xlsx › Bordereau › ligne 14 › B « Nature » : nature inconnue « peut-être » ; valeurs acceptées : livrée, modifiée"
        );
    }
}
