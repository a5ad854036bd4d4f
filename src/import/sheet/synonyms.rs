//! Header words per role, folded with [`normalize_word`](crate::model::normalize_word):
//! lower case, no accents, punctuation and spaces collapsed to one space. Add a vendor's odd
//! header here when it is common enough; otherwise the user's mapping handles it.

use super::header::Role;
use super::mapping::SheetKind;

/// Folded header words (see [`normalize_word`]) per role.
#[rustfmt::skip]
pub(crate) const SYNONYMS: &[(Role, &[&str])] = &[
    (Role::Id, &["id", "ref", "reference", "identifiant", "code", "cle", "key", "ref id", "reference id"]),
    (Role::ReqId, &[
        "ref exigence", "reference exigence", "id exigence", "identifiant exigence", "exigence",
        "exigences", "exigence s", "exigences couvertes", "exigence couverte", "exigences associees",
        "exigences liees", "ref exigences", "covers", "requirement", "requirements", "requirement id",
        "requirement ref", "covered requirements", "code exigence", "n exigence",
    ]),
    (Role::TestId, &[
        "cas de test", "ref test", "reference test", "ref cas de test", "reference cas de test",
        "id test", "id cas de test", "identifiant test", "test", "tests", "test case", "test id",
        "test ref", "fiche de test", "ref fiche", "cas de tests", "tests associes", "cas de test associes",
        "test cases", "scenario", "n test", "n cas de test",
    ]),
    (Role::Title, &["libelle", "intitule", "titre", "title", "nom", "name", "summary", "resume", "objet"]),
    (Role::Description, &["description", "enonce", "texte", "detail", "details", "text", "enonce de l exigence", "description de l exigence"]),
    (Role::Criticality, &["criticite", "criticality", "niveau de criticite", "importance"]),
    (Role::Priority, &["priorite", "priority", "moscow"]),
    (Role::Category, &["categorie", "category", "lot", "domaine", "module", "theme", "fonctionnalite", "perimetre", "sous lot", "rubrique"]),
    (Role::Status, &["statut", "status", "etat", "state"]),
    (Role::ExecStatus, &[
        "resultat", "statut d execution", "statut execution", "verdict", "result", "execution status",
        "resultat d execution", "resultat du test", "statut du test", "test status", "outcome",
    ]),
    (Role::StepStatus, &["statut etape", "statut de l etape", "resultat etape", "resultat de l etape", "step status", "step result"]),
    (Role::Source, &["source", "origine", "document source", "reference cctp", "chapitre cctp", "ref cctp", "cctp"]),
    (Role::Step, &["etape", "step"]),
    (Role::StepNo, &["n etape", "nº etape", "no etape", "numero d etape", "numero etape", "etape n", "step number", "step no", "step n", "n step", "ordre"]),
    (Role::Action, &["action", "actions", "description de l etape", "action a realiser", "step description", "actions a realiser", "deroulement", "mode operatoire"]),
    (Role::Expected, &["resultat attendu", "resultats attendus", "expected result", "expected", "attendu", "comportement attendu", "expected results"]),
    (Role::Objective, &["objectif", "objective", "but", "objectif du test"]),
    (Role::Prerequisites, &["preconditions", "precondition", "prerequis", "pre requis", "prerequisites", "preconditions", "pre conditions"]),
    (Role::Data, &["donnees", "donnees de test", "test data", "description des donnees"]),
    (Role::Dataset, &["jeu de donnees", "jeux de donnees", "jdd", "dataset", "data set", "nom du jeu de donnees", "jeu de test"]),
    (Role::Parameters, &["parametres", "parametre", "parameters", "parameter values", "valeurs", "valeurs des parametres", "parametres du jeu de donnees"]),
    (Role::Mode, &["type", "mode", "type de test", "mode d execution", "manuel automatique"]),
    (Role::AutomationKey, &["cle d automatisation", "cle automatisation", "automation key", "script", "cle auto", "script automatise"]),
    (Role::Tags, &["tags", "tag", "mots cles", "mot cle", "etiquettes", "labels", "keywords"]),
    (Role::ExecutedAt, &["date d execution", "date", "executed at", "execute le", "date de passage", "date execution", "execution date", "date du test"]),
    (Role::Tester, &["testeur", "execute par", "tester", "executed by", "recetteur", "testeuse", "passe par"]),
    (Role::Comment, &["commentaire", "commentaires", "observations", "observation", "remarques", "remarque", "comment", "comments", "notes"]),
    (Role::Actual, &["resultat obtenu", "resultats obtenus", "actual result", "actual", "obtenu", "resultat constate", "constat"]),
    (Role::Assignee, &["assigne a", "affecte a", "attribue a", "assignee a", "affectee a", "attribuee a", "assignee", "assigned to", "testeur assigne", "testeur affecte"]),
    (Role::Anomalies, &["anomalie", "anomalies", "anomalie s", "fa", "n fa", "fiche d anomalie", "ticket", "tickets", "bug", "bugs", "defaut", "defauts", "defect", "defects", "ref anomalie", "id anomalie"]),
    (Role::Severity, &["severite", "severity", "gravite"]),
    (Role::Campaign, &["campagne", "campaign", "ref campagne"]),
    (Role::BaseAttempt, &["tentative de base", "base attempt", "tentative"]),
    (Role::FoundIn, &["trouvee dans", "detectee dans", "livraison de detection", "version de detection", "found in", "detected in"]),
    (Role::Attempt, &["n tentative", "numero de tentative", "no tentative", "attempt", "attempt number", "n essai"]),
    (Role::CreatedAt, &["creee le", "ouverte le", "date de creation", "date d ouverture", "created at", "created on", "opened on", "raised on"]),
    (Role::ClosedAt, &["cloturee le", "fermee le", "date de cloture", "date de fermeture", "closed at", "closed on"]),
    (Role::Version, &["version", "version livree", "numero de version", "n version", "release"]),
    (Role::Vendor, &["titulaire", "fournisseur", "prestataire", "editeur", "vendor", "supplier", "contractor"]),
    (Role::PlannedDate, &["date prevue", "date de livraison prevue", "livraison prevue", "prevue le", "planned date", "planned on", "due date"]),
    (Role::DeliveredDate, &["date de livraison", "livree le", "date livraison", "date de livraison effective", "delivered on", "delivery date", "delivered date"]),
    (Role::Phase, &["phase", "phase de recette", "type de recette", "test phase"]),
    (Role::MaxAjournements, &["ajournements max", "ajournements autorises", "nombre d ajournements autorises", "max ajournements", "max postponements"]),
    (Role::ReserveDays, &["delai des reserves", "delai des reserves jours", "delai de levee des reserves", "jours pour lever les reserves", "reserve days", "days to lift reservations"]),
    (Role::SmokeTag, &["etiquette smoke", "etiquette des tests de fumee", "smoke tag"]),
    (Role::CriterionKind, &["type de critere", "critere de", "criterion type", "criterion kind"]),
    (Role::Rule, &["regle", "rule", "regle du critere", "criterion rule"]),
    (Role::Blocking, &["bloquant", "bloquante", "blocking", "critere bloquant"]),
    (Role::CriterionLabel, &["libelle du critere", "criterion label"]),
    (Role::Delivery, &["livraison", "livraison testee", "delivery", "delivery tested", "ref livraison"]),
    (Role::Strategy, &["strategie", "strategie de recette", "strategy", "test strategy", "ref strategie"]),
    (Role::StartDate, &["debut", "date de debut", "start", "start date", "debute le"]),
    (Role::EndDate, &["fin", "date de fin", "end", "end date", "fin prevue"]),
    (Role::StartedAt, &["demarree le", "date de demarrage", "started at", "started on"]),
    (Role::Forced, &["demarrage force", "demarree de force", "forced start", "started with force"]),
    (Role::Reason, &["raison", "motif", "raison de planification", "motif de planification", "reason", "why planned"]),
    (Role::RecordNumber, &["n pv", "numero de pv", "pv n", "n du pv", "record number", "record no", "sign off number"]),
    (Role::Decision, &["decision", "decision signee", "decision prononcee", "signed decision"]),
    (Role::SignedAt, &["signe le", "date de signature", "signee le", "signed at", "signed on"]),
    (Role::Signatories, &["signataires", "signataire", "signatories", "signed by"]),
    (Role::SealedFiles, &["rapports scelles", "fichiers scelles", "sealed files", "sealed reports"]),
    (Role::SettingKey, &["reglage", "cle du reglage", "parametre du projet", "setting", "setting key"]),
    (Role::SettingValue, &["valeur", "valeur du reglage", "value", "setting value"]),
    (Role::ReopenCount, &["reouvertures", "nombre de reouvertures", "reouverte", "reopened", "reopen count", "times reopened"]),
    (Role::StartChecks, &["controles au demarrage", "criteres d entree mesures", "start checks", "entry checks"]),
    (Role::FixedIn, &["corrigee dans", "livraison corrective", "version de correction", "fixed in", "corrected in"]),
];

