//! Sign-offs (PV de recette signé) and reservations: domain types and file hashing.
//!
//! A sign-off freezes a decision, its reservations, its signatories (per party: the buyer, the
//! vendor), its date and place, a JSON snapshot of the indicators and verdict, and the sha256 of
//! every report file. The store forbids any change to a sign-off (SQLite triggers); lifting a
//! reservation fills the reservation's own lifting columns, never the sign-off. Signing a
//! campaign already signed makes a new sign-off that names the one it replaces (with a reason);
//! the old one stays.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::Decision;
use crate::report::view::{PvReservation, PvSuperseded};
use crate::report::{self, Format, Options, PvSignOff};
use crate::store::Store;
use crate::verdict::{add_days, Evaluation, Text};

/// The party a signatory signs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    /// The buyer (pouvoir adjudicateur, maîtrise d'ouvrage).
    Buyer,
    /// The vendor (titulaire du marché).
    Vendor,
}

impl Party {
    /// "Pour l'acheteur" / "For the buyer".
    pub fn heading(self, lang: Lang) -> &'static str {
        match self {
            Party::Buyer => lang.pick("Pour l'acheteur", "For the buyer"),
            Party::Vendor => lang.pick("Pour le titulaire", "For the vendor"),
        }
    }
}

/// One signatory of a sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    pub party: Party,
    pub name: String,
    pub function: String,
    pub organisation: String,
}

impl Signatory {
    /// Parses `"Nom, fonction[, organisation]"`; the organisation defaults to `default_org`.
    pub fn parse(party: Party, text: &str, default_org: &str) -> Result<Signatory> {
        let mut parts = text.splitn(3, ',').map(str::trim);
        let name = parts.next().unwrap_or("").to_string();
        let function = parts.next().unwrap_or("").to_string();
        let organisation = parts
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or(default_org)
            .trim()
            .to_string();
        let option = match party {
            Party::Buyer => "--signatory",
            Party::Vendor => "--vendor-signatory",
        };
        if name.is_empty() || function.is_empty() {
            return Err(Error::input(
                format!("{option} « {text} » : attendu « Nom, fonction[, organisation] »"),
                format!("{option} \"{text}\": expected \"Name, function[, organisation]\""),
            ));
        }
        Ok(Signatory {
            party,
            name,
            function,
            organisation,
        })
    }

    /// `Name, function (organisation)`: how lists and the audit log show a signatory.
    pub fn display(&self) -> String {
        if self.organisation.is_empty() {
            format!("{}, {}", self.name, self.function)
        } else {
            format!("{}, {} ({})", self.name, self.function, self.organisation)
        }
    }
}

/// Reads the `signatories` JSON of a sign-off: objects since migration 0008, plain
/// `"Name, role"` strings before (read as buyer signatories, organisation unknown).
pub fn signatories_from_json(json: &str) -> Vec<Signatory> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item {
        Full(Signatory),
        Text(String),
    }
    let items: Vec<Item> = serde_json::from_str(json).unwrap_or_default();
    items
        .into_iter()
        .map(|i| match i {
            Item::Full(s) => s,
            Item::Text(t) => {
                let (name, function) = match t.split_once(',') {
                    Some((n, f)) => (n.trim().to_string(), f.trim().to_string()),
                    None => (t.trim().to_string(), String::new()),
                };
                Signatory {
                    party: Party::Buyer,
                    name,
                    function,
                    organisation: String::new(),
                }
            }
        })
        .collect()
}

/// A report file recorded in a sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedFile {
    /// Path relative to the signed folder, `/`-separated.
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
}

/// A reservation (réserve) of a sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reservation {
    /// `RES-<n>`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Sign-off id.
    pub signoff: i64,
    pub campaign: String,
    pub description: String,
    /// Severity code of the anomaly, empty when none.
    pub severity: String,
    pub anomaly: Option<String>,
    /// Deadline for lifting, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub lifted_at: Option<String>,
    pub lifted_by: Option<String>,
    pub lift_comment: String,
}

impl Reservation {
    /// Whether the reservation is still to be lifted.
    pub fn is_open(&self) -> bool {
        self.lifted_at.is_none()
    }
}

