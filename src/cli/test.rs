//! `recette test ...`.

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::{Step, TestKind};
use crate::params;
use crate::store::{DatasetEdit, DatasetRemoval, StepEdit, TestCasePatch, TestEdit};

/// Test case commands.
#[derive(Debug, Subcommand)]
pub enum TestCommand {
    /// Ajoute un cas de test
    Add(Box<TestAddArgs>),
    /// Liste les cas de test
    List(TestListArgs),
    /// Affiche un cas de test : étapes, jeux de données, versions (--version N : une ancienne)
    Show(TestShowArgs),
    /// Modifie un cas de test ; changer les étapes, les prérequis ou l'objectif crée une version
    Edit(Box<TestEditArgs>),
    /// Retire un cas de test (obsolète) : gardé dans l'historique, hors des nouvelles campagnes
    /// et de la couverture
    Retire(TestRetireArgs),
    /// Reprend un cas de test retiré
    Restore(TestRefArgs),
    /// Exécutions d'un cas de test dans toutes les campagnes et livraisons
    History(TestRefJsonArgs),
    /// Jeux de données d'un cas de test paramétré (${paramètre} dans ses textes) : add, list,
    /// edit, rm
    #[command(subcommand)]
    Dataset(DatasetCommand),
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
    /// Prérequis (préconditions), ${paramètre} accepté
    #[arg(long)]
    pub prerequisites: Option<String>,
    /// Étape « action => résultat attendu » (répétable, dans l'ordre), ${paramètre} accepté
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
    /// Seulement les cas de test retirés
    #[arg(long, conflicts_with = "active")]
    pub retired: bool,
    /// Seulement les cas de test actifs
    #[arg(long)]
    pub active: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `test show`
#[derive(Debug, Args)]
pub struct TestShowArgs {
    /// Référence
    pub reference: String,
    /// Une version précise (défaut : la version en cours)
    #[arg(long, value_name = "N")]
    pub version: Option<i64>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `test edit`
#[derive(Debug, Args)]
pub struct TestEditArgs {
    /// Référence
    pub reference: String,
    /// Intitulé
    #[arg(long)]
    pub title: Option<String>,
    /// Objectif
    #[arg(long)]
    pub objective: Option<String>,
    /// Prérequis
    #[arg(long)]
    pub prerequisites: Option<String>,
    /// Remplace toutes les étapes : « action => résultat attendu » (répétable, dans l'ordre)
    #[arg(long = "step", value_name = "ACTION => ATTENDU")]
    pub steps: Vec<String>,
    /// Remplace l'étape N : « N=action => résultat attendu » (répétable)
    #[arg(long = "set-step", value_name = "N=ACTION => ATTENDU")]
    pub set_steps: Vec<String>,
    /// Insère une étape à la position N : « N=action => résultat attendu » (répétable)
    #[arg(long = "insert-step", value_name = "N=ACTION => ATTENDU")]
    pub insert_steps: Vec<String>,
    /// Ajoute une étape à la fin (répétable)
    #[arg(long = "add-step", value_name = "ACTION => ATTENDU")]
    pub add_steps: Vec<String>,
    /// Supprime l'étape N (répétable ; appliqué après les autres changements d'étapes)
    #[arg(long = "remove-step", value_name = "N")]
    pub remove_steps: Vec<u32>,
    /// manuel ou automatisé
    #[arg(long)]
    pub kind: Option<String>,
    /// Clé d'automatisation (vide : aucune)
    #[arg(long)]
    pub automation_key: Option<String>,
    /// Priorité
    #[arg(long)]
    pub priority: Option<String>,
    /// Catégorie
    #[arg(long)]
    pub category: Option<String>,
    /// Ajoute une étiquette (répétable)
    #[arg(long = "add-tag")]
    pub add_tags: Vec<String>,
    /// Retire une étiquette (répétable)
    #[arg(long = "remove-tag")]
    pub remove_tags: Vec<String>,
    /// Ajoute une exigence couverte (répétable)
    #[arg(long = "covers", value_name = "EXIGENCE")]
    pub covers: Vec<String>,
    /// Retire une exigence couverte (répétable)
    #[arg(long = "uncovers", value_name = "EXIGENCE")]
    pub uncovers: Vec<String>,
    /// Sortie JSON (ce qui a changé)
    #[arg(long)]
    pub json: bool,
}

/// `test retire`
#[derive(Debug, Args)]
pub struct TestRetireArgs {
    /// Référence
    pub reference: String,
    /// Pourquoi (gardé dans le journal et affiché)
    #[arg(long, default_value = "")]
    pub reason: String,
}

/// A test reference.
#[derive(Debug, Args)]
pub struct TestRefArgs {
    /// Référence
    pub reference: String,
}

/// A test reference and `--json`.
#[derive(Debug, Args)]
pub struct TestRefJsonArgs {
    /// Référence
    pub reference: String,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `test dataset ...`
#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// Ajoute un jeu de données : recette test dataset add CT-001 JDD-7CV --param cv=7
    Add(DatasetAddArgs),
    /// Liste les jeux de données d'un cas de test
    List(TestRefJsonArgs),
    /// Modifie les valeurs ou le nom d'un jeu de données
    Edit(DatasetEditArgs),
    /// Supprime un jeu de données (gardé, inactif, s'il a déjà été exécuté)
    Rm(DatasetRmArgs),
}

/// `test dataset add`
#[derive(Debug, Args)]
pub struct DatasetAddArgs {
    /// Référence du cas de test
    pub test: String,
    /// Nom du jeu de données
    pub name: String,
    /// Valeur d'un paramètre « nom=valeur » (répétable)
    #[arg(long = "param", value_name = "NOM=VALEUR")]
    pub params: Vec<String>,
}

/// `test dataset edit`
#[derive(Debug, Args)]
pub struct DatasetEditArgs {
    /// Référence du cas de test
    pub test: String,
    /// Nom du jeu de données
    pub name: String,
    /// Donne ou change la valeur d'un paramètre « nom=valeur » (répétable)
    #[arg(long = "param", value_name = "NOM=VALEUR")]
    pub params: Vec<String>,
    /// Retire la valeur d'un paramètre (répétable)
    #[arg(long = "unset", value_name = "NOM")]
    pub unset: Vec<String>,
    /// Nouveau nom (suit le jeu dans les campagnes et les exécutions)
    #[arg(long)]
    pub rename: Option<String>,
}

/// `test dataset rm`
#[derive(Debug, Args)]
pub struct DatasetRmArgs {
    /// Référence du cas de test
    pub test: String,
    /// Nom du jeu de données
    pub name: String,
}

fn parse_kind(k: &str) -> Result<TestKind> {
    TestKind::parse(k).ok_or_else(|| {
        Error::input(
            format!("type de test inconnu « {k} » : attendu manuel ou automatisé"),
            format!("unknown test kind \"{k}\": expected manual or automated"),
        )
    })
}

fn parse_steps(steps: &[String]) -> Result<Vec<Step>> {
    let steps: Vec<Step> = steps.iter().map(|s| Step::parse_cli(s)).collect();
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
    Ok(steps)
}

/// Parses `N=action => expected`.
fn numbered_step(option: &str, s: &str) -> Result<(u32, Step)> {
    let bad = || {
        Error::input(
            format!("{option} « {s} » : attendu N=action => résultat attendu, par exemple 2=Valider => Le dossier est créé"),
            format!("{option} \"{s}\": expected N=action => expected result, for example 2=Validate => The file is created"),
        )
    };
    let (n, step) = s.split_once('=').ok_or_else(bad)?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    Ok((n, Step::parse_cli(step)))
}

fn parse_values(params_: &[String]) -> Result<params::Values> {
    let mut out = params::Values::new();
    for p in params_ {
        let (k, v) = params::parse_assignment(p).map_err(|e| e.to_error())?;
        if out.insert(k.clone(), v).is_some() {
            return Err(params::ParamError::Duplicate(k).to_error());
        }
    }
    Ok(out)
}

/// Runs a test-case command.
pub fn run(cmd: TestCommand, env: &Env) -> Result<i32> {
    match cmd {
        TestCommand::Add(a) => {
            let a = *a;
            let kind = a.kind.as_deref().map(parse_kind).transpose()?;
            let steps = parse_steps(&a.steps)?;
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
                .filter(|t| {
                    if a.retired {
                        !t.active
                    } else {
                        !a.active || t.active
                    }
                })
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
                let mut title = tc.title.clone();
                if !tc.active {
                    title = format!("{title} ({})", env.t("retiré", "retired"));
                }
                t.row(vec![
                    tc.reference.clone(),
                    title,
                    kind_label(env, tc.kind).to_string(),
                    tc.steps.len().to_string(),
                    tc.requirements.join(", "),
                ]);
            }
            t.print(env.t("Aucun cas de test.", "No test case."));
        }
        TestCommand::Show(a) => show(a, env)?,
        TestCommand::Edit(a) => edit(*a, env)?,
        TestCommand::Retire(a) => {
            let mut store = env.open()?;
            store.write("test retire", |tx| {
                tx.retire_test_case(&a.reference, &a.reason)
            })?;
            println!(
                "{} {}",
                env.t(
                    "Cas de test retiré (gardé dans l'historique, hors des nouvelles campagnes et de la couverture) :",
                    "Test case retired (kept in history, out of new campaigns and of coverage):"
                ),
                a.reference
            );
        }
        TestCommand::Restore(a) => {
            let mut store = env.open()?;
            store.write("test restore", |tx| tx.restore_test_case(&a.reference))?;
            println!(
                "{} {}",
                env.t("Cas de test repris :", "Test case restored:"),
                a.reference
            );
        }
        TestCommand::History(a) => {
            let store = env.open()?;
            let h = store.test_history(&a.reference)?;
            if a.json {
                return json(&h).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Campagne", "Campaign"),
                env.t("Livraison", "Delivery"),
                env.t("Jeu de données", "Data set"),
                env.t("Essai", "Attempt"),
                "Version",
                env.t("Statut", "Status"),
                env.t("Testeur", "Tester"),
                env.t("Date", "Date"),
                env.t("Anomalies", "Anomalies"),
            ]);
            for e in h {
                t.row(vec![
                    e.campaign,
                    e.delivery.unwrap_or_default(),
                    e.dataset.unwrap_or_default(),
                    e.attempt.to_string(),
                    e.test_version.to_string(),
                    e.status.label(env.lang).to_string(),
                    e.tester,
                    super::output::when(env.lang, &e.executed_at),
                    e.anomalies.join(", "),
                ]);
            }
            t.print(env.t(
                "Aucune exécution de ce cas de test.",
                "No execution of this test case.",
            ));
        }
        TestCommand::Dataset(c) => dataset(c, env)?,
    }
    Ok(EXIT_OK)
}

