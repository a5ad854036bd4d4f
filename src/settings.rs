//! The project's settings (`recette config`): what the reports and the PV show of the project
//! and its contract, and the decision deadline.

use crate::error::{Error, Result};
use crate::i18n::Lang;

/// A project setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Days to notify a decision after a delivery (after that, tacit acceptance).
    DecisionDays,
    /// Project name.
    Name,
    /// The buyer (acheteur, pouvoir adjudicateur): reports' masthead, the PV's buyer block.
    Buyer,
    /// The buyer's service in charge of the contract.
    BuyerService,
    /// Contract number (marché n°).
    Contract,
    /// Contract title (objet du marché).
    ContractTitle,
    /// The vendor (titulaire); the PV falls back on the delivery's vendor.
    Vendor,
    /// Where PVs are signed ("Fait à ...").
    SignaturePlace,
}

impl Setting {
    /// Every setting, by key.
    pub const ALL: &'static [Setting] = &[
        Setting::DecisionDays,
        Setting::Name,
        Setting::Buyer,
        Setting::BuyerService,
        Setting::Contract,
        Setting::ContractTitle,
        Setting::Vendor,
        Setting::SignaturePlace,
    ];

    /// The setting's key.
    pub fn key(self) -> &'static str {
        match self {
            Setting::DecisionDays => "decision_days",
            Setting::Name => "name",
            Setting::Buyer => "buyer",
            Setting::BuyerService => "buyer_service",
            Setting::Contract => "contract",
            Setting::ContractTitle => "contract_title",
            Setting::Vendor => "vendor",
            Setting::SignaturePlace => "signature_place",
        }
    }

    /// What the setting is, in a language (for `config` without a key).
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Setting::DecisionDays => lang.pick(
                "jours pour notifier la décision après une livraison (au-delà : admission tacite)",
                "days to notify the decision after a delivery (after that: tacit acceptance)",
            ),
            Setting::Name => lang.pick("nom du projet", "project name"),
            Setting::Buyer => lang.pick(
                "acheteur (pouvoir adjudicateur) : en-tête des rapports, bloc de signature du PV",
                "buyer (contracting authority): report masthead, the PV's signature block",
            ),
            Setting::BuyerService => lang.pick(
                "service de l'acheteur en charge du marché",
                "the buyer's service in charge of the contract",
            ),
            Setting::Contract => lang.pick("numéro du marché", "contract number"),
            Setting::ContractTitle => lang.pick("objet du marché", "contract title"),
            Setting::Vendor => lang.pick(
                "titulaire du marché (à défaut : le prestataire de la livraison)",
                "vendor (otherwise: the delivery's vendor)",
            ),
            Setting::SignaturePlace => lang.pick(
                "lieu de signature des PV (« Fait à ... »)",
                "where PVs are signed (\"Done at ...\")",
            ),
        }
    }

    /// The setting a key names; an unknown key is an error listing the settings.
    pub fn parse(key: &str) -> Result<Setting> {
        if let Some(s) = Setting::ALL.iter().find(|s| s.key() == key) {
            return Ok(*s);
        }
        let known: Vec<&str> = Setting::ALL.iter().map(|s| s.key()).collect();
        Err(Error::input(
            format!(
                "réglage inconnu « {key} » ; réglages : {}",
                known.join(", ")
            ),
            format!("unknown setting \"{key}\"; settings: {}", known.join(", ")),
        ))
    }
}