/// A recorded sign-off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignOff {
    pub id: i64,
    /// Rank of the sign-off among those of its campaign (1, 2...).
    pub number: i64,
    pub campaign: String,
    pub decision: Decision,
    pub signed_at: String,
    pub actor: String,
    /// Each signatory as lists show it (`Name, function (organisation)`).
    pub signatories: Vec<String>,
    /// The signatories, per party.
    pub signers: Vec<Signatory>,
    /// "Fait à ..." place (project setting `signature_place` when signed).
    pub place: String,
    /// Record id of the sign-off this one replaces.
    pub supersedes: Option<i64>,
    /// Why it replaces it.
    pub supersede_reason: String,
    /// Indicators and verdict when signed.
    pub snapshot: serde_json::Value,
    pub comment: String,
    pub files: Vec<SignedFile>,
    pub reservations: Vec<Reservation>,
}

/// A decision signed in another store, imported from its project workbook: it counts as a
/// sign-off of its campaign, but its sealed files stay in that store (named in `files`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedDecision {
    pub campaign: String,
    pub number: i64,
    pub decision: Decision,
    pub signed_at: String,
    pub signatories: Vec<String>,
    /// The sealed files as the original store recorded them, one per line.
    pub files: String,
    /// The workbook and row it came from.
    pub source: String,
}

/// A reservation to record with a new sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewReservation {
    #[serde(rename = "ref")]
    pub reference: String,
    pub description: String,
    pub severity: String,
    pub anomaly: Option<String>,
    pub deadline: Option<String>,
}

/// A sign-off to record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewSignOff {
    pub campaign: String,
    pub decision: Decision,
    pub signatories: Vec<Signatory>,
    pub place: String,
    /// Record id of the sign-off this one replaces, and why.
    pub supersedes: Option<i64>,
    pub supersede_reason: String,
    pub snapshot: serde_json::Value,
    pub comment: String,
    pub files: Vec<SignedFile>,
    pub reservations: Vec<NewReservation>,
}

/// sha256 (lower-case hex) and size of a file.
pub fn sha256_file(path: &Path) -> Result<(String, i64)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok((
        crate::store::hex(&Sha256::digest(&bytes)),
        bytes.len() as i64,
    ))
}

/// Hashes every file under `dir` (recursively), ordered by relative path.
pub fn hash_dir(dir: &Path) -> Result<Vec<SignedFile>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        for e in entries {
            let e = e.map_err(|e| Error::io(dir, e))?;
            let p = e.path();
            let ft = e.file_type().map_err(|err| Error::io(&p, err))?;
            if ft.is_dir() {
                walk(&p, out)?;
            } else if ft.is_file() {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths)?;
    let mut files = Vec::new();
    for p in paths {
        let (sha256, size) = sha256_file(&p)?;
        let rel = p.strip_prefix(dir).unwrap_or(&p);
        let file_name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.push(SignedFile {
            file_name,
            sha256,
            size,
        });
    }
    files.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    if files.is_empty() {
        return Err(Error::input(
            format!("{} ne contient aucun fichier à signer", dir.display()),
            format!("{} holds no file to sign", dir.display()),
        ));
    }
    Ok(files)
}

/// The folder, relative to the store's, where a sign-off's files are sealed:
/// `signoffs/<campaign>-<n>`.
pub fn sealed_folder(campaign: &str, number: i64) -> String {
    format!("signoffs/{}-{number}", report::safe_file_part(campaign))
}

/// Copies the files of `from` into `to` (created), keeping their relative paths.
fn copy_files(from: &Path, to: &Path, files: &[SignedFile]) -> Result<()> {
    for f in files {
        let src = from.join(&f.file_name);
        let dest = to.join(&f.file_name);
        if let Some(d) = dest.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
        }
        std::fs::copy(&src, &dest).map_err(|e| Error::io(&dest, e))?;
    }
    Ok(())
}

/// The day of a date given by a person (`2026-05-04`, `04/05/2026`...).
fn day_of(text: &str) -> Result<String> {
    let d = crate::dates::parse_date(text)?;
    Ok(d.get(..10).unwrap_or(&d).to_string())
}

/// A reservation as the signer words it (the proposed ones edited, or one added).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReserveInput {
    pub description: String,
    /// The anomaly it follows, kept from the proposed reservation.
    pub anomaly: Option<String>,
    /// Severity code of that anomaly (empty for a reservation written by hand).
    pub severity: String,
    /// ISO date to lift it by (`None`: the request's `deadline`, else the strategy's delay).
    pub deadline: Option<String>,
}

