//! Checking a file (a report, a PV) against the signed sign-offs. Signing itself is
//! [`crate::signoff::sign`].

use serde::Serialize;

use crate::error::{Error, Result};
use crate::import::input::{Input, Staged};
use crate::model::Decision;
use crate::signoff::sha256_file;
use crate::store::Store;

/// The sign-offs that recorded a file. Serialised as `verify --json` prints it (`file`,
/// `matches`, `sha256`).
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// The file as the user named it.
    pub file: String,
    /// Every sign-off that recorded this content, oldest first; none: the file does not match.
    pub matches: Vec<SignedMatch>,
    pub sha256: String,
}

/// One sign-off that recorded the file.
#[derive(Debug, Clone, Serialize)]
pub struct SignedMatch {
    pub campaign: String,
    pub decision: Decision,
    /// The name the file had when it was sealed.
    pub file_name: String,
    /// Rank of the sign-off among those of its campaign.
    pub number: i64,
    pub signatories: Vec<String>,
    pub signed_at: String,
    /// Record id of the sign-off.
    pub signoff: i64,
}

/// Hashes a file (a path or an upload) and finds the sign-offs that sealed that content.
pub fn verify(store: &Store, input: &Input) -> Result<Verification> {
    let staged = Staged::each(std::slice::from_ref(input))?;
    let Some(path) = staged.files().first() else {
        return Err(Error::input("aucun fichier", "no file"));
    };
    let (sha256, _) = sha256_file(path)?;
    let matches = store
        .signoffs_with_file(&sha256)?
        .into_iter()
        .map(|(s, file_name)| SignedMatch {
            campaign: s.campaign,
            decision: s.decision,
            file_name,
            number: s.number,
            signatories: s.signatories,
            signed_at: s.signed_at,
            signoff: s.id,
        })
        .collect();
    Ok(Verification {
        file: crate::import::display_name(path),
        matches,
        sha256,
    })
}

/// Lifts a reservation of a signed PV, with the comment saying why (audited; refused when it
/// was already lifted). `recette reserve lift` and the reservations page of `recette serve`.
pub fn lift(store: &mut Store, reference: &str, comment: &str) -> Result<()> {
    store.write("reserve lift", |tx| tx.lift_reservation(reference, comment))
}

/// The decision signed for a campaign, for people: « Ajournement, signé le 03/04/2026 (PV n° 1) »
/// (the latest sign-off), or `None` when nothing is signed — what `campaign show` and
/// `verdict` say.
pub fn signed_summary(
    store: &Store,
    campaign: &str,
    lang: crate::i18n::Lang,
) -> Result<Option<String>> {
    if let Some(s) = store.signoffs(Some(campaign))?.last() {
        return Ok(Some(describe_signed(s, lang)));
    }
    Ok(store
        .imported_decisions(Some(campaign))?
        .last()
        .map(|i| describe_imported(i, lang)))
}

/// [`signed_summary`] of every signed campaign, by reference, in one read (`campaign list`).
pub fn signed_summaries(
    store: &Store,
    lang: crate::i18n::Lang,
) -> Result<std::collections::HashMap<String, String>> {
    // Imported decisions first, then this store's own sign-offs oldest first: the latest
    // sign-off of a campaign is the one kept.
    let mut out: std::collections::HashMap<String, String> = store
        .imported_decisions(None)?
        .iter()
        .map(|i| (i.campaign.clone(), describe_imported(i, lang)))
        .collect();
    out.extend(
        store
            .signoffs(None)?
            .iter()
            .map(|s| (s.campaign.clone(), describe_signed(s, lang))),
    );
    Ok(out)
}

fn describe_imported(i: &crate::signoff::ImportedDecision, lang: crate::i18n::Lang) -> String {
    let date = crate::report::view::fmt_date(lang, &i.signed_at, false);
    match lang {
        crate::i18n::Lang::Fr => format!(
            "{}, signé le {date} dans une autre base (PV n° {}, importé)",
            i.decision.label(lang),
            i.number
        ),
        crate::i18n::Lang::En => format!(
            "{}, signed on {date} in another store (record no. {}, imported)",
            i.decision.label(lang),
            i.number
        ),
    }
}

fn describe_signed(s: &crate::signoff::SignOff, lang: crate::i18n::Lang) -> String {
    let date = crate::report::view::fmt_date(lang, &s.signed_at, false);
    match lang {
        crate::i18n::Lang::Fr => format!(
            "{}, signé le {date} (PV n° {})",
            s.decision.label(lang),
            s.number
        ),
        crate::i18n::Lang::En => format!(
            "{}, signed on {date} (record no. {})",
            s.decision.label(lang),
            s.number
        ),
    }
}