/// Headers characteristic of each sheet kind: the kind with most of them wins.
#[rustfmt::skip]
pub(crate) const REQUIREMENT_EVIDENCE: &[Role] = &[
    Role::Title, Role::Description, Role::Criticality, Role::Priority, Role::Category, Role::Status, Role::Source,
];
#[rustfmt::skip]
pub(crate) const TEST_CASE_EVIDENCE: &[Role] = &[
    Role::Title, Role::Objective, Role::Prerequisites, Role::Data, Role::Action, Role::Expected, Role::StepNo,
    Role::Step, Role::Mode, Role::AutomationKey, Role::Tags, Role::ReqId, Role::Priority, Role::Category,
    Role::Parameters,
];
#[rustfmt::skip]
pub(crate) const RESULT_EVIDENCE: &[Role] = &[
    Role::ExecStatus, Role::StepStatus, Role::Status, Role::Tester, Role::ExecutedAt, Role::Campaign,
    Role::BaseAttempt, Role::Anomalies, Role::Comment, Role::Actual,
];
#[rustfmt::skip]
pub(crate) const ANOMALY_EVIDENCE: &[Role] = &[
    Role::Severity, Role::Title, Role::Description, Role::Status, Role::Anomalies,
];

/// Words in a sheet name hinting at its kind (a word of the name starting with one of them),
/// tried in this order.
#[rustfmt::skip]
pub(crate) const SHEET_NAME_HINTS: &[(SheetKind, &[&str])] = &[
    (SheetKind::Anomalies, &["anomalie", "fa", "defaut", "bug", "incident"]),
    (SheetKind::Results, &["resultat", "execution", "campagne", "results", "run"]),
    (SheetKind::Links, &["tracabilite", "matrice", "couverture", "lien", "traceability", "links"]),
    (SheetKind::Requirements, &["exigence", "requirement", "besoin"]),
    (SheetKind::TestCases, &["cas", "test", "fiche", "scenario", "cahier"]),
];

/// Names of front-matter sheets (folded), reported as ignored: a summary may list test
/// references and titles and would otherwise be read as test cases.
#[rustfmt::skip]
pub(crate) const FRONT_MATTER_SHEETS: &[&str] = &[
    "sommaire", "historique", "lisez moi", "readme", "mode d emploi", "legende", "parametres", "listes",
    "instructions", "suivi des versions", "version", "versions", "garde", "page de garde", "synthese",
    "summary", "history", "table des matieres", "contents",
];
