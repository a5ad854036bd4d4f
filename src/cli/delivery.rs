//! `recette delivery ...`, `recette vendor` and `recette config`.

use clap::{Args, Subcommand};

use super::campaign::{opt_date, JsonArgs};
use super::output::{json, Table};
use super::req::ShowArgs;
use super::{Env, EXIT_OK, EXIT_REJECTED};
use crate::error::Result;
use crate::i18n::percent;
use crate::import::input::Input;
use crate::ops::delivery::{self as ops, Claims, DeliveryRequest, NoteImportRequest};
use crate::ops::project::{set_setting, setting, Setting};
use crate::store::{parse_document_state, DeliveryPatch, NewDelivery};

/// Delivery commands.
#[derive(Debug, Subcommand)]
pub enum DeliveryCommand {
    /// Enregistre une livraison (version livrée par le prestataire)
    Add(Box<DeliveryAddArgs>),
    /// Liste les livraisons
    List(JsonArgs),
    /// Affiche une livraison : anomalies corrigées annoncées, exigences livrées, documents, délai de décision
    Show(ShowArgs),
    /// Modifie une livraison (dates, version, anomalies connues, délai de décision)
    Set(Box<DeliverySetArgs>),
    /// Enregistre ce que la livraison annonce : anomalies corrigées, exigences livrées ou modifiées
    Claim(ClaimArgs),
    /// Fixe l'état d'un document attendu avec la livraison (attendu, reçu, accepté, refusé)
    Doc(DocArgs),
    /// Importe le bordereau de livraison (xlsx, ods, csv) : anomalies corrigées (passent « à
    /// retester »), exigences livrées ou modifiées, documents, version et date
    Import(NoteImportArgs),
}

/// `delivery import`
#[derive(Debug, Args)]
pub struct NoteImportArgs {
    /// Bordereau de livraison (xlsx, xls, ods, csv)
    #[arg(value_name = "BORDEREAU")]
    pub file: std::path::PathBuf,
    /// Livraison concernée
    #[arg(long, value_name = "LIVRAISON")]
    pub delivery: String,
    /// Affiche ce qui changerait sans rien écrire
    #[arg(long)]
    pub dry_run: bool,
    /// Applique les lignes valides et liste les lignes refusées (sinon une erreur refuse tout)
    #[arg(long)]
    pub partial: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `delivery add`
#[derive(Debug, Args)]
pub struct DeliveryAddArgs {
    /// Référence (ex. LIV-2026-01)
    pub reference: String,
    /// Version livrée
    #[arg(long, default_value = "")]
    pub version: String,
    /// Prestataire
    #[arg(long, default_value = "")]
    pub vendor: String,
    /// Lot du marché
    #[arg(long, default_value = "")]
    pub lot: String,
    /// Date prévue (AAAA-MM-JJ ou JJ/MM/AAAA)
    #[arg(long)]
    pub planned: Option<String>,
    /// Date de livraison effective
    #[arg(long)]
    pub delivered: Option<String>,
    /// Notes
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Anomalies connues livrées avec la version
    #[arg(long)]
    pub known_issues: Option<String>,
    /// Jours pour notifier la décision après livraison (défaut : réglage du projet, 30)
    #[arg(long)]
    pub decision_days: Option<i64>,
    /// Anomalie que la livraison corrige (répétable) : elle passe « à retester »
    #[arg(long = "fixes", value_name = "ANOMALIE")]
    pub fixes: Vec<String>,
    /// Exigence livrée (répétable)
    #[arg(long = "delivers", value_name = "EXIGENCE")]
    pub delivers: Vec<String>,
    /// Exigence modifiée (répétable)
    #[arg(long = "changes", value_name = "EXIGENCE")]
    pub changes: Vec<String>,
    /// Document attendu avec la livraison (répétable)
    #[arg(long = "document", value_name = "NOM")]
    pub documents: Vec<String>,
}

/// `delivery set`
#[derive(Debug, Args)]
pub struct DeliverySetArgs {
    /// Référence
    pub reference: String,
    #[arg(long)]
    pub version: Option<String>,
    #[arg(long)]
    pub vendor: Option<String>,
    #[arg(long)]
    pub lot: Option<String>,
    /// Date prévue
    #[arg(long)]
    pub planned: Option<String>,
    /// Date de livraison effective
    #[arg(long)]
    pub delivered: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    #[arg(long)]
    pub known_issues: Option<String>,
    #[arg(long)]
    pub decision_days: Option<i64>,
}

/// `delivery claim`
#[derive(Debug, Args)]
pub struct ClaimArgs {
    /// Livraison
    pub delivery: String,
    /// Anomalie corrigée (répétable)
    #[arg(long = "fixes", value_name = "ANOMALIE")]
    pub fixes: Vec<String>,
    /// Exigence livrée (répétable)
    #[arg(long = "delivers", value_name = "EXIGENCE")]
    pub delivers: Vec<String>,
    /// Exigence modifiée (répétable)
    #[arg(long = "changes", value_name = "EXIGENCE")]
    pub changes: Vec<String>,
}

/// `delivery doc`
#[derive(Debug, Args)]
pub struct DocArgs {
    /// Livraison
    pub delivery: String,
    /// Nom du document (ex. « Notes de version »)
    pub name: String,
    /// État : attendu, reçu, accepté, refusé
    #[arg(long, default_value = "attendu")]
    pub state: String,
    /// Commentaire
    #[arg(long, default_value = "")]
    pub comment: String,
}

/// `recette vendor`
#[derive(Debug, Args)]
pub struct VendorArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `recette config`
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Réglage : decision_days, name, buyer, buyer_service, contract, contract_title, vendor,
    /// signature_place (sans réglage : la liste des réglages et leurs valeurs)
    pub key: Option<String>,
    /// Nouvelle valeur (sans valeur : affiche la valeur)
    pub value: Option<String>,
}

