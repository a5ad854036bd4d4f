//! `recette signoff`, `recette verify` and `recette reserve ...`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK, EXIT_REJECTED};
use crate::error::Result;
use crate::import::input::Input;
use crate::model::{Decision, Severity};
use crate::ops::signoff::verify;
use crate::report::view::fmt_date;
use crate::signoff::{sign, SignRequest};

/// `recette signoff`
#[derive(Debug, Args)]
pub struct SignoffArgs {
    /// Campagne
    pub campaign: String,
    /// Décision prononcée : admission, reserves, ajournement, rejet, refaction
    #[arg(long)]
    pub decision: String,
    /// Réserve (texte ; répétable). Avec --decision reserves, les réserves proposées sont ajoutées.
    #[arg(long = "reserve", value_name = "TEXTE")]
    pub reserves: Vec<String>,
    /// Échéance des réserves (AAAA-MM-JJ ; défaut : la date de signature plus le délai de la
    /// stratégie)
    #[arg(long, value_name = "DATE")]
    pub deadline: Option<String>,
    /// Signataire pour l'acheteur « Nom, fonction[, organisme] » (répétable, au moins un ;
    /// organisme par défaut : le réglage buyer)
    #[arg(
        long = "signatory",
        visible_alias = "buyer-signatory",
        value_name = "NOM, FONCTION[, ORGANISME]",
        required = true
    )]
    pub signatories: Vec<String>,
    /// Signataire pour le titulaire « Nom, fonction[, organisme] » (répétable ; organisme par
    /// défaut : le réglage vendor, sinon le prestataire de la livraison). Sans lui : avertissement.
    #[arg(long = "vendor-signatory", value_name = "NOM, FONCTION[, ORGANISME]")]
    pub vendor_signatories: Vec<String>,
    /// La campagne est déjà signée : motif du nouveau PV, qui remplace le dernier (l'ancien reste)
    #[arg(long, value_name = "MOTIF")]
    pub supersede: Option<String>,
    /// Montre exactement ce qui serait scellé (décision, réserves, signataires, fichiers et
    /// empreintes) sans rien enregistrer
    #[arg(long)]
    pub dry_run: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
    /// Dossier de rapports déjà produits à sceller (défaut : le jeu complet est produit dans
    /// <dossier de la base>/signoffs/<campagne>-<n>/)
    #[arg(long)]
    pub reports: Option<PathBuf>,
    /// Commentaire
    #[arg(long, default_value = "")]
    pub comment: String,
}

/// `recette verify`
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Fichier à contrôler (rapport, PV...)
    pub file: PathBuf,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Reservation commands.
#[derive(Debug, Subcommand)]
pub enum ReserveCommand {
    /// Liste les réserves des PV signés
    List(ReserveListArgs),
    /// Lève une réserve (enregistrement daté ; le PV signé reste inchangé)
    Lift(ReserveLiftArgs),
}

