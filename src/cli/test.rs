//! `recette test ...`.

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::req::ShowArgs;
use super::{Env, EXIT_OK};
use crate::error::{Error, Result};
use crate::model::{Step, TestKind};
use crate::store::TestCasePatch;

/// Test case commands.
#[derive(Debug, Subcommand)]
pub enum TestCommand {
    /// Ajoute un cas de test
    Add(Box<TestAddArgs>),
    /// Liste les cas de test
    List(TestListArgs),
    /// Affiche un cas de test et ses étapes
    Show(ShowArgs),
}

/// `test add`
#[derive(Debug, Args)]
pub struct TestAddArgs {
    /// Référence (ex. CT-IMM-001)
    pub reference: String,
    /// Intitulé
    #[arg(long)]
    pub title: String,
    /// Objectif
    #[arg(long)]
    pub objective: Option<String>,
    /// Prérequis (préconditions, jeu de données)
    #[arg(long)]
    pub prerequisites: Option<String>,
    /// Étape « action => résultat attendu » (répétable, dans l'ordre)
    #[arg(long = "step", value_name = "ACTION => ATTENDU")]
    pub steps: Vec<String>,
    /// manuel (défaut) ou automatisé
    #[arg(long)]
    pub kind: Option<String>,
    /// Clé d'automatisation (suite/classe/nom, jokers * acceptés)
    #[arg(long)]
    pub automation_key: Option<String>,
    /// Étiquette (répétable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Priorité
    #[arg(long)]
    pub priority: Option<String>,
    /// Catégorie
    #[arg(long)]
    pub category: Option<String>,
    /// Exigence couverte (répétable) : crée le lien
    #[arg(long = "covers", value_name = "EXIGENCE")]
    pub covers: Vec<String>,
}

/// `test list`
#[derive(Debug, Args)]
pub struct TestListArgs {
    /// Filtre par étiquette
    #[arg(long)]
    pub tag: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Runs a test-case command.
pub fn run(cmd: TestCommand, env: &Env) -> Result<i32> {
    match cmd {
        TestCommand::Add(a) => {
            let a = *a;
            let kind = match &a.kind {
                None => None,
                Some(k) => Some(TestKind::parse(k).ok_or_else(|| {
                    Error::input(
                        format!("type de test inconnu « {k} » : attendu manuel ou automatisé"),
                        format!("unknown test kind \"{k}\": expected manual or automated"),
                    )
                })?),
            };
            let steps: Vec<Step> = a.steps.iter().map(|s| Step::parse_cli(s)).collect();
            if let Some(i) = steps.iter().position(|s| s.action.is_empty()) {
                return Err(Error::input(
                    format!(
                        "étape {} : action vide (attendu « action => résultat attendu »)",
                        i + 1
                    ),
                    format!(
                        "step {}: empty action (expected \"action => expected result\")",
                        i + 1
                    ),
                ));
            }
            let patch = TestCasePatch {
                title: Some(a.title),
                objective: a.objective,
                prerequisites: a.prerequisites,
                kind,
                automation_key: a.automation_key,
                priority: a.priority,
                category: a.category,
                active: Some(true),
                steps: Some(steps),
                tags: Some(a.tags),
            };
            let mut store = env.open()?;
            store.write("test add", |tx| {
                tx.add_test_case(&a.reference, &patch)?;
                for r in &a.covers {
                    tx.add_link(r, &a.reference)?;
                }
                Ok(())
            })?;
            println!(
                "{} {}",
                env.t("Cas de test ajouté :", "Test case added:"),
                a.reference
            );
        }
        TestCommand::List(a) => {
            let store = env.open()?;
            let tests: Vec<_> = store
                .test_cases()?
                .into_iter()
                .filter(|t| a.tag.as_ref().is_none_or(|g| t.tags.contains(g)))
                .collect();
            if a.json {
                return json(&tests).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Réf.", "Ref"),
                env.t("Intitulé", "Title"),
                env.t("Type", "Kind"),
                env.t("Étapes", "Steps"),
                env.t("Exigences", "Requirements"),
            ]);
            for tc in &tests {
                t.row(vec![
                    tc.reference.clone(),
                    tc.title.clone(),
                    kind_label(env, tc.kind).to_string(),
                    tc.steps.len().to_string(),
                    tc.requirements.join(", "),
                ]);
            }
            t.print(env.t("Aucun cas de test.", "No test case."));
        }
        TestCommand::Show(a) => {
            let store = env.open()?;
            let tc = store
                .test_case(&a.reference)?
                .ok_or_else(|| Error::NotFound {
                    kind: "cas de test",
                    reference: a.reference.clone(),
                })?;
            if a.json {
                return json(&tc).map(|_| EXIT_OK);
            }
            println!("{} — {}", tc.reference, tc.title);
            println!(
                "  {} {}",
                env.t("Type :", "Kind:"),
                kind_label(env, tc.kind)
            );
            for (label, value) in [
                (env.t("Objectif :", "Objective:"), &tc.objective),
                (env.t("Prérequis :", "Prerequisites:"), &tc.prerequisites),
                (
                    env.t("Clé d'automatisation :", "Automation key:"),
                    &tc.automation_key,
                ),
                (env.t("Priorité :", "Priority:"), &tc.priority),
                (env.t("Catégorie :", "Category:"), &tc.category),
            ] {
                if !value.is_empty() {
                    println!("  {label} {value}");
                }
            }
            if !tc.tags.is_empty() {
                println!(
                    "  {} {}",
                    env.t("Étiquettes :", "Tags:"),
                    tc.tags.join(", ")
                );
            }
            println!(
                "  {} {}",
                env.t("Exigences :", "Requirements:"),
                if tc.requirements.is_empty() {
                    "—".to_string()
                } else {
                    tc.requirements.join(", ")
                }
            );
            if !tc.steps.is_empty() {
                let mut t = Table::new(&[
                    "N°",
                    env.t("Action", "Action"),
                    env.t("Résultat attendu", "Expected result"),
                ]);
                for (i, s) in tc.steps.iter().enumerate() {
                    t.row(vec![
                        (i + 1).to_string(),
                        s.action.clone(),
                        s.expected.clone(),
                    ]);
                }
                println!();
                t.print("");
            }
        }
    }
    Ok(EXIT_OK)
}

fn kind_label(env: &Env, kind: TestKind) -> &'static str {
    match (kind, env.lang) {
        (TestKind::Manual, crate::i18n::Lang::Fr) => "manuel",
        (TestKind::Automated, crate::i18n::Lang::Fr) => "automatisé",
        (TestKind::Manual, crate::i18n::Lang::En) => "manual",
        (TestKind::Automated, crate::i18n::Lang::En) => "automated",
    }
}
