//! Data sets (jeux de données) of test cases: named values of their `${parameters}`.
//!
//! A data set is identified by its name within its test. Campaigns plan and executions record
//! the name; an execution also keeps the values it ran with, so editing a data set never
//! changes a recorded result. Removing a data set that was planned or run somewhere keeps it,
//! inactive, for history (it is never planned again); otherwise it is deleted.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::{id_of, Store, Tx};
use crate::entities::{Dataset, TestCase};
use crate::error::{Error, Result};
use crate::params::{self, Values};

/// The parameters a test's texts use: prerequisites, then each step's action and expected
/// result, in order of first appearance.
pub fn test_parameters(t: &TestCase) -> Vec<String> {
    params::parameters_of(
        std::iter::once(t.prerequisites.as_str()).chain(
            t.steps
                .iter()
                .flat_map(|s| [s.action.as_str(), s.expected.as_str()]),
        ),
    )
}

/// A data set name must be non-empty, trimmed, printable and at most 100 characters.
pub fn check_dataset_name(name: &str) -> Result<()> {
    if params::valid_dataset_name(name) {
        Ok(())
    } else {
        Err(Error::input(
            format!("nom de jeu de données invalide « {name} » : attendu un texte non vide sans espace au début ni à la fin (100 caractères au plus)"),
            format!("invalid data set name \"{name}\": expected non-empty text without leading or trailing spaces (at most 100 characters)"),
        ))
    }
}

/// What a change of data set leaves to say: parameters the test uses that the data set gives
/// no value, and values given for parameters the test does not use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DatasetCheck {
    pub missing: Vec<String>,
    pub unused: Vec<String>,
}

impl DatasetCheck {
    fn of(used: &[String], values: &Values) -> DatasetCheck {
        DatasetCheck {
            missing: params::missing(used, values),
            unused: values
                .keys()
                .filter(|k| !used.contains(k))
                .cloned()
                .collect(),
        }
    }
}

/// Changes to a data set's values; applied in order: `replace`, `set`, `unset`, then `rename`.
#[derive(Debug, Clone, Default)]
pub struct DatasetEdit {
    pub rename: Option<String>,
    /// Replaces every value.
    pub replace: Option<Values>,
    /// Sets these values.
    pub set: Values,
    /// Removes these values.
    pub unset: Vec<String>,
}

/// What removing a data set did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetRemoval {
    /// Never planned nor run: deleted.
    Deleted,
    /// Run somewhere: kept inactive for history; its planned items not yet run were removed.
    Retired,
}

/// A stored data set: id, name, values, active.
type StoredDataset = (i64, String, Values, bool);

fn decode_values(text: &str) -> rusqlite::Result<Values> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(super) fn encode_values(values: &Values) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "{}".into())
}

fn stored(conn: &rusqlite::Connection, test_id: i64) -> Result<Vec<StoredDataset>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, parameters, active FROM test_dataset WHERE test_id = ?1
             ORDER BY position, id",
        )?
        .query_map([test_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                decode_values(&r.get::<_, String>(2)?)?,
                r.get(3)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The active data sets of every test, by test id, in order: what campaign selections plan.
pub(super) fn active_datasets_by_test(
    conn: &rusqlite::Connection,
) -> Result<HashMap<i64, Vec<String>>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT test_id, name FROM test_dataset WHERE active = 1 ORDER BY test_id, position, id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(out)
}

/// The values of one data set of a test (`None` for an unknown name).
pub(super) fn dataset_values(
    conn: &rusqlite::Connection,
    test_id: i64,
    name: &str,
) -> Result<Option<(Values, bool)>> {
    Ok(conn
        .prepare_cached(
            "SELECT parameters, active FROM test_dataset WHERE test_id = ?1 AND name = ?2",
        )?
        .query_row(params![test_id, name], |r| {
            Ok((decode_values(&r.get::<_, String>(0)?)?, r.get(1)?))
        })
        .optional()?)
}

/// Every data set's values by (test id, name): for bulk reads of campaign items.
pub(super) fn all_dataset_values(
    conn: &rusqlite::Connection,
) -> Result<HashMap<(i64, String), Values>> {
    let mut out = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT test_id, name, parameters FROM test_dataset")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.insert(
            (r.get(0)?, r.get(1)?),
            decode_values(&r.get::<_, String>(2)?)?,
        );
    }
    Ok(out)
}

