//! Who may do what: the roles of a shared project and the one authorization rule
//! ([`allows`]), used by every web route, page and API call (and by the role matrix test).
//! No I/O and no web dependency: the CLI and the server read the same table.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::i18n::Lang;

/// The role of an account (see `domain.md`, "Who does what").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Whoever runs the server: everything, and the accounts.
    Admin,
    /// The buyer's AMOA (pilote de recette): plans, assigns, triages, decides, signs.
    Lead,
    /// Executes tests, raises and links anomalies, attaches evidence.
    Tester,
    /// The vendor's team: reads its deliveries and their anomalies, comments, declares fixes.
    Vendor,
    /// COPIL members and auditors: read.
    Viewer,
}

/// Every role, in the order pages and tests list them.
pub const ROLES: [Role; 5] = [
    Role::Admin,
    Role::Lead,
    Role::Tester,
    Role::Vendor,
    Role::Viewer,
];

impl Role {
    /// The stored code (`admin`, `lead`, `tester`, `vendor`, `viewer`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead",
            Role::Tester => "tester",
            Role::Vendor => "vendor",
            Role::Viewer => "viewer",
        }
    }

    /// Reads a stored code.
    pub fn from_code(s: &str) -> Option<Role> {
        ROLES.into_iter().find(|r| r.code() == s)
    }

    /// Parses a role as people type it, in French or English.
    pub fn parse(s: &str) -> Result<Role> {
        let w = crate::model::normalize_word(s);
        let role = match w.as_str() {
            "admin" | "administrateur" | "administrator" => Role::Admin,
            "lead" | "pilote" | "pilote de recette" | "amoa" => Role::Lead,
            "tester" | "testeur" | "testeuse" => Role::Tester,
            "vendor" | "titulaire" | "prestataire" | "fournisseur" => Role::Vendor,
            "viewer" | "lecteur" | "lectrice" | "reader" => Role::Viewer,
            _ => {
                return Err(Error::input(
                    format!("rôle inconnu « {s} » : attendu admin, lead, tester, vendor ou viewer"),
                    format!("unknown role \"{s}\": expected admin, lead, tester, vendor or viewer"),
                ))
            }
        };
        Ok(role)
    }

    /// The role's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Admin, Lang::Fr) => "administrateur",
            (Role::Admin, Lang::En) => "administrator",
            (Role::Lead, Lang::Fr) => "pilote de recette",
            (Role::Lead, Lang::En) => "test lead",
            (Role::Tester, Lang::Fr) => "testeur",
            (Role::Tester, Lang::En) => "tester",
            (Role::Vendor, Lang::Fr) => "titulaire",
            (Role::Vendor, Lang::En) => "vendor",
            (Role::Viewer, Lang::Fr) => "lecteur",
            (Role::Viewer, Lang::En) => "viewer",
        }
    }
}

/// What a route, page or API call does, as far as authorization is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read campaigns, their tests and results (vendors: only their deliveries').
    ReadCampaign,
    /// See one's own assigned tests ("Mes tests").
    ReadOwnTests,
    /// Record an execution (steps, status, comment).
    RecordExecution,
    /// Create an anomaly (and link it to an execution).
    CreateAnomaly,
    /// Attach an evidence file to an execution.
    AttachEvidence,
    /// Download an evidence file.
    ReadEvidence,
    /// Read anomalies (vendors: those raised on their deliveries, shared comments only).
    ReadAnomaly,
    /// Comment an anomaly (shared comments; internal ones need [`Action::ReadInternal`]).
    CommentAnomaly,
    /// Triage an anomaly: change its status, severity, fix delivery (lead).
    TriageAnomaly,
    /// Declare an anomaly fixed in a delivery (vendor, lead).
    DeclareFix,
    /// Read internal comments and everything not shared with the vendor.
    ReadInternal,
    /// Read deliveries (vendors: their own).
    ReadDelivery,
    /// Create deliveries, upload delivery notes (lead; vendors for their own deliveries).
    ManageDelivery,
    /// Create campaigns and select their tests.
    PlanCampaign,
    /// Assign tests to testers.
    Assign,
    /// Import vendor workbooks, ReqIF, TestLink, Squash files.
    Import,
    /// Upload automated results (JUnit, Robot...) into a campaign.
    ImportResults,
    /// Read requirements, test cases, traceability, reports.
    ReadProject,
    /// Evaluate the verdict, choose the decision.
    Decide,
    /// Sign the PV, lift reservations.
    Sign,
    /// Manage accounts.
    ManageUsers,
}

/// Every action, for tests and documentation.
pub const ACTIONS: [Action; 21] = [
    Action::ReadCampaign,
    Action::ReadOwnTests,
    Action::RecordExecution,
    Action::CreateAnomaly,
    Action::AttachEvidence,
    Action::ReadEvidence,
    Action::ReadAnomaly,
    Action::CommentAnomaly,
    Action::TriageAnomaly,
    Action::DeclareFix,
    Action::ReadInternal,
    Action::ReadDelivery,
    Action::ManageDelivery,
    Action::PlanCampaign,
    Action::Assign,
    Action::Import,
    Action::ImportResults,
    Action::ReadProject,
    Action::Decide,
    Action::Sign,
    Action::ManageUsers,
];