/// What to sign.
#[derive(Debug, Clone)]
pub struct SignRequest {
    pub campaign: String,
    pub decision: Decision,
    /// Explicit reservation texts (added to the proposed ones when the decision is `reserves`).
    pub reserves: Vec<String>,
    /// The reservations as the signer edited them (wording, deadline, some left out), in
    /// place of the proposed ones; `None` takes the proposed ones as they are. `reserves` are
    /// added either way.
    pub reservations: Option<Vec<ReserveInput>>,
    /// The deadline of the reservations that give none (default: the signing day plus the
    /// strategy's `reserve_days`).
    pub deadline: Option<String>,
    /// The buyer's signatories, `"Nom, fonction[, organisation]"` (at least one); the
    /// organisation defaults to the `buyer` setting.
    pub signatories: Vec<String>,
    /// The vendor's signatories, same form; the organisation defaults to the `vendor`
    /// setting, else the delivery's vendor. None is allowed, with a warning.
    pub vendor_signatories: Vec<String>,
    /// Already produced reports to seal; `None` produces the full set into
    /// `<store folder>/signoffs/<campaign>-<n>/` first.
    pub reports: Option<PathBuf>,
    pub comment: String,
    /// Required when the campaign is already signed: why the new PV replaces the last one.
    pub supersede: Option<String>,
    /// Produce and hash everything, record nothing (the files go to a temporary folder).
    pub dry_run: bool,
    /// Language of the generated reports and of the proposed reservation texts.
    pub lang: Lang,
}

/// What a signature recorded (or, in a dry run, would record).
#[derive(Debug, Clone, Serialize)]
pub struct Signed {
    /// Record id; none in a dry run.
    pub id: Option<i64>,
    pub number: i64,
    /// The folder whose files were sealed (a dry run's temporary folder is gone afterwards).
    pub dir: PathBuf,
    pub record: NewSignOff,
    /// The decision the tool proposed.
    pub proposed: Decision,
    /// The sign-off this one replaces: its rank in the campaign.
    pub supersedes_number: Option<i64>,
    /// Things to know that do not stop the signature (no vendor signatory...).
    pub warnings: Vec<Text>,
    pub dry_run: bool,
}

