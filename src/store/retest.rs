//! Selecting the tests of a retest and non-regression campaign for a delivery.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::Serialize;

use super::{id_of, Store};
use crate::error::Result;
use crate::model::Criticality;

/// The documented, configurable non-regression rule. Defaults: every test of a critical
/// requirement, every test tagged `non-regression`, and every test whose latest result in the
/// previous campaign (the latest one on another delivery) was failed or blocked.
#[derive(Debug, Clone)]
pub struct RegressionRule {
    pub criticality: Vec<Criticality>,
    pub tags: Vec<String>,
    pub failed_in_last_campaign: bool,
}

impl Default for RegressionRule {
    fn default() -> Self {
        RegressionRule {
            criticality: vec![Criticality::Critique],
            tags: vec!["non-regression".into()],
            failed_in_last_campaign: true,
        }
    }
}

/// A test proposed for a retest campaign, with every reason it is in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedTest {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    /// Reason codes with their object, e.g. `retest FA-001`, `exigence livrée EXI-1`.
    pub reasons: Vec<String>,
}

impl Store {
    /// The tests a retest campaign on `delivery` needs, in order: retests of the anomalies the
    /// delivery fixes, tests of the requirements it delivers or changes, then the
    /// non-regression set. Each test appears once with all its reasons.
    pub fn retest_plan(&self, delivery: &str, rule: &RegressionRule) -> Result<Vec<PlannedTest>> {
        let did = id_of(self.conn(), "delivery", "livraison", delivery)?;
        // (order group, test ref) -> (title, reasons)
        let mut plan: BTreeMap<String, (u8, String, Vec<String>)> = BTreeMap::new();
        let add = |plan: &mut BTreeMap<String, (u8, String, Vec<String>)>,
                   group: u8,
                   t: String,
                   title: String,
                   reason: String| {
            let e = plan.entry(t).or_insert((group, title, Vec::new()));
            e.0 = e.0.min(group);
            if !e.2.contains(&reason) {
                e.2.push(reason);
            }
        };
        let rows: Vec<(String, String, String)> = self
            .conn()
            .prepare(
                "SELECT DISTINCT t.ref, t.title, a.ref FROM delivery_fix f
                 JOIN anomaly a ON a.id = f.anomaly_id
                 JOIN execution_anomaly ea ON ea.anomaly_id = a.id
                 JOIN execution e ON e.id = ea.execution_id
                 JOIN test_case t ON t.id = e.test_id
                 WHERE f.delivery_id = ?1 AND t.active = 1 ORDER BY a.ref, t.ref",
            )?
            .query_map([did], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (t, title, a) in rows {
            add(&mut plan, 0, t, title, format!("retest {a}"));
        }
        let rows: Vec<(String, String, String, String)> = self
            .conn()
            .prepare(
                "SELECT t.ref, t.title, r.ref, x.change FROM delivery_requirement x
                 JOIN requirement r ON r.id = x.requirement_id
                 JOIN link l ON l.requirement_id = r.id
                 JOIN test_case t ON t.id = l.test_id
                 WHERE x.delivery_id = ?1 AND t.active = 1 ORDER BY r.ref, t.ref",
            )?
            .query_map([did], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (t, title, r, change) in rows {
            let why = if change == "changed" {
                "exigence modifiée"
            } else {
                "exigence livrée"
            };
            add(&mut plan, 1, t, title, format!("{why} {r}"));
        }
        let crits: Vec<&str> = rule.criticality.iter().map(|c| c.code()).collect();
        let rows: Vec<(String, String, String, String)> = self
            .conn()
            .prepare(
                "SELECT t.ref, t.title, r.ref, r.criticality FROM test_case t
                 JOIN link l ON l.test_id = t.id JOIN requirement r ON r.id = l.requirement_id
                 WHERE t.active = 1 AND r.status != 'obsolete'
                   AND r.criticality IN (SELECT value FROM json_each(?1))
                 ORDER BY t.ref, r.ref",
            )?
            .query_map([serde_json::json!(crits).to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (t, title, r, c) in rows {
            add(
                &mut plan,
                2,
                t,
                title,
                format!("non-régression : exigence {c} {r}"),
            );
        }
        let rows: Vec<(String, String, String)> = self
            .conn()
            .prepare(
                "SELECT t.ref, t.title, g.tag FROM test_case t JOIN test_tag g ON g.test_id = t.id
                 WHERE t.active = 1 AND g.tag IN (SELECT value FROM json_each(?1)) ORDER BY t.ref",
            )?
            .query_map([serde_json::json!(rule.tags).to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (t, title, g) in rows {
            add(
                &mut plan,
                2,
                t,
                title,
                format!("non-régression : étiquette {g}"),
            );
        }
        if rule.failed_in_last_campaign {
            let last: Option<(i64, String)> = self
                .conn()
                .prepare(
                    "SELECT id, ref FROM campaign WHERE delivery_id IS NOT ?1
                     ORDER BY COALESCE(start_date, created_at) DESC, id DESC LIMIT 1",
                )?
                .query_map([did], |r| Ok((r.get(0)?, r.get(1)?)))?
                .next()
                .transpose()?;
            if let Some((cid, cref)) = last {
                let rows: Vec<(String, String, String)> = self
                    .conn()
                    .prepare(
                        "SELECT DISTINCT t.ref, t.title, e.status FROM execution e
                         JOIN test_case t ON t.id = e.test_id
                         WHERE e.campaign_id = ?1 AND t.active = 1 AND e.status IN ('failed', 'blocked')
                           AND e.attempt = (SELECT MAX(attempt) FROM execution x
                                            WHERE x.campaign_id = e.campaign_id AND x.test_id = e.test_id
                                              AND x.dataset = e.dataset)
                         ORDER BY t.ref, e.status",
                    )?
                    .query_map(params![cid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                for (t, title, st) in rows {
                    let what = if st == "failed" {
                        "en échec"
                    } else {
                        "bloqué"
                    };
                    add(
                        &mut plan,
                        2,
                        t,
                        title,
                        format!("{what} dans la campagne {cref}"),
                    );
                }
            }
        }
        let mut out: Vec<(u8, PlannedTest)> = plan
            .into_iter()
            .map(|(reference, (group, title, reasons))| {
                (
                    group,
                    PlannedTest {
                        reference,
                        title,
                        reasons,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.reference.cmp(&b.1.reference))
        });
        Ok(out.into_iter().map(|(_, t)| t).collect())
    }
}

/// A planned test's reason (as recorded, in French: « retest FA-001 ; non-régression :
/// exigence critique EXI-1 ») worded in `lang`; a part it does not know is left as it is.
pub fn reason_text(reason: &str, lang: crate::i18n::Lang) -> String {
    if lang == crate::i18n::Lang::Fr {
        return reason.to_string();
    }
    const EXACT: &[(&str, &str)] = &[
        ("désigné", "named"),
        ("toute la base active", "every active test"),
    ];
    const PREFIXES: &[(&str, &str)] = &[
        ("non-régression : ", "regression: "),
        ("exigence livrée ", "requirement delivered "),
        ("exigence modifiée ", "requirement changed "),
        ("exigence critique ", "critical requirement "),
        ("exigence majeure ", "major requirement "),
        ("exigence mineure ", "minor requirement "),
        ("exigence ", "requirement "),
        ("étiquette ", "tag "),
        ("en échec dans la campagne ", "failed in campaign "),
        ("bloqué dans la campagne ", "blocked in campaign "),
    ];
    let word = |part: &str| -> String {
        if let Some((_, en)) = EXACT.iter().find(|(fr, _)| *fr == part) {
            return en.to_string();
        }
        let mut rest = part;
        let mut out = String::new();
        // A prefix may introduce another (« non-régression : exigence critique EXI-1 »).
        'outer: loop {
            for (fr, en) in PREFIXES {
                if let Some(r) = rest.strip_prefix(fr) {
                    out.push_str(en);
                    rest = r;
                    continue 'outer;
                }
            }
            break;
        }
        out.push_str(rest);
        out
    };
    reason
        .split(" ; ")
        .map(word)
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[cfg(test)]
mod reason_tests {
    use super::reason_text;
    use crate::i18n::Lang;

    #[test]
    fn reasons_are_worded_in_english_on_request() {
        let r = "retest FA-001 ; non-régression : exigence critique EXI-001 ; en échec dans la campagne C1";
        assert_eq!(reason_text(r, Lang::Fr), r);
        assert_eq!(
            reason_text(r, Lang::En),
            "retest FA-001 ; regression: critical requirement EXI-001 ; failed in campaign C1"
        );
        assert_eq!(reason_text("étiquette smoke", Lang::En), "tag smoke");
        assert_eq!(reason_text("désigné", Lang::En), "named");
        assert_eq!(reason_text("périmètre VABF", Lang::En), "périmètre VABF");
    }
}