fn show(a: TestShowArgs, env: &Env) -> Result<()> {
    let store = env.open()?;
    if let Some(n) = a.version {
        let v = store.test_version(&a.reference, n)?;
        if a.json {
            return json(&v);
        }
        println!(
            "{} — {} (version {}{})",
            v.reference,
            v.title,
            v.version,
            if v.current {
                env.t(", en cours", ", current")
            } else {
                ""
            }
        );
        println!(
            "  {} {}",
            env.t("Créée le", "Created on"),
            super::output::when(env.lang, &v.created_at)
        );
        if let Some(r) = &v.replaced_at {
            println!(
                "  {} {}",
                env.t("Remplacée le", "Replaced on"),
                super::output::when(env.lang, r)
            );
        }
        for (label, value) in [
            (env.t("Objectif :", "Objective:"), &v.objective),
            (env.t("Prérequis :", "Prerequisites:"), &v.prerequisites),
        ] {
            if !value.is_empty() {
                println!("  {label} {value}");
            }
        }
        print_steps(env, &v.steps);
        return Ok(());
    }
    let d = store.test_case_detail(&a.reference)?;
    if a.json {
        return json(&d);
    }
    let tc = &d.test;
    println!("{} — {}", tc.reference, tc.title);
    println!(
        "  {} {}   Version {}{}",
        env.t("Type :", "Kind:"),
        kind_label(env, tc.kind),
        tc.version,
        if tc.active {
            String::new()
        } else {
            format!(
                "   {}{}",
                env.t("RETIRÉ", "RETIRED"),
                d.retired_reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            )
        }
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
    if !d.parameters.is_empty() {
        println!(
            "  {} {}",
            env.t("Paramètres :", "Parameters:"),
            d.parameters
                .iter()
                .map(|p| format!("${{{p}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    print_steps(env, &tc.steps);
    if !d.datasets.is_empty() {
        println!();
        print_datasets(env, &d.datasets);
    } else if !d.parameters.is_empty() {
        println!(
            "\n{}",
            env.t(
                "Aucun jeu de données : les paramètres restent affichés tels quels (recette test dataset add).",
                "No data set: parameters are shown as written (recette test dataset add)."
            )
        );
    }
    if d.versions.len() > 1 {
        println!();
        let mut t = Table::new(&[
            "Version",
            env.t("Créée le", "Created on"),
            env.t("Remplacée le", "Replaced on"),
            env.t("Étapes", "Steps"),
        ]);
        for v in &d.versions {
            t.row(vec![
                v.version.to_string(),
                super::output::when(env.lang, &v.created_at),
                v.replaced_at
                    .as_deref()
                    .map(|r| super::output::when(env.lang, r))
                    .unwrap_or_else(|| env.t("(en cours)", "(current)").to_string()),
                v.steps.to_string(),
            ]);
        }
        t.print("");
    }
    Ok(())
}

fn print_steps(env: &Env, steps: &[Step]) {
    if steps.is_empty() {
        return;
    }
    let mut t = Table::new(&[
        "N°",
        env.t("Action", "Action"),
        env.t("Résultat attendu", "Expected result"),
    ]);
    for (i, s) in steps.iter().enumerate() {
        t.row(vec![
            (i + 1).to_string(),
            s.action.clone(),
            s.expected.clone(),
        ]);
    }
    println!();
    t.print("");
}

fn print_datasets(env: &Env, sets: &[crate::entities::Dataset]) {
    let mut t = Table::new(&[
        env.t("Jeu de données", "Data set"),
        env.t("Valeurs", "Values"),
        env.t("Sans valeur", "Missing"),
    ]);
    for d in sets {
        let mut name = d.name.clone();
        if !d.active {
            name = format!("{name} ({})", env.t("supprimé", "removed"));
        }
        t.row(vec![
            name,
            params::format_assignments(&d.parameters),
            d.missing.join(", "),
        ]);
    }
    t.max_width = 70;
    t.print(env.t("Aucun jeu de données.", "No data set."));
}

fn edit(a: TestEditArgs, env: &Env) -> Result<()> {
    let mut step_edits = Vec::new();
    for s in &a.set_steps {
        let (n, st) = numbered_step("--set-step", s)?;
        step_edits.push(StepEdit::Set(n, st));
    }
    for s in &a.insert_steps {
        let (n, st) = numbered_step("--insert-step", s)?;
        step_edits.push(StepEdit::Insert(n, st));
    }
    for s in parse_steps(&a.add_steps)? {
        step_edits.push(StepEdit::Append(s));
    }
    // Highest first, so that each number names the step it named before any removal.
    let mut removals = a.remove_steps.clone();
    removals.sort_unstable_by(|x, y| y.cmp(x));
    removals.dedup();
    step_edits.extend(removals.into_iter().map(StepEdit::Remove));
    let edit = TestEdit {
        title: a.title,
        objective: a.objective,
        prerequisites: a.prerequisites,
        kind: a.kind.as_deref().map(parse_kind).transpose()?,
        automation_key: a.automation_key,
        priority: a.priority,
        category: a.category,
        steps: if a.steps.is_empty() {
            None
        } else {
            Some(parse_steps(&a.steps)?)
        },
        step_edits,
        add_tags: a.add_tags,
        remove_tags: a.remove_tags,
        add_requirements: a.covers,
        remove_requirements: a.uncovers,
    };
    let mut store = env.open()?;
    let out = store.write("test edit", |tx| tx.edit_test_case(&a.reference, &edit))?;
    if a.json {
        return json(&out);
    }
    if !out.changed {
        println!(
            "{} {}",
            env.t("Aucun changement :", "No change:"),
            out.reference
        );
    } else if out.new_version {
        println!(
            "{} {} ({} {})",
            env.t("Cas de test modifié :", "Test case edited:"),
            out.reference,
            env.t("nouvelle version", "new version"),
            out.version
        );
    } else {
        println!(
            "{} {} (version {})",
            env.t("Cas de test modifié :", "Test case edited:"),
            out.reference,
            out.version
        );
    }
    Ok(())
}

/// Says which parameters a data set lacks or gives for nothing.
fn print_check(env: &Env, test: &str, name: &str, c: &crate::store::DatasetCheck) {
    let list = |v: &[String]| {
        v.iter()
            .map(|p| format!("${{{p}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !c.missing.is_empty() {
        println!(
            "{} {test} [{name}] : {} {}",
            env.t("Attention :", "Warning:"),
            env.t("aucune valeur pour", "no value for"),
            list(&c.missing)
        );
    }
    if !c.unused.is_empty() {
        println!(
            "{} {test} [{name}] : {} {}",
            env.t("Attention :", "Warning:"),
            env.t(
                "valeurs données pour des paramètres que le cas de test n'utilise pas :",
                "values given for parameters the test case does not use:"
            ),
            list(&c.unused)
        );
    }
}

fn dataset(cmd: DatasetCommand, env: &Env) -> Result<()> {
    let mut store = env.open()?;
    match cmd {
        DatasetCommand::Add(a) => {
            let values = parse_values(&a.params)?;
            let check = store.write("test dataset add", |tx| {
                tx.add_dataset(&a.test, &a.name, &values)
            })?;
            println!(
                "{} {} [{}] {}",
                env.t("Jeu de données ajouté :", "Data set added:"),
                a.test,
                a.name,
                params::format_assignments(&values)
            );
            print_check(env, &a.test, &a.name, &check);
        }
        DatasetCommand::List(a) => {
            let sets = store.datasets(&a.reference)?;
            if a.json {
                return json(&sets);
            }
            print_datasets(env, &sets);
        }
        DatasetCommand::Edit(a) => {
            let edit = DatasetEdit {
                rename: a.rename.clone(),
                replace: None,
                set: parse_values(&a.params)?,
                unset: a.unset.clone(),
            };
            let check = store.write("test dataset edit", |tx| {
                tx.edit_dataset(&a.test, &a.name, &edit)
            })?;
            let name = a.rename.as_deref().unwrap_or(&a.name);
            println!(
                "{} {} [{name}]",
                env.t("Jeu de données modifié :", "Data set edited:"),
                a.test
            );
            print_check(env, &a.test, name, &check);
        }
        DatasetCommand::Rm(a) => {
            let r = store.write("test dataset rm", |tx| tx.remove_dataset(&a.test, &a.name))?;
            let what = match (r, env.lang) {
                (DatasetRemoval::Deleted, Lang::Fr) => "supprimé",
                (DatasetRemoval::Deleted, Lang::En) => "deleted",
                (DatasetRemoval::Retired, Lang::Fr) => {
                    "gardé inactif (déjà exécuté : son historique reste lisible)"
                }
                (DatasetRemoval::Retired, Lang::En) => {
                    "kept inactive (already run: its history stays readable)"
                }
            };
            println!(
                "{} {} [{}] {what}",
                env.t("Jeu de données", "Data set"),
                a.test,
                a.name
            );
        }
    }
    Ok(())
}

fn kind_label(env: &Env, kind: TestKind) -> &'static str {
    match (kind, env.lang) {
        (TestKind::Manual, crate::i18n::Lang::Fr) => "manuel",
        (TestKind::Automated, crate::i18n::Lang::Fr) => "automatisé",
        (TestKind::Manual, crate::i18n::Lang::En) => "manual",
        (TestKind::Automated, crate::i18n::Lang::En) => "automated",
    }
}