/// Runs a delivery command.
pub fn run(cmd: DeliveryCommand, env: &Env) -> Result<i32> {
    if let DeliveryCommand::Import(a) = cmd {
        return import_note(a, env);
    }
    let mut store = env.open()?;
    match cmd {
        DeliveryCommand::Import(_) => {}
        DeliveryCommand::Add(a) => {
            let a = *a;
            let req = DeliveryRequest {
                reference: a.reference,
                delivery: NewDelivery {
                    version: a.version,
                    vendor: a.vendor,
                    lot: a.lot,
                    planned_date: opt_date(a.planned)?,
                    delivered_date: opt_date(a.delivered)?,
                    notes: a.notes,
                },
                known_issues: a.known_issues,
                decision_days: a.decision_days,
                claims: Claims {
                    fixes: a.fixes,
                    delivers: a.delivers,
                    changes: a.changes,
                },
                documents: a.documents,
            };
            ops::add_delivery(&mut store, &req)?;
            println!(
                "{} {}",
                env.t("Livraison enregistrée :", "Delivery recorded:"),
                req.reference
            );
        }
        DeliveryCommand::Set(a) => {
            let p = DeliveryPatch {
                version: a.version,
                vendor: a.vendor,
                lot: a.lot,
                planned_date: opt_date(a.planned)?,
                delivered_date: opt_date(a.delivered)?,
                notes: a.notes,
                known_issues: a.known_issues,
                decision_days: a.decision_days,
            };
            store.write("delivery set", |tx| tx.update_delivery(&a.reference, &p))?;
            println!(
                "{} {}",
                env.t("Livraison modifiée :", "Delivery changed:"),
                a.reference
            );
        }
        DeliveryCommand::Claim(a) => {
            let claims = Claims {
                fixes: a.fixes,
                delivers: a.delivers,
                changes: a.changes,
            };
            ops::claim(&mut store, &a.delivery, &claims)?;
            println!(
                "{} {} : {} {}, {} {}",
                env.t("Livraison", "Delivery"),
                a.delivery,
                claims.fixes.len(),
                env.t(
                    "anomalie(s) corrigée(s) à retester",
                    "fixed anomalie(s) to retest"
                ),
                claims.delivers.len() + claims.changes.len(),
                env.t(
                    "exigence(s) livrée(s) ou modifiée(s)",
                    "requirement(s) delivered or changed"
                )
            );
        }
        DeliveryCommand::Doc(a) => {
            let state = parse_document_state(&a.state)?;
            store.write("delivery doc", |tx| {
                tx.set_document(&a.delivery, &a.name, state, &a.comment)
            })?;
            println!("{} {} : {}", env.t("Document", "Document"), a.name, a.state);
        }
        DeliveryCommand::List(a) => {
            let ds = store.deliveries()?;
            if a.json {
                return json(&ds).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Réf.", "Ref"),
                "Version",
                env.t("Prestataire", "Vendor"),
                "Lot",
                env.t("Prévue", "Planned"),
                env.t("Livrée", "Delivered"),
            ]);
            for d in ds {
                t.row(vec![
                    d.reference,
                    d.version,
                    d.vendor,
                    d.lot,
                    super::output::when(env.lang, &d.planned_date.unwrap_or_default()),
                    super::output::when(env.lang, &d.delivered_date.unwrap_or_default()),
                ]);
            }
            t.print(env.t("Aucune livraison.", "No delivery."));
        }
        DeliveryCommand::Show(a) => {
            let d = store.delivery_detail(&a.reference)?;
            if a.json {
                return json(&d).map(|_| EXIT_OK);
            }
            let x = &d.delivery;
            println!("{} — {} {} ({})", x.reference, x.vendor, x.version, x.lot);
            println!(
                "  {} {}   {} {}",
                env.t("Prévue :", "Planned:"),
                super::output::when_or_dash(env.lang, x.planned_date.as_deref()),
                env.t("Livrée :", "Delivered:"),
                super::output::when_or_dash(env.lang, x.delivered_date.as_deref())
            );
            println!(
                "  {} {} ({} {})",
                env.t("Décision à notifier avant le", "Decision to notify by"),
                super::output::when_or_dash(env.lang, d.decision_deadline.as_deref()),
                d.decision_days,
                env.t(
                    "jours ; au-delà, admission tacite",
                    "days; after that, tacit acceptance"
                ),
            );
            if !d.known_issues.is_empty() {
                println!(
                    "  {} {}",
                    env.t("Anomalies connues :", "Known issues:"),
                    d.known_issues
                );
            }
            if !d.campaigns.is_empty() {
                println!(
                    "  {} {}",
                    env.t("Campagnes :", "Campaigns:"),
                    d.campaigns.join(", ")
                );
            }
            let mut t = Table::new(&[
                env.t("Corrige", "Fixes"),
                env.t("Intitulé", "Title"),
                env.t("Sévérité", "Severity"),
                env.t("Statut", "Status"),
            ]);
            for f in &d.fixes {
                t.row(vec![
                    f.anomaly.clone(),
                    f.title.clone(),
                    f.severity.label(env.lang).into(),
                    f.status.label(env.lang).into(),
                ]);
            }
            println!();
            t.print(env.t("Aucune correction annoncée.", "No fix claimed."));
            if !d.requirements.is_empty() {
                println!();
                let mut t = Table::new(&[
                    env.t("Exigence", "Requirement"),
                    env.t("Livrée / modifiée", "Delivered / changed"),
                ]);
                for r in &d.requirements {
                    let c = if r.change == "changed" {
                        env.t("modifiée", "changed")
                    } else {
                        env.t("livrée", "delivered")
                    };
                    t.row(vec![r.requirement.clone(), c.into()]);
                }
                t.print("");
            }
            if !d.documents.is_empty() {
                println!();
                let mut t = Table::new(&[
                    env.t("Document", "Document"),
                    env.t("État", "State"),
                    env.t("Commentaire", "Comment"),
                ]);
                for doc in &d.documents {
                    t.row(vec![
                        doc.name.clone(),
                        document_label(env, &doc.state).into(),
                        doc.comment.clone(),
                    ]);
                }
                t.print("");
            }
        }
    }
    Ok(EXIT_OK)
}

