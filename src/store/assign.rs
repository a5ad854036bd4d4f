//! Assigning the planned items of a campaign to testers.

use std::collections::HashSet;

use rusqlite::params;
use serde::Serialize;
use serde_json::json;

use super::{id_of, Tx};
use crate::entities::item_label;
use crate::error::{Error, Result};
use crate::model::Criticality;

/// Which planned items of a campaign an assignment touches: the union of the criteria (as
/// `campaign add` selects tests), then only the data sets of `datasets` when given.
#[derive(Debug, Clone, Default)]
pub struct ItemSelection {
    pub tests: Vec<String>,
    pub tags: Vec<String>,
    pub requirements: Vec<String>,
    pub criticality: Vec<Criticality>,
    pub all: bool,
    pub datasets: Vec<String>,
}

/// What to do with the selected items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// Assign (or reassign) every item to one tester.
    To(String),
    /// Share the items between these testers, evenly by count: each item, in campaign order,
    /// goes to the tester with the fewest items of the campaign so far (ties: the first
    /// named), so the result is the same on every run.
    Spread(Vec<String>),
    /// Nobody is assigned any more.
    Unassign,
}

/// One item whose assignee changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignChange {
    pub test: String,
    pub dataset: Option<String>,
    /// Previous assignee (empty: nobody).
    pub from: String,
    /// New assignee (empty: nobody).
    pub to: String,
}

/// What an assignment did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignOutcome {
    pub campaign: String,
    /// Items selected.
    pub selected: usize,
    pub changes: Vec<AssignChange>,
    /// Per tester named: items of the campaign assigned to them afterwards.
    pub load: Vec<(String, usize)>,
}

fn check_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() || n.chars().any(char::is_control) || n.chars().count() > 100 {
        return Err(Error::input(
            format!("nom de testeur invalide « {name} » : attendu un nom non vide (100 caractères au plus)"),
            format!("invalid tester name \"{name}\": expected a non-empty name (at most 100 characters)"),
        ));
    }
    Ok(n.to_string())
}