/// The one authorization rule: may an account with `role` do `action`? Scoping (a vendor sees
/// only its own deliveries) comes on top, with [`Scope`].
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::Lead => !matches!(action, ManageUsers),
        Role::Tester => matches!(
            action,
            ReadCampaign
                | ReadOwnTests
                | RecordExecution
                | CreateAnomaly
                | AttachEvidence
                | ReadEvidence
                | ReadAnomaly
                | CommentAnomaly
                | ReadInternal
                | ReadDelivery
                | ReadProject
        ),
        Role::Vendor => matches!(
            action,
            ReadCampaign
                | ReadEvidence
                | ReadAnomaly
                | CommentAnomaly
                | DeclareFix
                | ReadDelivery
                | ManageDelivery
                | ImportResults
        ),
        Role::Viewer => matches!(
            action,
            ReadCampaign | ReadEvidence | ReadAnomaly | ReadInternal | ReadDelivery | ReadProject
        ),
    }
}

/// What part of the project an account sees: everything, or one vendor's deliveries (and the
/// campaigns run on them, the anomalies found or fixed in them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every delivery, campaign and anomaly.
    All,
    /// Only the deliveries whose `vendor` is this name.
    Vendor(String),
}

impl Scope {
    /// The scope of an account: vendors see their vendor's deliveries, others everything.
    pub fn of(role: Role, vendor: &str) -> Scope {
        match role {
            Role::Vendor => Scope::Vendor(vendor.to_string()),
            _ => Scope::All,
        }
    }

    /// May this account see a delivery of `delivery_vendor`?
    pub fn sees_delivery(&self, delivery_vendor: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Vendor(v) => {
                !v.is_empty()
                    && crate::model::normalize_word(v)
                        == crate::model::normalize_word(delivery_vendor)
            }
        }
    }

    /// May this account see a campaign run on a delivery of `delivery_vendor` (`None`: a
    /// campaign without delivery, which no vendor sees)?
    pub fn sees_campaign(&self, delivery_vendor: Option<&str>) -> bool {
        match (self, delivery_vendor) {
            (Scope::All, _) => true,
            (Scope::Vendor(_), None) => false,
            (Scope::Vendor(_), Some(v)) => self.sees_delivery(v),
        }
    }

    /// May this account see an anomaly found in or fixed in deliveries of these vendors?
    pub fn sees_anomaly<'a>(&self, vendors: impl IntoIterator<Item = &'a str>) -> bool {
        match self {
            Scope::All => true,
            Scope::Vendor(_) => vendors.into_iter().any(|v| self.sees_delivery(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_does_everything_and_only_admin_manages_users() {
        for a in ACTIONS {
            assert!(allows(Role::Admin, a), "{a:?}");
        }
        for r in [Role::Lead, Role::Tester, Role::Vendor, Role::Viewer] {
            assert!(!allows(r, Action::ManageUsers), "{r:?}");
        }
    }

    #[test]
    fn vendors_never_read_internal_nor_change_results_or_decisions() {
        for a in [
            Action::ReadInternal,
            Action::RecordExecution,
            Action::Decide,
            Action::Sign,
            Action::TriageAnomaly,
            Action::Import,
        ] {
            assert!(!allows(Role::Vendor, a), "{a:?}");
        }
        assert!(allows(Role::Vendor, Action::DeclareFix));
    }

    #[test]
    fn viewers_only_read() {
        for a in ACTIONS {
            let reads = matches!(
                a,
                Action::ReadCampaign
                    | Action::ReadEvidence
                    | Action::ReadAnomaly
                    | Action::ReadInternal
                    | Action::ReadDelivery
                    | Action::ReadProject
            );
            assert_eq!(allows(Role::Viewer, a), reads, "{a:?}");
        }
    }

    #[test]
    fn testers_execute_but_do_not_plan_decide_or_sign() {
        assert!(allows(Role::Tester, Action::RecordExecution));
        assert!(allows(Role::Tester, Action::CreateAnomaly));
        for a in [
            Action::PlanCampaign,
            Action::Assign,
            Action::Decide,
            Action::Sign,
        ] {
            assert!(!allows(Role::Tester, a), "{a:?}");
        }
    }

    #[test]
    fn vendor_scope_is_its_own_deliveries() {
        let s = Scope::of(Role::Vendor, "Acme SA");
        assert!(s.sees_delivery("acme sa"));
        assert!(!s.sees_delivery("Other"));
        assert!(!s.sees_campaign(None));
        assert!(s.sees_anomaly(["Other", "Acme SA"]));
        assert!(!Scope::of(Role::Vendor, "").sees_delivery(""));
        assert!(Scope::of(Role::Lead, "").sees_campaign(None));
    }

    #[test]
    fn roles_parse_in_both_languages() {
        assert_eq!(Role::parse("Testeur").ok(), Some(Role::Tester));
        assert_eq!(Role::parse("titulaire").ok(), Some(Role::Vendor));
        assert!(Role::parse("chef").is_err());
        for r in ROLES {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