/// Runs `recette delivery import`.
fn import_note(a: NoteImportArgs, env: &Env) -> Result<i32> {
    let mut store = env.open()?;
    let outcome = ops::import_note(
        &mut store,
        &NoteImportRequest {
            input: Input::Path(a.file.clone()),
            delivery: a.delivery.clone(),
            dry_run: a.dry_run,
            partial: a.partial,
            lang: env.lang,
        },
    )?;
    let failed = outcome.rejected;
    if a.json {
        json(&outcome)?;
        return Ok(if failed { EXIT_REJECTED } else { EXIT_OK });
    }
    let plan = &outcome.plan;
    let mut t = Table::new(&[
        env.t("Élément", "Item"),
        env.t("Référence", "Reference"),
        env.t("Détail", "Detail"),
        env.t("Changement", "Change"),
        env.t("Cellule", "Cell"),
    ]);
    for i in &plan.items {
        let kind = match i.kind {
            "fix" => env.t("anomalie corrigée", "fixed anomaly"),
            "requirement" => env.t("exigence", "requirement"),
            "document" => env.t("document", "document"),
            "version" => "version",
            _ => env.t("date de livraison", "delivery date"),
        };
        let detail = match i.detail.as_str() {
            "delivered" => env.t("livrée", "delivered").to_string(),
            "changed" => env.t("modifiée", "changed").to_string(),
            s if i.kind == "document" => document_label(env, s).to_string(),
            s => s.to_string(),
        };
        let change = match i.change {
            "created" => env.t("ajouté", "added"),
            "updated" => env.t("modifié", "updated"),
            "unchanged" => env.t("inchangé", "unchanged"),
            _ => env.t("ignoré", "skipped"),
        };
        let cell = match (&i.origin.sheet, i.origin.row, &i.origin.column) {
            (Some(s), Some(r), Some(c)) => format!("{s} › {c}{r}"),
            _ => String::new(),
        };
        t.row(vec![
            kind.into(),
            i.reference.clone(),
            detail,
            change.into(),
            cell,
        ]);
    }
    t.max_width = 60;
    t.print(env.t(
        "Bordereau vide : aucune anomalie, exigence ou document reconnu.",
        "Empty note: no anomaly, requirement or document recognised.",
    ));
    if !plan.issues.is_empty() {
        println!("\n{}", env.t("Erreurs :", "Errors:"));
        for i in &plan.issues {
            println!("  - {}", i.describe(env.lang));
        }
    }
    let tot = &plan.totals;
    println!(
        "\n{} {} : {} {}, {} {}, {} {}, {} {}",
        env.t("Livraison", "Delivery"),
        plan.delivery,
        tot.created,
        env.t("ajouté(s)", "added"),
        tot.updated,
        env.t("modifié(s)", "updated"),
        tot.unchanged,
        env.t("inchangé(s)", "unchanged"),
        tot.skipped,
        env.t("ignoré(s)", "skipped"),
    );
    if a.dry_run {
        println!("{}", super::import::dry_run_note(env, failed));
    }
    Ok(if failed { EXIT_REJECTED } else { EXIT_OK })
}