/// `reserve list`
#[derive(Debug, Args)]
pub struct ReserveListArgs {
    /// Seulement les réserves non levées
    #[arg(long)]
    pub open: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `reserve lift`
#[derive(Debug, Args)]
pub struct ReserveLiftArgs {
    /// Réserve (RES-n)
    pub reference: String,
    /// Commentaire (preuve de correction, version...)
    #[arg(long, default_value = "")]
    pub comment: String,
}

/// Runs `recette signoff`.
pub fn run_signoff(a: SignoffArgs, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let decision = Decision::parse(&a.decision)?;
    let mut store = env.open()?;
    let s = sign(
        &mut store,
        &SignRequest {
            campaign: a.campaign.clone(),
            decision,
            reserves: a.reserves,
            reservations: None,
            deadline: a.deadline,
            signatories: a.signatories,
            vendor_signatories: a.vendor_signatories,
            reports: a.reports,
            comment: a.comment,
            supersede: a.supersede,
            dry_run: a.dry_run,
            lang,
        },
    )?;
    for w in &s.warnings {
        eprintln!("{} {}", env.t("Attention :", "Warning:"), w.get(lang));
    }
    if a.json {
        json(&s)?;
        return Ok(EXIT_OK);
    }
    match s.id {
        Some(id) => println!(
            "{} {} — {} {} ({} {id}) : {}",
            env.t("PV signé :", "Signed off:"),
            a.campaign,
            env.t("signature n°", "sign-off no."),
            s.number,
            env.t("enregistrement", "record"),
            decision.label(lang)
        ),
        None => println!(
            "{} {} — {} {} : {}",
            env.t(
                "Essai (rien n'est enregistré) — serait scellé :",
                "Dry run (nothing recorded) — would be sealed:"
            ),
            a.campaign,
            env.t("signature n°", "sign-off no."),
            s.number,
            decision.label(lang)
        ),
    }
    if let Some(n) = s.supersedes_number {
        println!(
            "  {} {n} — {} {}",
            env.t("Remplace le PV n°", "Replaces sign-off no."),
            env.t("motif :", "reason:"),
            s.record.supersede_reason
        );
    }
    for p in &s.record.signatories {
        println!("  {} {}", p.party.heading(lang), p.display());
    }
    if decision != s.proposed {
        println!(
            "  {} {}",
            env.t(
                "Note : la décision proposée par l'outil était",
                "Note: the tool proposed"
            ),
            s.proposed.label(lang)
        );
    }
    if s.dry_run {
        println!(
            "  {}",
            env.t(
                "Rapports qui seraient scellés :",
                "Reports that would be sealed:"
            )
        );
    } else {
        println!(
            "  {} {}",
            env.t("Rapports scellés :", "Sealed reports:"),
            s.dir.display()
        );
    }
    for f in &s.record.files {
        println!("    {}  {}", f.sha256, f.file_name);
    }
    for r in &s.record.reservations {
        println!(
            "  {} — {} ({} {})",
            r.reference,
            r.description,
            env.t("à lever avant le", "to lift by"),
            fmt_date(lang, r.deadline.as_deref().unwrap_or(""), false)
        );
    }
    Ok(EXIT_OK)
}

/// Runs `recette verify`: 0 when the file matches a recorded sign-off, 1 otherwise.
pub fn run_verify(a: VerifyArgs, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let store = env.open()?;
    let v = verify(&store, &Input::Path(a.file.clone()))?;
    let code = if v.matches.is_empty() {
        EXIT_REJECTED
    } else {
        EXIT_OK
    };
    if a.json {
        json(&v)?;
        return Ok(code);
    }
    let sha = &v.sha256;
    if v.matches.is_empty() {
        println!(
            "{} {} (sha256 {sha})",
            env.t(
                "NON CONFORME : aucun PV signé n'a enregistré ce fichier —",
                "NO MATCH: no signed sign-off recorded this file —"
            ),
            a.file.display()
        );
        return Ok(code);
    }
    println!(
        "{} {} (sha256 {sha})",
        env.t("CONFORME :", "MATCH:"),
        a.file.display()
    );
    for m in &v.matches {
        println!(
            "  {} {} — {} {} ({} {}) — {} : {} — {} {} — {} : {}",
            env.t("signature", "sign-off"),
            m.signoff,
            env.t("campagne", "campaign"),
            m.campaign,
            env.t("n°", "no."),
            m.number,
            env.t("décision", "decision"),
            m.decision.label(lang),
            env.t("signé le", "signed on"),
            super::output::when(lang, &m.signed_at),
            env.t("signataires", "signatories"),
            m.signatories.join(" ; ")
        );
        println!(
            "    {} {}",
            env.t("fichier enregistré :", "recorded file:"),
            m.file_name
        );
    }
    Ok(code)
}

/// Runs a reservation command.
pub fn run_reserve(cmd: ReserveCommand, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let mut store = env.open()?;
    match cmd {
        ReserveCommand::List(a) => {
            let list = store.reservations(a.open)?;
            if a.json {
                return json(&list).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Réserve", "Reservation"),
                env.t("Campagne", "Campaign"),
                env.t("Description", "Description"),
                env.t("Sévérité", "Severity"),
                env.t("Échéance", "Deadline"),
                env.t("Levée", "Lifted"),
            ]);
            for r in list {
                t.row(vec![
                    r.reference,
                    r.campaign,
                    r.description,
                    Severity::from_code(&r.severity)
                        .map(|s| s.label(lang).to_string())
                        .unwrap_or_default(),
                    r.deadline
                        .as_deref()
                        .map(|d| fmt_date(lang, d, false))
                        .unwrap_or_default(),
                    r.lifted_at
                        .as_deref()
                        .map(|d| {
                            format!(
                                "{} ({})",
                                fmt_date(lang, d, false),
                                r.lifted_by.clone().unwrap_or_default()
                            )
                        })
                        .unwrap_or_default(),
                ]);
            }
            t.print(env.t("Aucune réserve.", "No reservation."));
        }
        ReserveCommand::Lift(a) => {
            crate::ops::signoff::lift(&mut store, &a.reference, &a.comment)?;
            println!(
                "{} {}",
                env.t("Réserve levée :", "Reservation lifted:"),
                a.reference
            );
        }
    }
    Ok(EXIT_OK)
}