impl Tx<'_> {
    /// Assigns, reassigns, spreads or unassigns the selected items of a campaign, audited in
    /// one row. A selection that matches no planned item is an error.
    pub fn assign(
        &mut self,
        campaign: &str,
        sel: &ItemSelection,
        what: &Assignment,
    ) -> Result<AssignOutcome> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let what = match what {
            Assignment::To(n) => Assignment::To(check_name(n)?),
            Assignment::Spread(names) => {
                let mut out: Vec<String> = Vec::new();
                for n in names {
                    let n = check_name(n)?;
                    if out.contains(&n) {
                        return Err(Error::input(
                            format!("--spread : « {n} » nommé deux fois"),
                            format!("--spread: \"{n}\" named twice"),
                        ));
                    }
                    out.push(n);
                }
                if out.is_empty() {
                    return Err(Error::input(
                        "--spread : nommez au moins un testeur (A,B,C)",
                        "--spread: name at least one tester (A,B,C)",
                    ));
                }
                Assignment::Spread(out)
            }
            Assignment::Unassign => Assignment::Unassign,
        };
        // Every planned item, in campaign order: (test id, ref, data set, assignee).
        let items: Vec<(i64, String, String, String)> = self
            .conn()
            .prepare(
                "SELECT t.id, t.ref, ct.dataset, ct.assignee FROM campaign_test ct
                 JOIN test_case t ON t.id = ct.test_id WHERE ct.campaign_id = ?1
                 ORDER BY ct.position, t.ref, ct.dataset",
            )?
            .query_map([cid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for t in &sel.tests {
            if !items.iter().any(|i| &i.1 == t) {
                id_of(self.conn(), "test_case", "cas de test", t)?;
                return Err(Error::input(
                    format!("le cas de test {t} n'est pas planifié dans la campagne {campaign}"),
                    format!("test case {t} is not planned in campaign {campaign}"),
                ));
            }
        }
        for r in &sel.requirements {
            id_of(self.conn(), "requirement", "exigence", r)?;
        }
        let crits: Vec<&str> = sel.criticality.iter().map(|c| c.code()).collect();
        let matched: HashSet<i64> = self
            .conn()
            .prepare(
                "SELECT DISTINCT t.id FROM campaign_test ct JOIN test_case t ON t.id = ct.test_id
                 WHERE ct.campaign_id = ?1 AND (
                    t.ref IN (SELECT value FROM json_each(?2))
                    OR EXISTS(SELECT 1 FROM link l JOIN requirement r ON r.id = l.requirement_id
                              WHERE l.test_id = t.id AND r.status != 'obsolete'
                                AND r.criticality IN (SELECT value FROM json_each(?3)))
                    OR EXISTS(SELECT 1 FROM test_tag g WHERE g.test_id = t.id
                              AND g.tag IN (SELECT value FROM json_each(?4)))
                    OR EXISTS(SELECT 1 FROM link l JOIN requirement r ON r.id = l.requirement_id
                              WHERE l.test_id = t.id AND r.ref IN (SELECT value FROM json_each(?5))))",
            )?
            .query_map(
                params![
                    cid,
                    json!(sel.tests).to_string(),
                    json!(crits).to_string(),
                    json!(sel.tags).to_string(),
                    json!(sel.requirements).to_string()
                ],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let no_criterion = sel.tests.is_empty()
            && sel.tags.is_empty()
            && sel.requirements.is_empty()
            && sel.criticality.is_empty();
        let selected: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(|(_, (id, _, ds, _))| {
                (sel.all || matched.contains(id) || (no_criterion && !sel.datasets.is_empty()))
                    && (sel.datasets.is_empty() || sel.datasets.contains(ds))
            })
            .map(|(i, _)| i)
            .collect();
        if selected.is_empty() {
            return Err(Error::input(
                format!(
                    "la sélection ne correspond à aucun test planifié dans la campagne {campaign}"
                ),
                format!("the selection matches no test planned in campaign {campaign}"),
            ));
        }
        let mut assignees: Vec<String> = items.iter().map(|i| i.3.clone()).collect();
        match &what {
            Assignment::To(n) => {
                for &i in &selected {
                    assignees[i] = n.clone();
                }
            }
            Assignment::Unassign => {
                for &i in &selected {
                    assignees[i].clear();
                }
            }
            Assignment::Spread(names) => {
                let chosen: HashSet<usize> = selected.iter().copied().collect();
                let mut load: Vec<usize> = names
                    .iter()
                    .map(|n| {
                        assignees
                            .iter()
                            .enumerate()
                            .filter(|(i, a)| !chosen.contains(i) && *a == n)
                            .count()
                    })
                    .collect();
                for &i in &selected {
                    let mut best = 0;
                    for (k, l) in load.iter().enumerate() {
                        if *l < load[best] {
                            best = k;
                        }
                    }
                    load[best] += 1;
                    assignees[i] = names[best].clone();
                }
            }
        }
        let mut changes = Vec::new();
        for &i in &selected {
            let (id, reference, dataset, before) = &items[i];
            if assignees[i] == *before {
                continue;
            }
            self.conn()
                .prepare_cached(
                    "UPDATE campaign_test SET assignee = ?4
                     WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ?3",
                )?
                .execute(params![cid, id, dataset, assignees[i]])?;
            changes.push(AssignChange {
                test: reference.clone(),
                dataset: super::campaigns::dataset_of(dataset.clone()),
                from: before.clone(),
                to: assignees[i].clone(),
            });
        }
        if !changes.is_empty() {
            let list: Vec<serde_json::Value> = changes
                .iter()
                .map(|c| {
                    json!({"item": item_label(&c.test, c.dataset.as_deref()), "from": c.from, "to": c.to})
                })
                .collect();
            self.audit(
                "assign",
                "campagne",
                campaign,
                None,
                Some(json!({"changes": list})),
            )?;
        }
        let names: Vec<String> = match &what {
            Assignment::To(n) => vec![n.clone()],
            Assignment::Spread(names) => names.clone(),
            Assignment::Unassign => Vec::new(),
        };
        let load = names
            .into_iter()
            .map(|n| {
                let c = assignees.iter().filter(|a| **a == n).count();
                (n, c)
            })
            .collect();
        Ok(AssignOutcome {
            campaign: campaign.to_string(),
            selected: selected.len(),
            changes,
            load,
        })
    }
}