/// Label of a document state.
pub fn document_label(env: &Env, state: &str) -> &'static str {
    match state {
        "received" => env.t("reçu", "received"),
        "accepted" => env.t("accepté", "accepted"),
        "refused" => env.t("refusé", "refused"),
        _ => env.t("attendu", "expected"),
    }
}

/// Runs `recette vendor`.
pub fn run_vendor(a: VendorArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let r = ops::vendor_indicators(&store)?;
    if a.json {
        return json(&r).map(|_| EXIT_OK);
    }
    let lang = env.lang;
    let mut t = Table::new(&[
        env.t("Livraison", "Delivery"),
        "Version",
        env.t("Retard (j)", "Late (d)"),
        env.t("Décision avant", "Decide by"),
        env.t("FA trouvées B/M/m", "Found B/M/m"),
        env.t("Corrections", "Fixes"),
        env.t("Confirmées", "Confirmed"),
        env.t("Réouverture", "Reopen rate"),
        env.t("Retest OK 1er coup", "First-time pass"),
        env.t("Docs manquants", "Missing docs"),
        env.t("Réserves en retard", "Overdue reserv."),
    ]);
    for d in &r.deliveries {
        let f = |k: &str| d.anomalies_found.get(k).copied().unwrap_or(0);
        t.row(vec![
            d.reference.clone(),
            d.version.clone(),
            d.days_late
                .map(|x| x.to_string())
                .unwrap_or_else(|| "—".into()),
            match (&d.decision_deadline, d.days_to_decision) {
                (Some(dl), Some(n)) if n >= 0 => {
                    format!("{} (J-{n})", super::output::when(lang, dl))
                }
                (Some(dl), Some(_)) => format!(
                    "{} ({})",
                    super::output::when(lang, dl),
                    env.t("dépassé", "passed")
                ),
                _ => "—".into(),
            },
            format!("{}/{}/{}", f("bloquante"), f("majeure"), f("mineure")),
            d.fixes_claimed.to_string(),
            d.fixes_confirmed.to_string(),
            percent(lang, d.reopen_rate),
            percent(lang, d.first_time_pass_rate),
            d.documents_missing.len().to_string(),
            d.reservations_overdue.to_string(),
        ]);
    }
    t.print(env.t("Aucune livraison.", "No delivery."));
    let o = |k: &str| r.open_anomalies.get(k).copied().unwrap_or(0);
    println!(
        "\n{} {} {} / {} {} / {} {}",
        env.t("Anomalies ouvertes :", "Open anomalies:"),
        o("bloquante"),
        env.t("bloquante(s)", "blocking"),
        o("majeure"),
        env.t("majeure(s)", "major"),
        o("mineure"),
        env.t("mineure(s)", "minor"),
    );
    if let (Some(avg), Some(max), Some(oldest)) = (
        r.open_anomaly_age_avg_days,
        r.open_anomaly_age_max_days,
        &r.oldest_open_anomaly,
    ) {
        println!(
            "{} {:.0} {} ; {} {oldest} ({max} {})",
            env.t(
                "Âge moyen des anomalies ouvertes :",
                "Average age of open anomalies:"
            ),
            avg,
            env.t("jours", "days"),
            env.t("la plus ancienne :", "oldest:"),
            env.t("jours", "days")
        );
    }
    Ok(EXIT_OK)
}

/// Runs `recette config`.
pub fn run_config(a: ConfigArgs, env: &Env) -> Result<i32> {
    let Some(key_text) = a.key else {
        let store = env.open()?;
        let mut t = Table::new(&[
            env.t("Réglage", "Setting"),
            env.t("Valeur", "Value"),
            env.t("Rôle", "Purpose"),
        ]);
        for s in Setting::ALL {
            t.row(vec![
                s.key().to_string(),
                setting(&store, *s)?,
                s.describe(env.lang).to_string(),
            ]);
        }
        t.print("");
        return Ok(EXIT_OK);
    };
    let key = Setting::parse(&key_text)?;
    let mut store = env.open()?;
    match a.value {
        None => println!("{}", setting(&store, key)?),
        Some(v) => {
            set_setting(&mut store, key, &v)?;
            println!("{key_text} = {}", v.trim());
        }
    }
    Ok(EXIT_OK)
}
