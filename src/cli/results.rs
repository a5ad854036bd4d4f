//! `recette results CAMPAIGN`: the automated results stored for a campaign (JUnit, Robot...),
//! with every field kept at import: suite path, class, name, status, duration, start time,
//! message, failure text, standard output, properties and tags, retries and flaky flag.

use clap::Args;

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::entities::StoredResult;
use crate::error::Result;
use crate::model::ExecStatus;
use crate::store::ResultFilter;

/// `recette results`
#[derive(Debug, Args)]
pub struct ResultsArgs {
    /// Campagne
    #[arg(value_name = "CAMPAGNE")]
    pub campaign: String,
    /// Seulement les résultats de ce cas de test (affichés en détail : trace d'échec, sortie...)
    #[arg(long, value_name = "CAS")]
    pub test: Option<String>,
    /// Seulement les résultats de ce statut (KO, OK, non passé...)
    #[arg(long, value_name = "STATUT")]
    pub status: Option<String>,
    /// Seulement les résultats sans cas de test correspondant
    #[arg(long)]
    pub unmatched: bool,
    /// Affiche chaque résultat en détail (trace d'échec, sortie standard, propriétés)
    #[arg(long)]
    pub details: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Milliseconds as seconds, with the language's decimal separator.
fn seconds(env: &Env, ms: Option<f64>) -> String {
    match ms {
        None => String::new(),
        Some(ms) => {
            let s = format!("{:.3} s", ms / 1000.0);
            match env.lang {
                crate::i18n::Lang::Fr => s.replace('.', ","),
                crate::i18n::Lang::En => s,
            }
        }
    }
}

fn print_details(r: &StoredResult, env: &Env) {
    let line = |label: &str, value: &str| {
        if !value.is_empty() {
            println!("  {label} {value}");
        }
    };
    let block = |label: &str, value: &str| {
        if !value.is_empty() {
            println!("  {label}");
            for l in value.lines() {
                println!("    {l}");
            }
        }
    };
    println!(
        "{} — {}",
        r.test
            .as_deref()
            .unwrap_or(env.t("(sans correspondance)", "(unmatched)")),
        r.name
    );
    line(env.t("Statut :", "Status:"), r.status.label(env.lang));
    line(
        env.t("Fichier :", "File:"),
        &format!("{} ({})", r.file, r.format),
    );
    if let Some(a) = r.attempt {
        line(env.t("Essai :", "Attempt:"), &a.to_string());
    }
    line(env.t("Suite :", "Suite:"), &r.suite_path);
    line(env.t("Classe :", "Class:"), &r.classname);
    line(env.t("Durée :", "Duration:"), &seconds(env, r.duration_ms));
    line(
        env.t("Début :", "Started:"),
        r.start_time.as_deref().unwrap_or_default(),
    );
    if r.retries > 0 || r.flaky {
        line(
            env.t("Reprises :", "Retries:"),
            &format!(
                "{}{}",
                r.retries,
                if r.flaky {
                    env.t(
                        " (instable : échec puis succès)",
                        " (flaky: failed then passed)",
                    )
                } else {
                    ""
                }
            ),
        );
    }
    line(env.t("Étiquettes :", "Tags:"), &r.tags.join(", "));
    let props: Vec<String> = r
        .properties
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    line(env.t("Propriétés :", "Properties:"), &props.join(", "));
    line(env.t("Message :", "Message:"), &r.message);
    block(env.t("Trace d'échec :", "Failure text:"), &r.failure_text);
    block(env.t("Sortie :", "Output:"), &r.stdout);
    println!();
}

/// Runs `recette results`.
pub fn run(a: ResultsArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let filter = ResultFilter {
        test: a.test.clone(),
        status: match &a.status {
            Some(s) => Some(ExecStatus::parse(s)?),
            None => None,
        },
        unmatched: a.unmatched,
    };
    let results = store.automated_results(&a.campaign, &filter)?;
    if a.json {
        return json(&results).map(|_| EXIT_OK);
    }
    if results.is_empty() {
        println!(
            "{}",
            env.t(
                "Aucun résultat automatisé pour cette sélection.",
                "No automated result for this selection."
            )
        );
        return Ok(EXIT_OK);
    }
    if a.details || a.test.is_some() {
        for r in &results {
            print_details(r, env);
        }
        return Ok(EXIT_OK);
    }
    let mut t = Table::new(&[
        env.t("Cas de test", "Test case"),
        env.t("Suite / classe / nom", "Suite / class / name"),
        env.t("Statut", "Status"),
        env.t("Durée", "Duration"),
        env.t("Reprises", "Retries"),
        env.t("Message", "Message"),
        env.t("Fichier", "File"),
    ]);
    for r in &results {
        let mut path: Vec<&str> = Vec::new();
        for p in [r.suite_path.as_str(), r.classname.as_str(), r.name.as_str()] {
            if !p.is_empty() {
                path.push(p);
            }
        }
        t.row(vec![
            r.test.clone().unwrap_or_else(|| "—".into()),
            path.join(" / "),
            r.status.label(env.lang).to_string(),
            seconds(env, r.duration_ms),
            if r.flaky {
                format!("{} ({})", r.retries, env.t("instable", "flaky"))
            } else {
                r.retries.to_string()
            },
            r.message.clone(),
            r.file.clone(),
        ]);
    }
    t.max_width = 50;
    t.print("");
    println!("\n{} {}", results.len(), env.t("résultat(s)", "result(s)"));
    Ok(EXIT_OK)
}