/// Signs a campaign: checks the signatories (one for the buyer at least) and the sign-off it
/// replaces, builds the reservations (`RES-<n>`, each due `reserve_days` after the signing
/// date), produces the report set (unless `reports` is given), hashes every file and records
/// the sign-off in one transaction. `dry_run` does all of it but the record, in a temporary
/// folder.
pub fn sign(store: &mut Store, req: &SignRequest) -> Result<Signed> {
    let eval = Evaluation::load(store, &req.campaign)?;
    let buyer_org = eval.buyer.clone().unwrap_or_default();
    let vendor_org = eval
        .vendor
        .clone()
        .or_else(|| eval.delivery.as_ref().map(|d| d.vendor.clone()))
        .unwrap_or_default();
    let mut signatories = Vec::new();
    for s in req.signatories.iter().filter(|s| !s.trim().is_empty()) {
        signatories.push(Signatory::parse(Party::Buyer, s, &buyer_org)?);
    }
    if signatories.is_empty() {
        return Err(Error::input(
            "au moins un signataire de l'acheteur est requis (--signatory \"Nom, fonction\")",
            "at least one signatory for the buyer is required (--signatory \"Name, function\")",
        ));
    }
    let mut warnings = Vec::new();
    let before = signatories.len();
    for s in req
        .vendor_signatories
        .iter()
        .filter(|s| !s.trim().is_empty())
    {
        signatories.push(Signatory::parse(Party::Vendor, s, &vendor_org)?);
    }
    if signatories.len() == before {
        warnings.push(Text::new(
            "aucun signataire pour le titulaire (--vendor-signatory \"Nom, fonction\") : le PV porte un bloc de signature vide à son nom",
            "no signatory for the vendor (--vendor-signatory \"Name, function\"): the PV has an empty signature block for it",
        ));
    }
    let previous = store.signoffs(Some(&req.campaign))?.pop();
    let supersede_reason = req
        .supersede
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    // A decision signed in another store (imported from its workbook) is a signed PV too; a
    // new PV replaces it with --supersede (the record it replaces is not in this store).
    let imported = match &previous {
        Some(_) => None,
        None => store.imported_decisions(Some(&req.campaign))?.pop(),
    };
    if let Some(i) = &imported {
        if req.supersede.is_none() {
            return Err(Error::input(
                format!(
                    "la campagne {} est déjà signée dans une autre base (PV n° {} du {}, importé de {}) : pour le remplacer, donnez le motif avec --supersede \"motif\"",
                    req.campaign,
                    i.number,
                    crate::report::view::fmt_date(Lang::Fr, &i.signed_at, false),
                    i.source
                ),
                format!(
                    "campaign {} is already signed off in another store (sign-off no. {} of {}, imported from {}): to replace it, give the reason with --supersede \"reason\"",
                    req.campaign,
                    i.number,
                    i.signed_at.get(..10).unwrap_or(&i.signed_at),
                    i.source
                ),
            ));
        }
    }
    match (&previous, req.supersede.is_some() && imported.is_none()) {
        (Some(p), false) => {
            return Err(Error::input(
                format!(
                    "la campagne {} est déjà signée (PV n° {} du {}) : pour le remplacer, donnez le motif avec --supersede \"motif\" (l'ancien PV reste enregistré)",
                    req.campaign,
                    p.number,
                    crate::report::view::fmt_date(Lang::Fr, &p.signed_at, false)
                ),
                format!(
                    "campaign {} is already signed off (sign-off no. {} of {}): to replace it, give the reason with --supersede \"reason\" (the old one stays recorded)",
                    req.campaign,
                    p.number,
                    p.signed_at.get(..10).unwrap_or(&p.signed_at)
                ),
            ))
        }
        (None, true) => {
            return Err(Error::input(
                format!(
                    "--supersede : la campagne {} n'a pas encore de PV signé à remplacer",
                    req.campaign
                ),
                format!(
                    "--supersede: campaign {} has no signed sign-off to replace yet",
                    req.campaign
                ),
            ))
        }
        (Some(_), true) if supersede_reason.is_empty() => {
            return Err(Error::input(
                "--supersede : le motif du remplacement est requis",
                "--supersede: the reason for the replacement is required",
            ))
        }
        _ => {}
    }
    let number = store.next_signoff_number(&req.campaign)?;
    let mut next = store.next_reservation_number()?;
    let now = store.context().now();
    let signing_day = now.get(..10).unwrap_or(&now).to_string();
    let deadline = match &req.deadline {
        Some(d) => day_of(d)?,
        None => add_days(&signing_day, eval.strategy.reserve_days),
    };
    let mut reservations = Vec::new();
    if req.decision == Decision::Reserves {
        let proposed: Vec<ReserveInput> = match &req.reservations {
            Some(edited) => edited.clone(),
            None => eval
                .verdict
                .reservations
                .iter()
                .map(|r| ReserveInput {
                    description: r.description.get(req.lang).to_string(),
                    anomaly: r.anomaly.clone(),
                    severity: r.severity.clone(),
                    deadline: None,
                })
                .collect(),
        };
        for (i, r) in proposed.iter().enumerate() {
            let description = r.description.trim();
            if description.is_empty() {
                return Err(Error::input(
                    format!("réserve {} : sa description est vide", i + 1),
                    format!("reservation {}: its description is empty", i + 1),
                ));
            }
            let own = match r
                .deadline
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
            {
                Some(d) => day_of(d).map_err(|e| {
                    Error::input(
                        format!("réserve {} : échéance — {}", i + 1, e.message(Lang::Fr)),
                        format!("reservation {}: deadline — {}", i + 1, e.message(Lang::En)),
                    )
                })?,
                None => deadline.clone(),
            };
            if own.as_str() < signing_day.as_str() {
                return Err(Error::input(
                    format!("réserve {} : l'échéance {own} est passée", i + 1),
                    format!("reservation {}: the deadline {own} is past", i + 1),
                ));
            }
            reservations.push(NewReservation {
                reference: format!("RES-{next}"),
                description: description.to_string(),
                severity: r.severity.clone(),
                anomaly: r.anomaly.clone(),
                deadline: Some(own),
            });
            next += 1;
        }
    }
    for text in req
        .reserves
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        reservations.push(NewReservation {
            reference: format!("RES-{next}"),
            description: text.to_string(),
            severity: String::new(),
            anomaly: None,
            deadline: Some(deadline.clone()),
        });
        next += 1;
    }
    if req.decision == Decision::Reserves && reservations.is_empty() {
        return Err(Error::input(
            "une admission avec réserves demande au moins une réserve : aucune n'est proposée, donnez-les avec --reserve",
            "acceptance with reservations needs at least one reservation: none is proposed, give them with --reserve",
        ));
    }
    let place = eval.signature_place.clone().unwrap_or_default();
    // A dry run writes into a temporary folder that lives until the files are hashed.
    let scratch = if req.dry_run && req.reports.is_none() {
        Some(tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?)
    } else {
        None
    };
    let sealed = store.root().join(sealed_folder(&req.campaign, number));
    if !req.dry_run {
        let occupied = std::fs::read_dir(&sealed)
            .map(|mut it| it.next().is_some())
            .unwrap_or(false);
        if occupied {
            return Err(Error::input(
                format!(
                    "{} existe déjà et n'est pas vide : rien n'a été signé",
                    sealed.display()
                ),
                format!(
                    "{} already exists and is not empty: nothing was signed",
                    sealed.display()
                ),
            ));
        }
    }
    let dir = match (&req.reports, &scratch) {
        (Some(d), _) => d.clone(),
        (None, scratch) => {
            let d = match scratch {
                Some(t) => t.path().join(format!(
                    "{}-{number}",
                    report::safe_file_part(&req.campaign)
                )),
                None => sealed.clone(),
            };
            let draft = PvSignOff {
                sealed_in: None,
                number,
                decision: req.decision,
                signed_at: now.clone(),
                signatories: signatories.iter().map(Signatory::display).collect(),
                signers: signatories.clone(),
                place: place.clone(),
                supersedes: previous.as_ref().map(|p| PvSuperseded {
                    number: p.number,
                    signed_at: p.signed_at.clone(),
                    reason: supersede_reason.clone(),
                }),
                reservations: reservations
                    .iter()
                    .map(|r| PvReservation {
                        reference: r.reference.clone(),
                        description: r.description.clone(),
                        severity: r.severity.clone(),
                        deadline: r.deadline.clone().unwrap_or_default(),
                        lifted_at: None,
                    })
                    .collect(),
            };
            let opts = Options {
                lang: req.lang,
                formats: Format::SIGNED.to_vec(),
                templates: None,
                issued_on: Some(now.clone()),
            };
            report::write_reports(&eval, &opts, &d, Some(&draft))?;
            d
        }
    };
    let files = hash_dir(&dir)?;
    // Reports produced elsewhere are sealed in the store's folder too, so that `check` and
    // `backup` find every signed file in one place.
    let dir = if req.reports.is_some() && !req.dry_run {
        copy_files(&dir, &sealed, &files)?;
        let copied = hash_dir(&sealed)?;
        if copied != files {
            return Err(Error::input(
                format!(
                    "{} a changé pendant la copie : rien n'a été signé",
                    dir.display()
                ),
                format!("{} changed while copied: nothing was signed", dir.display()),
            ));
        }
        sealed.clone()
    } else {
        dir
    };
    let record = NewSignOff {
        campaign: req.campaign.clone(),
        decision: req.decision,
        signatories,
        place,
        supersedes: previous.as_ref().map(|p| p.id),
        supersede_reason,
        snapshot: eval.snapshot(),
        comment: req.comment.clone(),
        files,
        reservations,
    };
    let id = if req.dry_run {
        None
    } else {
        match store.write("signoff", |tx| tx.record_signoff(&record)) {
            Ok(id) => Some(id),
            Err(e) => {
                // Nothing was signed: the folder (empty before) goes, so a new attempt can use it.
                let _ = std::fs::remove_dir_all(&sealed);
                return Err(e);
            }
        }
    };
    Ok(Signed {
        id,
        number,
        dir,
        record,
        proposed: eval.verdict.decision,
        supersedes_number: previous.map(|p| p.number),
        warnings,
        dry_run: req.dry_run,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatory_forms() {
        let s =
            Signatory::parse(Party::Buyer, " Claire Wahetra , cheffe de projet ", "DITTT").unwrap();
        assert_eq!(
            (
                s.name.as_str(),
                s.function.as_str(),
                s.organisation.as_str()
            ),
            ("Claire Wahetra", "cheffe de projet", "DITTT")
        );
        let s =
            Signatory::parse(Party::Vendor, "Marc Delorme, directeur, Pacific, SARL", "").unwrap();
        assert_eq!(s.organisation, "Pacific, SARL");
        assert!(Signatory::parse(Party::Buyer, "Claire Wahetra", "").is_err());
        let old = signatories_from_json(
            r#"["Claire, cheffe", {"party":"vendor","name":"M","function":"d","organisation":"P"}]"#,
        );
        assert_eq!(old[0].party, Party::Buyer);
        assert_eq!(old[0].function, "cheffe");
        assert_eq!(old[1].party, Party::Vendor);
    }
}