fn unknown_dataset(test: &str, name: &str, known: &[StoredDataset]) -> Error {
    let names: Vec<&str> = known.iter().map(|d| d.1.as_str()).collect();
    let list = if names.is_empty() {
        "aucun".to_string()
    } else {
        names.join(", ")
    };
    let list_en = if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    };
    Error::input(
        format!("{test} n'a pas de jeu de données « {name} » (jeux de données : {list})"),
        format!("{test} has no data set \"{name}\" (data sets: {list_en})"),
    )
}

impl Store {
    /// The data sets of a test case, in order, each with the parameters it lacks.
    pub fn datasets(&self, test: &str) -> Result<Vec<Dataset>> {
        let tc = self.test_case(test)?.ok_or_else(|| Error::NotFound {
            kind: "cas de test",
            reference: test.to_string(),
        })?;
        let id = id_of(self.conn(), "test_case", "cas de test", test)?;
        let used = test_parameters(&tc);
        Ok(stored(self.conn(), id)?
            .into_iter()
            .map(|(_, name, values, active)| Dataset {
                missing: params::missing(&used, &values),
                name,
                parameters: values,
                active,
            })
            .collect())
    }
}

impl Tx<'_> {
    fn test_for_datasets(&self, test: &str) -> Result<(i64, TestCase)> {
        self.test_case_with_id(test)?
            .ok_or_else(|| Error::NotFound {
                kind: "cas de test",
                reference: test.to_string(),
            })
    }

    /// Adds a data set to a test case.
    pub fn add_dataset(&mut self, test: &str, name: &str, values: &Values) -> Result<DatasetCheck> {
        check_dataset_name(name)?;
        let (id, tc) = self.test_for_datasets(test)?;
        let known = stored(self.conn(), id)?;
        if known.iter().any(|d| d.1 == name) {
            return Err(Error::input(
                format!("{test} a déjà un jeu de données « {name} » (recette test dataset edit pour le modifier)"),
                format!("{test} already has a data set \"{name}\" (recette test dataset edit changes it)"),
            ));
        }
        self.insert_dataset(id, known.len() as i64 + 1, name, values)?;
        self.audit(
            "create",
            "jeu de données",
            &format!("{test} [{name}]"),
            None,
            Some(json!({"test": test, "name": name, "parameters": values})),
        )?;
        Ok(DatasetCheck::of(&test_parameters(&tc), values))
    }

    fn insert_dataset(
        &mut self,
        test_id: i64,
        position: i64,
        name: &str,
        values: &Values,
    ) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO test_dataset(test_id, name, position, parameters, active, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
            )?
            .execute(params![test_id, name, position, encode_values(values), self.now()])?;
        Ok(())
    }

    /// Changes a data set's values or name. A new name follows it into the campaigns that plan
    /// it and the executions that ran it.
    pub fn edit_dataset(
        &mut self,
        test: &str,
        name: &str,
        edit: &DatasetEdit,
    ) -> Result<DatasetCheck> {
        let (id, tc) = self.test_for_datasets(test)?;
        let known = stored(self.conn(), id)?;
        let Some((ds_id, _, before, _)) = known.iter().find(|d| d.1 == name).cloned() else {
            return Err(unknown_dataset(test, name, &known));
        };
        let mut values = edit.replace.clone().unwrap_or_else(|| before.clone());
        for (k, v) in &edit.set {
            values.insert(k.clone(), v.clone());
        }
        for k in &edit.unset {
            if values.remove(k).is_none() {
                return Err(Error::input(
                    format!(
                        "le jeu de données « {name} » de {test} n'a pas de valeur pour « {k} »"
                    ),
                    format!("data set \"{name}\" of {test} has no value for \"{k}\""),
                ));
            }
        }
        let new_name = edit.rename.clone().unwrap_or_else(|| name.to_string());
        check_dataset_name(&new_name)?;
        if new_name != name {
            if known.iter().any(|d| d.1 == new_name) {
                return Err(Error::input(
                    format!("{test} a déjà un jeu de données « {new_name} »"),
                    format!("{test} already has a data set \"{new_name}\""),
                ));
            }
            for table in ["campaign_test", "execution"] {
                // A constant table name, never user input.
                self.conn().execute(
                    &format!("UPDATE {table} SET dataset = ?3 WHERE test_id = ?1 AND dataset = ?2"),
                    params![id, name, new_name],
                )?;
            }
        }
        if values != before || new_name != name {
            self.conn().execute(
                "UPDATE test_dataset SET name = ?2, parameters = ?3, updated_at = ?4 WHERE id = ?1",
                params![ds_id, new_name, encode_values(&values), self.now()],
            )?;
            self.audit(
                "update",
                "jeu de données",
                &format!("{test} [{new_name}]"),
                Some(json!({"name": name, "parameters": before})),
                Some(json!({"name": new_name, "parameters": values})),
            )?;
        }
        Ok(DatasetCheck::of(&test_parameters(&tc), &values))
    }

    /// Removes a data set: deleted when never run, else kept inactive (its planned items not
    /// yet run are removed from their campaigns).
    pub fn remove_dataset(&mut self, test: &str, name: &str) -> Result<DatasetRemoval> {
        let (id, _) = self.test_for_datasets(test)?;
        let known = stored(self.conn(), id)?;
        let Some((ds_id, _, values, _)) = known.iter().find(|d| d.1 == name).cloned() else {
            return Err(unknown_dataset(test, name, &known));
        };
        // Planned items never run go; items with executions stay (history).
        self.conn().execute(
            "DELETE FROM campaign_test WHERE test_id = ?1 AND dataset = ?2
               AND NOT EXISTS (SELECT 1 FROM execution e WHERE e.campaign_id = campaign_test.campaign_id
                               AND e.test_id = ?1 AND e.dataset = ?2)",
            params![id, name],
        )?;
        let used: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM execution WHERE test_id = ?1 AND dataset = ?2)
                 OR EXISTS(SELECT 1 FROM campaign_test WHERE test_id = ?1 AND dataset = ?2)",
            params![id, name],
            |r| r.get(0),
        )?;
        let removal = if used {
            self.conn().execute(
                "UPDATE test_dataset SET active = 0, updated_at = ?2 WHERE id = ?1",
                params![ds_id, self.now()],
            )?;
            DatasetRemoval::Retired
        } else {
            self.conn()
                .execute("DELETE FROM test_dataset WHERE id = ?1", [ds_id])?;
            DatasetRemoval::Deleted
        };
        self.audit(
            "delete",
            "jeu de données",
            &format!("{test} [{name}]"),
            Some(json!({"name": name, "parameters": values})),
            Some(json!({"kept_for_history": used})),
        )?;
        Ok(removal)
    }

    /// Creates or updates data sets of a test from an import (never removes one: `test
    /// dataset rm` does). Returns whether anything changed.
    pub(super) fn upsert_datasets(
        &mut self,
        test_id: i64,
        test: &str,
        sets: &[(String, Values)],
    ) -> Result<bool> {
        let mut known = stored(self.conn(), test_id)?;
        let mut changed = false;
        for (name, values) in sets {
            match known.iter().find(|d| &d.1 == name) {
                Some((ds_id, _, before, active)) if before != values || !active => {
                    self.conn().execute(
                        "UPDATE test_dataset SET parameters = ?2, active = 1, updated_at = ?3 WHERE id = ?1",
                        params![ds_id, encode_values(values), self.now()],
                    )?;
                    self.audit(
                        "update",
                        "jeu de données",
                        &format!("{test} [{name}]"),
                        Some(json!({"name": name, "parameters": before})),
                        Some(json!({"name": name, "parameters": values})),
                    )?;
                    changed = true;
                }
                Some(_) => {}
                None => {
                    let position = known.len() as i64 + 1;
                    self.insert_dataset(test_id, position, name, values)?;
                    self.audit(
                        "create",
                        "jeu de données",
                        &format!("{test} [{name}]"),
                        None,
                        Some(json!({"test": test, "name": name, "parameters": values})),
                    )?;
                    known.push((0, name.clone(), values.clone(), true));
                    changed = true;
                }
            }
        }
        Ok(changed)
    }
}
